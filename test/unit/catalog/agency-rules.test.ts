import { describe, expect, it } from 'vitest';
import type { Catalog, Service } from '../../../contract/catalog.js';
import { agencyProblems } from '../../../catalog/agency-rules.js';
import { loadCatalog } from '../../../catalog/load.js';
import { Service as ServiceSchema } from '../../../contract/catalog.js';
import { agencyRefusal } from '../../../contract/agency.js';

const shipped = loadCatalog();
const one = (id: string): Service => {
  const service = shipped.services.find((candidate) => candidate.id === id);
  if (!service) throw new Error(`the shipped catalog has no ${id}`);
  return structuredClone(service);
};
const only = (service: Service): Catalog => ({ ...shipped, services: [service] });
const paths = (service: Service) => agencyProblems(only(service), new Map()).map((problem) => problem.path);

describe('catalog 代办 rules', () => {
  it('passes the shipped catalog, where every service says whether 代办 is allowed', () => {
    expect(agencyProblems(shipped, new Map())).toEqual([]);
    for (const service of shipped.services) expect(service.agentAllowed !== service.inPersonOnly, service.id).toBe(true);
    const driving = one('driving-licence-renewal');
    expect(driving).toMatchObject({ inPersonOnly: true, agentAllowed: false, agentAuthorisation: [] });
    expect(driving.inPersonReason).toMatch(/本人.*不能代办.*请/);
    expect(one('birth-one-thing')).toMatchObject({ agentAllowed: true, inPersonOnly: false });
    expect(one('birth-one-thing').agentAuthorisation).toContain('委托书');
  });

  it('parses the new fields with their defaults and refuses a wrong authorisation kind', () => {
    const raw = { ...one('longevity-allowance') } as Record<string, unknown>;
    delete raw.agentAllowed;
    delete raw.agentAuthorisation;
    const parsed = ServiceSchema.parse(raw);
    expect(parsed).toMatchObject({ agentAllowed: false, inPersonOnly: false, agentAuthorisation: [] });
    expect(ServiceSchema.safeParse({ ...raw, agentAllowed: true, agentAuthorisation: ['口头授权'] }).success).toBe(false);
  });

  it('refuses a service that says nothing, or says both', () => {
    expect(paths({ ...one('birth-one-thing'), agentAllowed: false, agentAuthorisation: [] })).toEqual(['agentAllowed']);
    expect(paths({ ...one('birth-one-thing'), inPersonOnly: true, inPersonReason: '须本人到场办理，请本人前来' })).toEqual(['inPersonOnly']);
  });

  it('refuses 本人办理 without a reason, a reason without 本人办理, and 代办 without an authorisation', () => {
    const driving = one('driving-licence-renewal');
    expect(paths({ ...driving, inPersonReason: undefined })).toEqual(['inPersonReason']);
    expect(paths({ ...one('birth-one-thing'), inPersonReason: '须本人到场办理，请本人前来' })).toEqual(['inPersonReason']);
    expect(paths({ ...one('birth-one-thing'), agentAuthorisation: [] })).toEqual(['agentAuthorisation']);
    expect(paths({ ...one('birth-one-thing'), agentAuthorisation: ['委托书', '委托书'] })).toEqual(['agentAuthorisation']);
    expect(paths({ ...driving, agentAuthorisation: ['委托书'] })).toEqual(['agentAuthorisation']);
  });

  it('words the refusal from the catalog reason', () => {
    expect(agencyRefusal(one('driving-licence-renewal'))).toBe(one('driving-licence-renewal').inPersonReason);
    expect(agencyRefusal(one('birth-one-thing'))).toBeNull();
  });
});
