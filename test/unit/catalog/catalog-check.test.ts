import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../contract/catalog.js';
import { checkCatalog, PROGRAMME_QUOTAS, promiseProblems } from '../../../catalog/check.js';
import { CatalogError, formatProblem, loadCatalog, readCatalog } from '../../../catalog/load.js';
import { STAGES, childStages, leafStages, topStages } from '../../../catalog/taxonomy.js';

const BROKEN = fileURLToPath(new URL('../../fixtures/catalog/broken/', import.meta.url));

describe('Catalog taxonomy', () => {
  it('has unique kebab-case ids and parents that exist in the same life cycle', () => {
    const ids = STAGES.map((stage) => stage.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const stage of STAGES) {
      expect(stage.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      if (stage.parent === undefined) continue;
      const parent = STAGES.find((candidate) => candidate.id === stage.parent);
      expect(parent?.lifeCycle, stage.id).toBe(stage.lifeCycle);
      expect(parent?.parent, `${stage.id}: groups are one level deep`).toBeUndefined();
    }
  });

  it('lists the seed taxonomy of DOMAIN.md §1 for both life cycles', () => {
    expect(topStages('enterprise').map((stage) => stage.name)).toEqual(['企业开办', '企业准营', '企业运营', '投资建设', '企业变更', '企业注销']);
    expect(topStages('individual').map((stage) => stage.name)).toEqual(['出生', '教育', '退役', '工作', '置业', '出行', '婚育', '就医', '救助', '养老', '身后']);
    expect(childStages('housing').map((stage) => stage.name)).toEqual(['购置新房', '购置二手房', '租赁住房', '建设农房', '公积金']);
    expect(childStages('enterprise-permit').map((stage) => stage.id)).toEqual([
      'enterprise-permit-production',
      'enterprise-permit-business',
      'enterprise-permit-social-service',
    ]);
    expect(leafStages().length).toBe(39);
    expect(leafStages().map((stage) => stage.id)).not.toContain('enterprise-permit');
  });
});

describe('Catalog check', () => {
  it('passes on the shipped catalog and meets every programme quota', () => {
    const { problems, summary } = checkCatalog();
    expect(problems.map(formatProblem)).toEqual([]);
    expect(summary.services).toBeGreaterThanOrEqual(PROGRAMME_QUOTAS.services);
    expect(summary.flows).toBeGreaterThanOrEqual(PROGRAMME_QUOTAS.flows);
    expect(summary.instant).toBeGreaterThanOrEqual(PROGRAMME_QUOTAS.instant);
    expect(summary.commitment).toBeGreaterThanOrEqual(PROGRAMME_QUOTAS.commitment);
    expect(summary.leafStages).toBe(leafStages().length);
  });

  it('reports each problem of a broken catalog with its file and field', () => {
    const lines = checkCatalog(BROKEN).problems.map(formatProblem);
    const at = (file: string, rest: string) => expect(lines).toContainEqual(expect.stringMatching(new RegExp(`broken/services/${file}\\.json: ${rest}`)));
    at('bad-schema', 'channel: Invalid option');
    at('bad-schema', 'flow\\.form\\[0\\]\\.type: Invalid option');
    at('misspelt', 'materials\\[0\\]\\.comitmentAllowed: unknown field');
    at('misspelt', 'stage: unknown stage "elderly"');
    at('misspelt', 'flow\\.form\\[1\\]\\.prefill: card\\.name cannot fill a mobile field');
    at('misspelt', 'code: duplicate item code, also used by dangling');
    at('dangling', 'stage: "enterprise-permit" is a group');
    at('dangling', 'items\\[0\\]\\.when\\[0\\]\\.question: no situation question "nope"');
    at('dangling', 'materials\\[0\\]\\.when\\[0\\]: "maybe" is not an option of question "kind"');
    at('bad-schema', 'flow\\.eligibilityRules\\[0\\]\\.cardTypes\\[0\\]: Invalid option');
    at('dangling', 'flow\\.eligibilityRules\\[0\\]\\.when\\[0\\]\\.field: only situation answers are known');
    at('dangling', 'flow\\.eligibilityRules\\[0\\]\\.alternatives\\[0\\]: no service "nowhere"');
    at('dangling', 'flow\\.eligibilityRules\\[0\\]\\.alternatives\\[1\\]: a service cannot be its own alternative');
    at('dangling', 'summary: promises “当场” but the item goes to review');
    at('wrong-name', 'id: file must be named after the service id: other-id\\.json');
    at('not-json', '\\$: cannot read JSON');
    expect(lines).toContainEqual(expect.stringMatching(/broken\/synonyms\.json: 外星人: finds no service/));
    expect(lines).toContainEqual(expect.stringMatching(/broken\/services: stages\.birth: leaf stage “出生” \(individual\) has no service/));
    expect(lines).toContainEqual(expect.stringMatching(/services: 3 services, at least 60 required/));
  });

  it('makes the loader throw every problem at once, with a code', () => {
    expect(() => loadCatalog(BROKEN)).toThrow(CatalogError);
    try {
      loadCatalog(BROKEN);
    } catch (error) {
      expect((error as CatalogError).code).toBe('catalog-invalid');
      expect((error as CatalogError).problems.length).toBe(readCatalog(BROKEN).problems.length);
      expect((error as Error).message).toMatch(/misspelt\.json: flow\.form\[1\]\.prefill/);
    }
  });

  it('exits 1 from the command line and lists the problems on stderr', () => {
    const run = () => execFileSync('npx', ['tsx', 'catalog/check.ts', BROKEN], { encoding: 'utf8', stdio: 'pipe' });
    expect(run).toThrow(expect.objectContaining({ status: 1, stderr: expect.stringContaining('dangling.json: items[0].when[0].question') }));
    // A child process through npx and tsx: ≈ 4 s on a busy 2-core machine, over vitest's 5 s default once.
  }, 30_000);
});

describe('Catalog loader', () => {
  it('versions the catalog by content and keeps every service with its stage', () => {
    const catalog = loadCatalog();
    expect(catalog.version).toMatch(/^[0-9a-f]{12}$/);
    expect(loadCatalog().version).toBe(catalog.version);
    expect(catalog.stages).toEqual(STAGES);
    expect(catalog.services.find((service) => service.id === 'senior-preferential-card')?.stage).toBe('elderly-care');
  });
});

describe('Guide promises', () => {
  const catalog = loadCatalog();
  const files = new Map(catalog.services.map((service) => [service.id, `${service.id}.json`]));
  const withService = (id: string, change: (service: Service) => Service) => ({
    ...catalog,
    services: catalog.services.map((service) => (service.id === id ? change(service) : service)),
  });

  // Issue 9 item 8: 食品经营许可 promised 当场发证 in its guide, and its flow went to review.
  it('flags 当场发证 in the guide of a self-service item that goes to review (the 食品经营许可 regression)', () => {
    const promising = withService('food-business-licence', (service) => ({ ...service, summary: '申请人签署承诺后当场发证，事后现场核查。' }));
    expect(promiseProblems(promising, files)).toEqual([
      { file: 'food-business-licence.json', path: 'summary', message: expect.stringContaining('promises “当场”') as string },
    ]);
  });

  it('lets a 秒批 item promise a result at once, and a window item whose own time limit is 0 days', () => {
    expect(promiseProblems(catalog, files)).toEqual([]);
    const instant = catalog.services.find((service) => service.flow?.autoApproval && /即时|秒批|当场/.test(service.summary));
    expect(instant?.id).toBeDefined();
    const windowed = withService('marriage-registration', (service) => ({ ...service, promisedLimitDays: 1 }));
    expect(promiseProblems(windowed, files).map((problem) => problem.path)).toEqual(['summary']);
  });

  it('refuses 承诺即办 (0 days) on a self-service item without auto-approval', () => {
    const promising = withService('birth-one-thing', (service) => ({ ...service, promisedLimitDays: 0 }));
    expect(promiseProblems(promising, files)).toEqual([{ file: 'birth-one-thing.json', path: 'promisedLimitDays', message: expect.stringContaining('0 days') as string }]);
  });

  it('reads names, answers and notes too, but not search keywords or titles of laws', () => {
    const promising = withService('social-security-card', (service) => ({
      ...service,
      keywords: [...service.keywords, '立即办'],
      legalBasis: [...service.legalBasis, '《关于即时办结的通知》'],
      flow: service.flow && {
        ...service.flow,
        situations: service.flow.situations.map((question, index) => (index === 1 ? { ...question, options: [{ value: 'instant', label: '网点即时领取' }, ...question.options.slice(1)] } : question)),
      },
    }));
    expect(promiseProblems(promising, files).map((problem) => problem.path)).toEqual(['flow.situations[1].options[0].label']);
  });
});
