import type { Catalog } from '../contract/catalog.js';
import { needsIdentityCheck } from '../contract/identity-assurance.js';
import type { CatalogProblem } from './load.js';

/**
 * The catalog's 人证核验 rules (issue 14), checked by `npm run catalog:check`:
 * - a self-service flow (an application made on the kiosk in the applicant's own name, or a query of their
 *   own data) asks for more than the card: `card+face` or `card+face-or-staff`, since today anyone holding
 *   someone else's card could apply in that person's name;
 * - a service that asks for a check says why, in plain Chinese (`identityReason`, shown before any camera
 *   turns on); a reason on a service that asks for none is text nobody will read, and is refused too.
 * `files` maps service ids to the file names the problems name.
 */
export function identityProblems(catalog: Catalog, files: ReadonlyMap<string, string>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const service of catalog.services) {
    const file = files.get(service.id) ?? `${service.id}.json`;
    const asks = needsIdentityCheck(service.identityAssurance);
    if (service.flow && service.channel === 'self-service' && !asks) {
      problems.push({ file, path: 'identityAssurance', message: 'a self-service application needs 人证核验: card+face or card+face-or-staff, not card' });
    }
    if (asks && !service.identityReason) problems.push({ file, path: 'identityReason', message: `identityAssurance ${service.identityAssurance} needs a plain-Chinese identityReason for the citizen` });
    if (!asks && service.identityReason) problems.push({ file, path: 'identityReason', message: 'identityReason without a check (identityAssurance card): remove it or ask for the check' });
  }
  return problems;
}
