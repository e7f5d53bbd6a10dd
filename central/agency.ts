import { agencyRefusal, type AgencySubmission, type PopulationCheckAnswer } from '../contract/agency.js';
import type { Service } from '../contract/catalog.js';
import type { IdentityCard } from '../contract/domain.js';
import { normaliseIdNumber } from '../contract/validators/gb11643.js';
import { normaliseText } from '../contract/validators/text.js';
import { DEMO_POPULATION } from './identity-population.js';

/**
 * 代办 on central (issue 12): what a submission with `agency` must satisfy before a case is filed, and the
 * population check the kiosk asks when the agent names the principal by ID number and name.
 */

/**
 * Why central refuses this 代办 (HTTP 422 body), or null: the service is 本人办理 only (the catalog's reason),
 * it does not accept this kind of authorisation, or the agent is the applicant themself.
 */
export function agencyCaseProblem(service: Service, agency: AgencySubmission, applicantId: string): { code: string; message: string } | null {
  const refusal = agencyRefusal(service);
  if (refusal) return { code: 'in-person-only', message: refusal };
  if (!service.agentAuthorisation.includes(agency.authorisation.kind)) return { code: 'invalid-authorisation', message: '本事项不接受这种授权方式，请提供授权委托书' };
  if (normaliseIdNumber(agency.agent.idNumber) === normaliseIdNumber(applicantId)) return { code: 'invalid-agency', message: '代办人与委托人不能是同一人' };
  return null;
}

/**
 * 人口库 check by ID number and name: the resident's card fields when both match (the form is then prefilled from
 * the principal), else no match; never says which of the two was wrong (the answer must not help guess names).
 * The reference central holds its demo population (central/identity-population.ts); a real central asks the
 * provincial population platform.
 */
export function populationCheck(idNumber: string, name: string, population: readonly IdentityCard[] = DEMO_POPULATION): PopulationCheckAnswer {
  const number = normaliseIdNumber(idNumber);
  const person = population.find((candidate) => candidate.idNumber === number);
  if (!person || normaliseText(person.name) !== normaliseText(name)) return { matched: false };
  return { matched: true, identity: person };
}
