import { AgencyAuthorisation, CASE_AUTHORISATION_PATH, type CaseAuthorisationView } from '../../contract/agency.js';
import { maskIdNumber, maskName } from '../../contract/validators/gb11643.js';
import type { CentralContext } from '../context.js';
import { HttpError, route, type Route } from '../http/routes.js';

/** Who may open a case's authorisation: the hall's staff and managers (not technicians: devices, not cases). */
const CASE_VIEW_ROLES = ['staff', 'manager'] as const;

/**
 * The staff console's case view of a 代办 case (issue 12): agent and principal masked, the relationship, and the
 * authorisation the kiosk took — the 委托书 photo or the signed 代办告知承诺 — to signed-in staff only (the route is
 * `console`: no token 401, a technician 403). Every opening, and every refusal for a case that is not 代办 or does
 * not exist, is audited in `case_view_audit` under the 工号.
 */
export function consoleCaseRoutes(context: CentralContext): Route[] {
  const { store, now } = context;
  return [
    route({
      method: 'GET',
      auth: 'console',
      roles: CASE_VIEW_ROLES,
      path: CASE_AUTHORISATION_PATH,
      async handle({ params, user }) {
        const caseNumber = (params.caseNumber ?? '').slice(0, 64);
        const actor = `staff:${user?.staffNumber ?? ''}`;
        const audit = (outcome: string) => store.caseAuthorisations.audit({ atMs: now().getTime(), actor, event: 'case.view-authorisation', caseNumber, outcome });
        const record = await store.caseAuthorisations.find(caseNumber);
        if (!record) {
          await audit('refused-no-case');
          throw new HttpError(404, { code: 'no-case', message: '没有这个受理编号的办件，请核对后再查' });
        }
        const authorisation = record.authorisation ? AgencyAuthorisation.safeParse(JSON.parse(record.authorisation)) : null;
        if (!authorisation?.success || !record.agentId || !record.agentName) {
          await audit('refused-not-agency');
          throw new HttpError(404, { code: 'not-agency', message: '这个办件是本人办理，没有代办授权材料' });
        }
        const value = authorisation.data;
        const body: CaseAuthorisationView = {
          caseNumber: record.caseNumber,
          serviceName: record.serviceName,
          agent: { nameMasked: maskName(record.agentName), idMasked: maskIdNumber(record.agentId) },
          principal: { nameMasked: maskName(record.applicantName), idMasked: maskIdNumber(record.applicantId) },
          relationship: record.relationship ?? '',
          kind: value.kind,
          image: value.kind === '委托书' ? `data:image/jpeg;base64,${value.base64}` : value.signature,
        };
        await audit(`shown ${value.kind}`);
        return { status: 200, body };
      },
    }),
  ];
}
