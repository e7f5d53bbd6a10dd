import { describe, expect, it } from 'vitest';
import type { Catalog, Service } from '../../../contract/catalog.js';
import { identityProblems } from '../../../catalog/identity-rules.js';
import { loadCatalog } from '../../../catalog/load.js';

const shipped = loadCatalog();
const withService = (change: (service: Service) => Service): Catalog => {
  const flow = shipped.services.find((service) => service.flow && service.channel === 'self-service');
  if (!flow) throw new Error('the shipped catalog has no self-service flow');
  return { ...shipped, services: [change(structuredClone(flow))] };
};

describe('catalog identityAssurance rules', () => {
  it('passes the shipped catalog, where every self-service application asks for more than the card', () => {
    expect(identityProblems(shipped, new Map())).toEqual([]);
    const flows = shipped.services.filter((service) => service.flow && service.channel === 'self-service');
    expect(flows.length).toBeGreaterThan(0);
    for (const service of flows) {
      expect(service.identityAssurance, service.id).not.toBe('card');
      expect(service.identityReason, service.id).toMatch(/本人/);
    }
  });

  it('refuses a self-service application that trusts the card alone', () => {
    const catalog = withService((service) => ({ ...service, identityAssurance: 'card', identityReason: undefined }));
    expect(identityProblems(catalog, new Map()).map((problem) => problem.path)).toEqual(['identityAssurance']);
  });

  it('refuses a check without a reason for the citizen, and a reason without a check', () => {
    const noReason = withService((service) => ({ ...service, identityAssurance: 'card+face', identityReason: undefined }));
    expect(identityProblems(noReason, new Map([[noReason.services[0]!.id, 'x.json']]))).toEqual([
      { file: 'x.json', path: 'identityReason', message: expect.stringContaining('needs a plain-Chinese identityReason') },
    ]);
    const window = withService((service) => ({ ...service, channel: 'window', identityAssurance: 'card', identityReason: '为防止冒名办理需要核验本人' }));
    expect(identityProblems(window, new Map()).map((problem) => problem.path)).toEqual(['identityReason']);
  });
});
