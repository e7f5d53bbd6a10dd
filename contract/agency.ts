import { z } from 'zod';
import { IdentityCard, SIGNATURE_MAX_CHARS } from './domain.js';

/**
 * 代办 (issue 12): someone — a family member or another trustee — applies on the kiosk for a citizen who is
 * not there (the 委托人, principal). The agent's own card is read and their 人证核验 applies to them; the
 * principal is named by card or by ID number + name checked against central's 人口库; the relationship and
 * the authorisation (委托书 photographed by the document camera, or a signed 告知承诺 where the catalog allows
 * it) go with the case. The case is the principal's; central's record and the receipt carry both identities.
 * Source: 《国务院办公厅关于加快推进“一件事一次办”打造政务服务升级版的指导意见》 (帮办代办), 山东省政务服务
 * 帮办代办 practice (授权委托书 + 受托人身份证).
 */

/** How the agent is related to the principal: the option buttons the kiosk shows, in this order. */
export const AgencyRelationship = z.enum(['配偶', '父母', '子女', '其他亲属', '其他受托人']);
export type AgencyRelationship = z.infer<typeof AgencyRelationship>;

/** Kinds of authorisation a catalog service may accept for 代办 (catalog `agentAuthorisation`). */
export const AuthorisationKind = z.enum(['委托书', '告知承诺']);
export type AuthorisationKind = z.infer<typeof AuthorisationKind>;

/** Base64 characters of the 委托书 photo at most (about 3 MB of JPEG, as one material photo). */
export const AUTHORISATION_PHOTO_MAX_BASE64 = 4_000_000;

/**
 * The authorisation as the kiosk took it: the 授权委托书 photographed (JPEG, base64 starting `/9j/` like
 * every material photo), or the agent's on-screen signature under the 代办告知承诺 text (PNG data URL).
 */
export const AgencyAuthorisation = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('委托书'),
    mimeType: z.literal('image/jpeg'),
    base64: z.string().max(AUTHORISATION_PHOTO_MAX_BASE64).regex(/^\/9j\/[A-Za-z0-9+/]+={0,2}$/, '委托书照片格式不正确，请重拍'),
  }).strict(),
  z.object({
    kind: z.literal('告知承诺'),
    signature: z.string().startsWith('data:image/png;base64,').max(SIGNATURE_MAX_CHARS),
  }).strict(),
]);
export type AgencyAuthorisation = z.infer<typeof AgencyAuthorisation>;

/** How the principal was named on the kiosk: their card on the reader, or ID number + name checked at central. */
export const PrincipalSource = z.enum(['id-card', 'population-check']);
export type PrincipalSource = z.infer<typeof PrincipalSource>;

/** The text the agent signs when the catalog accepts 告知承诺 instead of a 委托书 (shown on screen, printed on nothing). */
export const AGENCY_COMMITMENT_TEXT =
  '本人承诺：已取得委托人的真实授权，代为办理本事项；所提交的信息真实、准确、完整。如有虚假，本人愿意承担相应法律责任。';

/** `agency:check-principal` request: the principal's ID number and name as typed on the ID pad and name panel. */
export const PrincipalCheckRequest = z.object({
  idNumber: z.string().regex(/^\d{17}[\dXx]$/, '请输入18位身份证号码'),
  name: z.string().trim().min(2).max(30),
}).strict();
export type PrincipalCheckRequest = z.infer<typeof PrincipalCheckRequest>;

/**
 * Answer of `agency:check-principal`: matched (the principal is set on the session), with the masked name and
 * number the screen shows and the principal's card fields (`identity`: the renderer decides eligibility and
 * names the identity materials from them, as it does with a card read; wiped with the session), or not matched,
 * with what to do next in plain Chinese.
 */
export const PrincipalCheckAnswer = z.discriminatedUnion('matched', [
  z.object({ matched: z.literal(true), nameMasked: z.string(), idMasked: z.string(), identity: IdentityCard }),
  z.object({ matched: z.literal(false), message: z.string() }),
]);
export type PrincipalCheckAnswer = z.infer<typeof PrincipalCheckAnswer>;

/** `agency:begin` answer: the authorisation kinds the service accepts, in the catalog's order. */
export const AgencyBeginAnswer = z.object({ authorisation: z.array(AuthorisationKind) });
export type AgencyBeginAnswer = z.infer<typeof AgencyBeginAnswer>;

/** `agency:principal-read` event: the principal's card read on the reader (masked for the screen, and the card fields as after a match). */
export const PrincipalCardRead = z.object({ nameMasked: z.string(), idMasked: z.string(), identity: IdentityCard });
export type PrincipalCardRead = z.infer<typeof PrincipalCardRead>;

/** `agency:set` request: the relationship and the authorisation, once the principal is known. */
export const AgencySetRequest = z.object({ relationship: AgencyRelationship, authorisation: AgencyAuthorisation }).strict();
export type AgencySetRequest = z.infer<typeof AgencySetRequest>;

/**
 * 代办 as the session view carries it: masked names and numbers (what the review page and the receipt show of the
 * agent and principal), the relationship and the authorisation kind; never the authorisation photo or signature.
 */
export const AgencyView = z.object({
  agent: z.object({ nameMasked: z.string(), idMasked: z.string() }),
  principal: z.object({ nameMasked: z.string(), idMasked: z.string(), source: PrincipalSource }),
  relationship: AgencyRelationship.nullable(),
  authorisation: AuthorisationKind.nullable(),
});
export type AgencyView = z.infer<typeof AgencyView>;

/** Central's population check (`POST /v1/identity/population-check`): does this number belong to a resident of this name? */
export const PopulationCheckBody = z.object({ idNumber: z.string().min(15).max(18), name: z.string().min(1).max(60) }).strict();
export type PopulationCheckBody = z.infer<typeof PopulationCheckBody>;

/** The resident's card fields when number and name match (so the form prefills from the principal), else no match. */
export const PopulationCheckAnswer = z.discriminatedUnion('matched', [
  z.object({ matched: z.literal(true), identity: IdentityCard }),
  z.object({ matched: z.literal(false) }),
]);
export type PopulationCheckAnswer = z.infer<typeof PopulationCheckAnswer>;

/** Someone named on a case by central: what central needs of an agent (the photo never leaves the kiosk). */
const AgencyPerson = z.object({ idNumber: z.string().min(6).max(36), name: z.string().max(120) });

/**
 * The 代办 part of a submission to central: the agent (the applicant field stays the principal's), how the
 * principal was named, the relationship and the authorisation itself (photo or signature), stored with the case.
 */
export const AgencySubmission = z.object({
  agent: AgencyPerson,
  principalSource: PrincipalSource,
  relationship: AgencyRelationship,
  authorisation: AgencyAuthorisation,
});
export type AgencySubmission = z.infer<typeof AgencySubmission>;

/** 代办 on central's case record (GET /v1/cases/:ref, staff views): masked identities, relationship, authorisation kind. */
export const CaseAgency = z.object({
  agentNameMasked: z.string(),
  agentIdMasked: z.string(),
  relationship: AgencyRelationship,
  authorisation: AuthorisationKind,
});
export type CaseAgency = z.infer<typeof CaseAgency>;

/** The plain-Chinese refusal of 代办 for a service, from its catalog reason. */
export function agencyRefusal(service: { inPersonOnly: boolean; agentAllowed: boolean; inPersonReason?: string | undefined }): string | null {
  if (service.agentAllowed && !service.inPersonOnly) return null;
  return service.inPersonReason ?? '本事项须本人到场办理，不能代办。请本人携带身份证前来办理。';
}

/** The console's case view path of a 代办 case's authorisation (issue 12): GET, signed-in staff and managers, audited. */
export const CASE_AUTHORISATION_PATH = '/console/api/cases/:caseNumber/authorisation';

/**
 * A 代办 case's authorisation as the staff console shows it: agent and principal masked, the relationship, and the
 * authorisation itself — the 委托书 photo (JPEG) or the agent's signature under the 代办告知承诺 (PNG) — as a data URL.
 */
export const CaseAuthorisationView = z.object({
  caseNumber: z.string(),
  serviceName: z.string(),
  agent: z.object({ nameMasked: z.string(), idMasked: z.string() }),
  principal: z.object({ nameMasked: z.string(), idMasked: z.string() }),
  relationship: z.string(),
  kind: AuthorisationKind,
  /** `data:image/jpeg;base64,…` (委托书) or `data:image/png;base64,…` (告知承诺 signature). */
  image: z.string().regex(/^data:image\/(jpeg|png);base64,/),
});
export type CaseAuthorisationView = z.infer<typeof CaseAuthorisationView>;
