import { realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog, Service } from '../contract/catalog.js';
import { CATALOG_DIR, formatProblem, readCatalog, type CatalogProblem } from './load.js';
import { identityProblems } from './identity-rules.js';
import { createSearchIndex } from './search.js';
import { leafStages } from './taxonomy.js';
import { proofProblems } from './proof-check.js';
import { agencyProblems } from './agency-rules.js';

/**
 * `npm run catalog:check` (`tsx catalog/check.ts [dir]`): everything `loadCatalog` checks (schema, unknown
 * fields, references between questions, fields, items and materials), plus the programme's quotas from
 * issue 4 and DOMAIN.md §1: every leaf stage of both life cycles carries a service, at least 60 services,
 * at least 20 self-service flows across both life cycles, at least 4 秒批 and 4 告知承诺 items, every
 * synonym finds something, and no guide promises a result at once that its flow does not deliver.
 * Prints `file: field.path: message` per problem and exits 1, or a summary and 0.
 */

export interface CatalogQuotas {
  services: number;
  flows: number;
  /** Flows per life cycle, so self-service is not all on one side. */
  flowsPerLifeCycle: number;
  instant: number;
  commitment: number;
}

export const PROGRAMME_QUOTAS: CatalogQuotas = { services: 60, flows: 20, flowsPerLifeCycle: 5, instant: 4, commitment: 4 };

export interface CatalogSummary {
  version: string;
  services: number;
  byLifeCycle: Record<Service['lifeCycle'], number>;
  leafStages: number;
  flows: number;
  instant: number;
  commitment: number;
  synonyms: number;
}

export interface CheckReport {
  problems: CatalogProblem[];
  summary: CatalogSummary;
}

/** 秒批 on the kiosk: instant, with the rules central applies. */
const isInstant = (service: Service): boolean => service.approval === 'instant' && service.flow?.autoApproval !== undefined;

/** 告知承诺 on the kiosk: a flow in which some material may be declared instead of supplied. */
const hasCommitment = (service: Service): boolean =>
  service.flow !== undefined && service.materials.some((material) => material.commitmentAllowed || material.source === 'commitment');

function summarise(catalog: Catalog): CatalogSummary {
  const services = catalog.services;
  return {
    version: catalog.version,
    services: services.length,
    byLifeCycle: {
      enterprise: services.filter((service) => service.lifeCycle === 'enterprise').length,
      individual: services.filter((service) => service.lifeCycle === 'individual').length,
    },
    leafStages: leafStages(catalog.stages).length,
    flows: services.filter((service) => service.flow).length,
    instant: services.filter(isInstant).length,
    commitment: services.filter(hasCommitment).length,
    synonyms: Object.keys(catalog.synonyms).length,
  };
}

/** Quota and coverage problems of a catalog that already parses. */
function programmeProblems(catalog: Catalog, catalogFile: string, quotas: CatalogQuotas = PROGRAMME_QUOTAS): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const report = (path: string, message: string) => problems.push({ file: catalogFile, path, message });
  const summary = summarise(catalog);

  for (const stage of leafStages(catalog.stages)) {
    if (!catalog.services.some((service) => service.stage === stage.id)) {
      report(`stages.${stage.id}`, `leaf stage “${stage.name}” (${stage.lifeCycle}) has no service`);
    }
  }
  if (summary.services < quotas.services) report('services', `${summary.services} services, at least ${quotas.services} required`);
  if (summary.flows < quotas.flows) report('services', `${summary.flows} self-service flows, at least ${quotas.flows} required`);
  for (const lifeCycle of ['enterprise', 'individual'] as const) {
    const flows = catalog.services.filter((service) => service.flow && service.lifeCycle === lifeCycle).length;
    if (flows < quotas.flowsPerLifeCycle) report('services', `${flows} ${lifeCycle} flows, at least ${quotas.flowsPerLifeCycle} required`);
  }
  if (summary.instant < quotas.instant) report('services', `${summary.instant} 秒批 items with auto-approval, at least ${quotas.instant} required`);
  if (summary.commitment < quotas.commitment) report('services', `${summary.commitment} 告知承诺 items, at least ${quotas.commitment} required`);
  return problems;
}

/** Synonyms that lead nowhere are dead weight on the search screen: each must find at least one service. */
function synonymProblems(catalog: Catalog, synonymsFile: string): CatalogProblem[] {
  const index = createSearchIndex(catalog);
  return Object.keys(catalog.synonyms)
    .filter((word) => index.search(word, 1).length === 0)
    .map((word) => ({ file: synonymsFile, path: word, message: 'finds no service: none of its words occurs in the catalog' }));
}

/** Words that promise a result at once (当场发证, 即时办结, 秒批 …). */
export const IMMEDIATE_PROMISE = /当场|立即|即时|即办|秒批|秒办|立等|当即|马上/;

/** Fields that are search words or titles of laws, not promises to the citizen. */
const NOT_PROMISES = new Set(['keywords', 'legalBasis']);

/** Every text of a service a citizen reads, with its dotted path. */
function* texts(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [index, element] of value.entries()) yield* texts(element, `${path}[${index}]`);
  else if (value !== null && typeof value === 'object') {
    for (const [key, element] of Object.entries(value)) if (!NOT_PROMISES.has(key)) yield* texts(element, path === '' ? key : `${path}.${key}`);
  }
}

/**
 * A guide promises only what the flow delivers (issue 9 item 8: 食品经营许可 promised 当场发证 and went to
 * review). A result at once is the kiosk's to promise only for 秒批 (auto-approval rules central applies,
 * the result printed on the spot). A window or online item may promise it when its own committed time
 * limit is 0 days: the guide then describes what that channel does, and the kiosk's flow promises nothing.
 * A self-service item without auto-approval also may not commit to 0 days (the guide shows 承诺即办).
 */
export function promiseProblems(catalog: Catalog, files: ReadonlyMap<string, string>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const service of catalog.services) {
    const file = files.get(service.id) ?? `${service.id}.json`;
    if (isInstant(service)) continue;
    // A proof is issued from shared data and printed while the citizen waits: it promises no review.
    if (service.kind === 'proof') continue;
    // A personal query (办件查询 by card) answers on the spot and reviews nothing either.
    if (service.kind === 'query') continue;
    if (service.channel === 'self-service' && service.promisedLimitDays === 0) {
      problems.push({ file, path: 'promisedLimitDays', message: 'a self-service item without 秒批 (flow.autoApproval) cannot promise 0 days (承诺即办)' });
    }
    if (service.channel !== 'self-service' && service.promisedLimitDays === 0) continue;
    for (const [path, text] of texts(service, '')) {
      const promise = IMMEDIATE_PROMISE.exec(text);
      if (promise) problems.push({ file, path, message: `promises “${promise[0]}” but the item goes to review (no flow.autoApproval): “${text}”` });
    }
  }
  return problems;
}

/** Checks the catalog in `dir` (its `services/` and `synonyms.json`); `quotas` lets fixtures be small. */
export function checkCatalog(dir: string = CATALOG_DIR, quotas: CatalogQuotas = PROGRAMME_QUOTAS): CheckReport {
  const { catalog, files, problems } = readCatalog(dir);
  const shown = (name: string) => relative(process.cwd(), join(dir, name));
  problems.push(...promiseProblems(catalog, files));
  problems.push(...proofProblems(catalog, files));
  problems.push(...programmeProblems(catalog, shown('services'), quotas));
  problems.push(...synonymProblems(catalog, shown('synonyms.json')));
  problems.push(...identityProblems(catalog, files));
  problems.push(...agencyProblems(catalog, files));
  return { problems, summary: summarise(catalog) };
}

function main(): void {
  const dir = process.argv[2] ?? CATALOG_DIR;
  const { problems, summary } = checkCatalog(dir);
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
    process.stderr.write(`\ncatalog check failed: ${problems.length} problem(s)\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    `catalog ${summary.version}: ${summary.services} services (enterprise ${summary.byLifeCycle.enterprise}, individual ${summary.byLifeCycle.individual}), ` +
      `${summary.leafStages} leaf stages all covered, ${summary.flows} self-service flows, ${summary.instant} 秒批, ` +
      `${summary.commitment} 告知承诺, ${summary.synonyms} synonyms\n`,
  );
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && realpathSync(invokedPath) === fileURLToPath(import.meta.url)) main();
