import { agencyRefusal, type PrincipalCardRead, type AgencyAuthorisation, type AgencyRelationship, type AgencySubmission, type PrincipalSource } from '../contract/agency.js';
import type { Service } from '../contract/catalog.js';
import type { IdentityCard } from '../contract/domain.js';
import type { ReceiptAgency } from './services/receipt-data.js';
import { maskIdNumber, maskName } from '../contract/validators/gb11643.js';

/** A complete 代办 as the session holds it (SessionService.agency()). */
export interface CompleteAgency {
  principal: IdentityCard;
  principalSource: PrincipalSource;
  relationship: AgencyRelationship;
  authorisation: AgencyAuthorisation;
}

const AGENCY_SUBMIT_WORDS = {
  incomplete: '代办信息还不完整。请按屏幕提示输入委托人信息并提供授权委托书后再提交',
} as const;

/**
 * Why `application:submit` must refuse this session's 代办 (issue 12), or null: a 本人办理 service refuses any
 * 代办 with its catalog reason (defence in depth: the screen never offers it); 代办 begun but not complete
 * (no principal, relationship or authorisation) is refused rather than filed in the agent's own name.
 */
export function agencySubmissionProblem(service: Service, begun: boolean, agency: CompleteAgency | null): { code: string; message: string } | null {
  if (!begun) return null;
  const refusal = agencyRefusal(service);
  if (refusal) return { code: 'in-person-only', message: refusal };
  if (!agency) return { code: 'agency-incomplete', message: AGENCY_SUBMIT_WORDS.incomplete };
  if (!service.agentAuthorisation.includes(agency.authorisation.kind)) return { code: 'agency-incomplete', message: AGENCY_SUBMIT_WORDS.incomplete };
  return null;
}

/** The 代办 part of the case sent to central: the agent (whose card was read), principal source, relationship, authorisation. */
export function agencySubmission(agent: IdentityCard, agency: CompleteAgency): AgencySubmission {
  return {
    agent: { idNumber: agent.idNumber, name: agent.name || agent.englishName || '' },
    principalSource: agency.principalSource,
    relationship: agency.relationship,
    authorisation: agency.authorisation,
  };
}

/** What the receipt prints of the agent (masked there, with the principal as 委托人). */
export function agencyReceipt(agent: IdentityCard, relationship: AgencyRelationship): ReceiptAgency {
  return { agent: { name: agent.name || agent.englishName || '', idNumber: agent.idNumber }, relationship };
}

/** Said when the principal's card laid for 代办 has expired: nothing is taken from it. */
export const PRINCIPAL_CARD_EXPIRED = '委托人的证件已超过有效期，不能用于代办。请取回委托人的证件，改为输入委托人的身份证号码，或到人工窗口办理';

/** The `agency:principal-read` event for a principal's card: masked for the screen, with the card fields. */
export function principalCardRead(card: IdentityCard): PrincipalCardRead {
  return { nameMasked: maskName(card.name || card.englishName || ''), idMasked: maskIdNumber(card.idNumber), identity: card };
}
