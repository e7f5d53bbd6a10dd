import type { Catalog } from '../contract/catalog.js';
import { DOCUMENT_KINDS, PROOF_KIND_IDS, type ProofKindId } from '../contract/proofs.js';
import type { CatalogProblem } from './load.js';

/**
 * `proof` services (查询打印, issue 15): each lists at least one proof, every proof is a kind central issues
 * (contract/proofs.ts) of the service's own life cycle, for the right holder, offered by one service only;
 * a proof service has no application flow (nothing is submitted).
 */
export function proofProblems(catalog: Catalog, files: ReadonlyMap<string, string>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const offeredBy = new Map<string, string>();
  for (const service of catalog.services) {
    const file = files.get(service.id) ?? `${service.id}.json`;
    const report = (path: string, message: string) => problems.push({ file, path, message });
    if (service.kind !== 'proof') {
      if (service.proofs) report('proofs', 'only a service of kind "proof" lists proofs');
      continue;
    }
    if (!service.proofs || service.proofs.length === 0) report('proofs', 'a proof service lists at least one proof');
    if (service.flow) report('flow', 'a proof service has no application flow');
    for (const [index, offer] of (service.proofs ?? []).entries()) {
      if (!(PROOF_KIND_IDS as readonly string[]).includes(offer.kind)) {
        report(`proofs[${index}].kind`, `“${offer.kind}” is not a proof kind central issues (contract/proofs.ts)`);
        continue;
      }
      const spec = DOCUMENT_KINDS[offer.kind as ProofKindId];
      const lifeCycle = spec.lifeCycle === 'enterprise' ? 'enterprise' : 'individual';
      if (lifeCycle !== service.lifeCycle) report(`proofs[${index}].kind`, `“${offer.kind}” is a ${spec.lifeCycle} proof, the service is ${service.lifeCycle}`);
      const holder = spec.lifeCycle === 'enterprise' ? 'legal-representative' : 'person';
      if (offer.holder !== holder) report(`proofs[${index}].holder`, `“${offer.kind}” is issued to the ${holder}`);
      const earlier = offeredBy.get(offer.kind);
      if (earlier) report(`proofs[${index}].kind`, `“${offer.kind}” is already offered by ${earlier}`);
      offeredBy.set(offer.kind, service.id);
    }
  }
  return problems;
}
