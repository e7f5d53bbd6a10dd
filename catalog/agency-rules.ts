import type { Catalog } from '../contract/catalog.js';
import type { CatalogProblem } from './load.js';

/**
 * The catalog's 代办 rules (issue 12, contract/agency.ts), checked by `npm run catalog:check`:
 * - every service says whether someone else may apply for the citizen: exactly one of `agentAllowed` and
 *   `inPersonOnly` is true (neither means nobody decided; both contradict each other);
 * - an `inPersonOnly` service carries `inPersonReason`, the plain-Chinese words the citizen reads when 代办 is
 *   refused (why, and what to do instead); a reason on a service that allows 代办 is text nobody reads;
 * - an `agentAllowed` service names at least one authorisation (`agentAuthorisation`: 委托书 / 告知承诺), none
 *   twice; an `inPersonOnly` one names none.
 * `files` maps service ids to the file names the problems name.
 */
export function agencyProblems(catalog: Catalog, files: ReadonlyMap<string, string>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const service of catalog.services) {
    const file = files.get(service.id) ?? `${service.id}.json`;
    const report = (path: string, message: string) => problems.push({ file, path, message });
    if (service.agentAllowed && service.inPersonOnly) report('inPersonOnly', 'agentAllowed and inPersonOnly are both true: a service either allows 代办 or is 本人办理 only');
    if (!service.agentAllowed && !service.inPersonOnly) report('agentAllowed', 'say whether 代办 is allowed: set agentAllowed (with agentAuthorisation) or inPersonOnly (with inPersonReason)');
    if (service.inPersonOnly && !service.inPersonReason) report('inPersonReason', 'an inPersonOnly service needs a plain-Chinese inPersonReason shown when 代办 is refused');
    if (!service.inPersonOnly && service.inPersonReason) report('inPersonReason', 'inPersonReason without inPersonOnly: remove it or make the service 本人办理 only');
    if (service.agentAllowed && service.agentAuthorisation.length === 0) report('agentAuthorisation', 'a service that allows 代办 names the authorisation it accepts (委托书 and/or 告知承诺)');
    if (!service.agentAllowed && service.agentAuthorisation.length > 0) report('agentAuthorisation', 'agentAuthorisation on a service that does not allow 代办');
    if (new Set(service.agentAuthorisation).size !== service.agentAuthorisation.length) report('agentAuthorisation', 'an authorisation kind is listed twice');
  }
  return problems;
}
