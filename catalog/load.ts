import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Service, type Catalog, type Condition, type Stage } from '../contract/catalog.js';
import { resolveDateBound } from '../contract/date-range.js';
import { isTaianDivision } from '../contract/validators/common.js';
import { STAGES, leafStages } from './taxonomy.js';

/**
 * Reads the catalog from its data files: `<dir>/services/*.json` (one service per file, named after its
 * id) and `<dir>/synonyms.json`. Everything read from disk is parsed (STYLE.md "parse everything that
 * crosses a boundary"), then cross-checked, so the host and central never hold a catalog whose
 * conditions point at questions that do not exist. Programme quotas (≥ 60 services, every leaf stage
 * covered …) are `catalog/check.ts`'s business: a test fixture of two services is still a catalog.
 */

/** The catalog shipped with the kiosk (its first-start snapshot) and served by central. */
export const CATALOG_DIR = fileURLToPath(new URL('.', import.meta.url));

/** One thing wrong with one file, printed as `file: field.path: message`. */
export interface CatalogProblem {
  /** Path of the file, relative to the working directory so editors and CI logs can link it. */
  file: string;
  /** Dotted path inside the file (`flow.form[2].prefill`), `$` for the file as a whole. */
  path: string;
  message: string;
}

export function formatProblem(problem: CatalogProblem): string {
  return `${problem.file}: ${problem.path}: ${problem.message}`;
}

/** Thrown by `loadCatalog`; `problems` lists every problem found, not just the first. */
export class CatalogError extends Error {
  readonly code = 'catalog-invalid';
  constructor(readonly problems: readonly CatalogProblem[]) {
    super(`catalog has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'CatalogError';
  }
}

export interface CatalogRead {
  /** Whatever parsed; services with schema problems are left out. */
  catalog: Catalog;
  /** Which file each service came from (service id → file), for problems found later. */
  files: ReadonlyMap<string, string>;
  problems: CatalogProblem[];
}

const Synonyms = z.record(z.string().min(1), z.array(z.string().min(1)).min(1));

function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '$' : text;
}

/**
 * Keys present in the file but absent from the parsed value: the schema strips unknown keys (so an
 * older kiosk tolerates a newer catalog), which would let a typo such as `comitmentAllowed` pass
 * silently. Defaults only ever add keys, so anything missing after parsing was not in the schema.
 */
function unknownKeys(input: unknown, output: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((element, index) => unknownKeys(element, output[index], [...path, index]));
  }
  if (input === null || output === null || typeof input !== 'object' || typeof output !== 'object') return [];
  const found: PropertyKey[][] = [];
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(output, key)) found.push([...path, key]);
    else found.push(...unknownKeys(value, (output as Record<string, unknown>)[key], [...path, key]));
  }
  return found;
}

function readJson(file: string, shown: string, problems: CatalogProblem[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    problems.push({ file: shown, path: '$', message: `cannot read JSON: ${(error as Error).message}` });
    return undefined;
  }
}

/** Parses one file with a schema; pushes every issue and every unknown key. */
function parseFile<T>(schema: z.ZodType<T>, input: unknown, shown: string, problems: CatalogProblem[]): T | undefined {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ file: shown, path: pathText(issue.path), message: issue.message });
    return undefined;
  }
  for (const path of unknownKeys(input, parsed.data)) {
    problems.push({ file: shown, path: pathText(path), message: 'unknown field (misspelt, or missing from contract/catalog.ts)' });
  }
  return parsed.data;
}

/** Reads and parses every file, collecting problems instead of stopping at the first. */
export function readCatalog(dir: string = CATALOG_DIR, stages: readonly Stage[] = STAGES): CatalogRead {
  const problems: CatalogProblem[] = [];
  const shown = (file: string) => relative(process.cwd(), file) || file;
  const hash = createHash('sha256');

  const servicesDir = join(dir, 'services');
  let names: string[] = [];
  try {
    names = readdirSync(servicesDir).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    problems.push({ file: shown(servicesDir), path: '$', message: `cannot list services: ${(error as Error).message}` });
  }

  const services: Service[] = [];
  const files = new Map<string, string>();
  for (const name of names) {
    const file = join(servicesDir, name);
    const input = readJson(file, shown(file), problems);
    if (input === undefined) continue;
    hash.update(name).update(JSON.stringify(input));
    const service = parseFile(Service, input, shown(file), problems);
    if (!service) continue;
    if (name !== `${service.id}.json`) {
      problems.push({ file: shown(file), path: 'id', message: `file must be named after the service id: ${service.id}.json` });
    }
    if (files.has(service.id)) {
      problems.push({ file: shown(file), path: 'id', message: `duplicate service id, also in ${files.get(service.id)}` });
      continue;
    }
    files.set(service.id, shown(file));
    services.push(service);
  }

  const synonymsFile = join(dir, 'synonyms.json');
  const synonymsInput = readJson(synonymsFile, shown(synonymsFile), problems);
  if (synonymsInput !== undefined) hash.update('synonyms').update(JSON.stringify(synonymsInput));
  const synonyms =
    synonymsInput === undefined ? {} : (parseFile(Synonyms, synonymsInput, shown(synonymsFile), problems) ?? {});

  const catalog: Catalog = { version: hash.digest('hex').slice(0, 12), stages: [...stages], services, synonyms };
  problems.push(...integrityProblems(catalog, files));
  return { catalog, files, problems };
}

/**
 * Loads the catalog or throws a `CatalogError` listing every problem as `file: field.path: message`.
 * `version` is a content hash, so a kiosk's cached copy and central's agree exactly when their data does.
 */
export function loadCatalog(dir: string = CATALOG_DIR): Catalog {
  const { catalog, problems } = readCatalog(dir);
  if (problems.length > 0) throw new CatalogError(problems);
  return catalog;
}

// ───────────── Cross-checks the schema cannot express ─────────────

/** Which prefill sources may fill which field types (a name must not land in a mobile field). */
const PREFILL_TYPES: Record<string, readonly string[]> = {
  'card.name': ['text'],
  'card.idNumber': ['id-number'],
  'card.sex': ['text', 'select'],
  'card.birthDate': ['date'],
  'card.address': ['address', 'text'],
  'card.nation': ['text', 'select'],
  'card.division': ['division'],
  'profile.mobile': ['mobile'],
  'profile.address': ['address', 'text'],
  'profile.enterpriseName': ['text'],
  'profile.creditCode': ['credit-code'],
};

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) (seen.has(value) ? repeated : seen).add(value);
  return [...repeated];
}

/** Referential and consistency problems of one parsed catalog. */
function integrityProblems(catalog: Catalog, files: ReadonlyMap<string, string>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const stagesById = new Map(catalog.stages.map((stage) => [stage.id, stage]));
  const leaves = new Set(leafStages(catalog.stages).map((stage) => stage.id));
  const codes = new Map<string, string>();
  const serviceIds = new Set(catalog.services.map((service) => service.id));

  for (const service of catalog.services) {
    const file = files.get(service.id) ?? `${service.id}.json`;
    const report = (path: string, message: string) => problems.push({ file, path, message });

    const owner = codes.get(service.code);
    if (owner !== undefined) report('code', `duplicate item code, also used by ${owner}`);
    else codes.set(service.code, service.id);

    const stage = stagesById.get(service.stage);
    if (!stage) report('stage', `unknown stage "${service.stage}" (see catalog/taxonomy.ts)`);
    else if (!leaves.has(stage.id)) report('stage', `"${service.stage}" is a group; use one of its leaf stages`);
    else if (stage.lifeCycle !== service.lifeCycle) report('lifeCycle', `stage "${stage.id}" belongs to the ${stage.lifeCycle} life cycle`);

    service.divisions.forEach((division, index) => {
      if (!isTaianDivision(division)) report(`divisions[${index}]`, `"${division}" is not a Taian division code`);
    });
    if (service.promisedLimitDays > service.legalLimitDays) report('promisedLimitDays', 'promised limit exceeds the legal limit');
    for (const id of duplicates(service.materials.map((material) => material.id))) report('materials', `duplicate material id "${id}"`);

    service.materials.forEach((material, index) => {
      if (material.source === 'e-licence' && material.licenceType === undefined) {
        report(`materials[${index}].licenceType`, 'an e-licence material names its licence type in central’s library');
      }
    });

    const flow = service.flow;
    // A proof service (查询打印) is self-service without an application: catalog/proof-check.ts checks it.
    // So is a personal query (办件查询 by card, kind `query`).
    if (service.channel === 'self-service' && !flow && service.kind === 'application') report('flow', 'a self-service item needs a flow (situations, form)');
    if (flow && service.channel !== 'self-service') report('channel', 'only self-service items carry a flow');
    if (service.approval === 'instant' && service.channel === 'self-service' && !flow?.autoApproval && service.kind === 'application') {
      report('approval', '秒批 on the kiosk (instant, self-service) needs flow.autoApproval');
    }
    if (flow?.autoApproval && service.approval !== 'instant') report('flow.autoApproval', 'auto-approval rules on a service that is not instant');

    const questions = flow?.situations ?? [];
    const fields = flow?.form ?? [];
    const questionsById = new Map(questions.map((question) => [question.id, question]));
    const fieldsById = new Map(fields.map((field) => [field.id, field]));
    for (const id of duplicates(questions.map((question) => question.id))) report('flow.situations', `duplicate question id "${id}"`);
    for (const id of duplicates(fields.map((field) => field.id))) report('flow.form', `duplicate field id "${id}"`);

    /**
     * `earlierQuestions`/`earlierFields` limit what a condition may refer to: a question may depend only
     * on questions asked before it, so the flow engine can settle visibility in one pass, in order.
     */
    const checkWhen = (
      path: string,
      when: readonly Condition[] | undefined,
      earlierQuestions: ReadonlySet<string>,
      earlierFields: ReadonlySet<string> | null,
    ) => {
      when?.forEach((condition, index) => {
        const at = `${path}.when[${index}]`;
        if ('question' in condition) {
          const question = questionsById.get(condition.question);
          if (!question) return report(`${at}.question`, `no situation question "${condition.question}"`);
          if (!earlierQuestions.has(question.id)) return report(`${at}.question`, `"${question.id}" is not asked before this point`);
          const values = 'equals' in condition ? [condition.equals] : condition.in;
          for (const value of values) {
            if (!question.options.some((option) => option.value === value)) {
              report(at, `"${value}" is not an option of question "${question.id}"`);
            }
          }
          return;
        }
        if (earlierFields === null) return report(`${at}.field`, 'only situation answers are known at this point, not form fields');
        const field = fieldsById.get(condition.field);
        if (!field) return report(`${at}.field`, `no form field "${condition.field}"`);
        if (!earlierFields.has(field.id)) return report(`${at}.field`, `"${field.id}" does not come before this point`);
        if ('equals' in condition) {
          const fits =
            field.type === 'checkbox'
              ? typeof condition.equals === 'boolean'
              : field.type === 'select'
                ? field.options?.some((option) => option.value === condition.equals) === true
                : field.type !== 'multi-select' && typeof condition.equals === 'string';
          if (!fits) report(`${at}.equals`, `${JSON.stringify(condition.equals)} can never be a value of field "${field.id}"`);
        }
      });
    };

    const allQuestions = new Set(questionsById.keys());
    const allFields = new Set(fieldsById.keys());
    const asked = new Set<string>();
    questions.forEach((question, index) => {
      checkWhen(`flow.situations[${index}]`, question.when, asked, null);
      for (const value of duplicates(question.options.map((option) => option.value))) {
        report(`flow.situations[${index}].options`, `duplicate option value "${value}"`);
      }
      asked.add(question.id);
    });
    const filled = new Set<string>();
    fields.forEach((field, index) => {
      const at = `flow.form[${index}]`;
      checkWhen(at, field.when, allQuestions, filled);
      filled.add(field.id);
      if (field.prefill && !PREFILL_TYPES[field.prefill]?.includes(field.type)) {
        report(`${at}.prefill`, `${field.prefill} cannot fill a ${field.type} field`);
      }
      const choosing = field.type === 'select' || field.type === 'multi-select';
      if (choosing && (field.options?.length ?? 0) < 2) report(`${at}.options`, `a ${field.type} field needs at least two options`);
      if (!choosing && field.options !== undefined) report(`${at}.options`, 'only select and multi-select fields have options');
      for (const value of duplicates(field.options?.map((option) => option.value) ?? [])) report(`${at}.options`, `duplicate option value "${value}"`);
      if (field.dateRange !== undefined) {
        if (field.type !== 'date') report(`${at}.dateRange`, 'only date fields have a date range');
        for (const end of ['min', 'max'] as const) {
          const bound = field.dateRange[end];
          if (bound === undefined || bound === 'today' || !('field' in bound)) continue;
          const other = fieldsById.get(bound.field);
          if (!other || other.type !== 'date') report(`${at}.dateRange.${end}`, `"${bound.field}" is not a date field of this form`);
          else if (!filled.has(other.id) || other.id === field.id) report(`${at}.dateRange.${end}`, `"${bound.field}" does not come before this field`);
        }
        const { min, max } = field.dateRange;
        const fixedToday = '2000-01-01';
        const fixedBound = (bound: typeof min) => (bound !== undefined && (bound === 'today' || !('field' in bound)) ? resolveDateBound(bound, { today: fixedToday }) : null);
        const [first, last] = [fixedBound(min), fixedBound(max)];
        if (first !== null && last !== null && first > last) report(`${at}.dateRange`, 'the earliest day comes after the latest: no day can be picked');
      }
    });
    service.items.forEach((item, index) => checkWhen(`items[${index}]`, item.when, allQuestions, allFields));
    service.materials.forEach((material, index) => checkWhen(`materials[${index}]`, material.when, allQuestions, allFields));

    flow?.autoApproval?.checks.forEach((check, index) => {
      if (check.kind !== 'answer') return;
      const question = questionsById.get(check.question);
      if (!question) report(`flow.autoApproval.checks[${index}].question`, `no situation question "${check.question}"`);
      else if (!question.options.some((option) => option.value === check.equals)) {
        report(`flow.autoApproval.checks[${index}].equals`, `"${check.equals}" is not an option of question "${question.id}"`);
      }
    });

    // Eligibility is decided before the form: from the card and situation answers only.
    flow?.eligibilityRules.forEach((rule, index) => {
      const at = `flow.eligibilityRules[${index}]`;
      checkWhen(at, rule.when, allQuestions, null);
      rule.alternatives.forEach((alternative, position) => {
        if (!serviceIds.has(alternative)) report(`${at}.alternatives[${position}]`, `no service "${alternative}"`);
        else if (alternative === service.id) report(`${at}.alternatives[${position}]`, 'a service cannot be its own alternative');
      });
    });

    // A question whose answer decides nothing only costs the citizen a tap.
    const referenced = new Set<string>();
    const collect = (when: readonly Condition[] | undefined) => {
      for (const condition of when ?? []) if ('question' in condition) referenced.add(condition.question);
    };
    [...questions, ...fields, ...service.items, ...service.materials, ...(flow?.eligibilityRules ?? [])].forEach((part) => collect(part.when));
    for (const check of flow?.autoApproval?.checks ?? []) if (check.kind === 'answer') referenced.add(check.question);
    questions.forEach((question, index) => {
      if (!referenced.has(question.id)) report(`flow.situations[${index}]`, `question "${question.id}" decides nothing (no condition or rule uses it)`);
    });

    const committable = service.materials.some((material) => material.commitmentAllowed || material.source === 'commitment');
    if (flow && committable && !flow.commitmentText) report('flow.commitmentText', '告知承诺 materials need the text of the commitment the applicant signs');
  }
  return problems;
}
