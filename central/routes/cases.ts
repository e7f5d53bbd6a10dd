import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Service } from '../../contract/catalog.js';
import { CasesByApplicantBody, CENTRAL_PATHS, RatingBody, SubmitApplicationBody, type RatingAck, type SubmitApplicationResponse } from '../../contract/central/api.js';
import { chinaDate, chinaDay } from '../../contract/china-time.js';
import type { CaseStatus } from '../../contract/domain.js';
import { checkApplicant, normaliseDraft } from '../intake.js';
import { asksForOpenCase, decide } from '../approval.js';
import type { CentralContext } from '../context.js';
import { HttpError, route, type Route } from '../http/routes.js';
import type { CentralData, FiledCase } from '../store/store.js';
import type { IssuedProof } from '../../contract/proofs.js';
import { issuedProofOf } from '../proofs/issuer.js';
import { resultDocumentOf } from '../proofs/results.js';
import { agencyCaseProblem } from '../agency.js';

/**
 * What an application is, as one digest: SHA-256 (hex) of the service, the applicant and the draft as
 * RFC 8785 canonical JSON (keys sorted, one number form), so the same application digests alike however
 * its JSON was laid out. The local number and the moment of sending are left out: they say when and
 * under which number it came, not what was applied for.
 */
export function applicationDigest(body: Pick<SubmitApplicationBody, 'serviceId' | 'applicant' | 'draft'>): string {
  const canonical = canonicalize({ serviceId: body.serviceId, applicant: body.applicant, draft: body.draft }) ?? '';
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Whether a submission under a known local number is that case again (a redelivery whose idempotency
 * record expired), or another application under a repeated number (issue 10, kind 1: a recreated
 * outbox or a torn WAL restarted a kiosk's numbers, and the older case of another citizen was given out).
 * The applicant must agree, and the digest too where the case has one (cases filed before migration
 * 0003 have none).
 */
function sameApplication(filed: FiledCase, applicantId: string, digest: string): boolean {
  return filed.applicantId === applicantId && (filed.payloadDigest === null || filed.payloadDigest === digest);
}

/**
 * Cases (办件): submit an application (idempotent; one case per terminal and local number), look one
 * up by case or local number, list an applicant's, rate one (一事一评).
 */
export function caseRoutes({ store, catalog, now, stats, proofs }: CentralContext): Route[] {
  const services = new Map<string, Service>(catalog.services.map((service) => [service.id, service]));
  const caseNotFound = () => new HttpError(404, { code: 'case-not-found', message: '未查到该办件，请核对受理编号' });
  const localNumberConflict = () =>
    new HttpError(409, {
      code: 'local-number-conflict',
      message: '该终端的本地编号已用于另一件申请，本申请未受理；请工作人员核对后重新提交，并请运维人员检查终端的编号',
    });

  const answer = (service: Service, localNumber: string, caseNumber: string, status: CaseStatus, reasons: string[], sealedResult?: IssuedProof | null): SubmitApplicationResponse => ({
    caseNumber,
    localNumber,
    status,
    ...(status === 'approved' ? { resultTitle: service.flow?.autoApproval?.resultTitle } : {}),
    reasons,
    ...(sealedResult ? { sealedResult } : {}),
  });

  /**
   * The 秒批 result as a sealed document (issue 15), for services whose result central lays out
   * (proofs/results.ts): sealed and recorded in the case's transaction, under a verification code.
   */
  async function sealResult(tx: CentralData, terminalId: string, service: Service, body: SubmitApplicationBody, caseNumber: string): Promise<IssuedProof | null> {
    if (!proofs) return null;
    const result = await resultDocumentOf(service.id, body, { caseNumber, today: chinaDate(now()), data: tx });
    return result ? proofs.seal(tx, result.kind, result.content, { subjectId: body.applicant.idNumber, caseNumber, terminalId }) : null;
  }

  /** The sealed result of a case filed before (a redelivery under an expired key), or null. */
  async function storedResult(tx: CentralData, caseNumber: string): Promise<IssuedProof | null> {
    const record = proofs ? await tx.proofs.byCase(caseNumber) : null;
    return record && proofs ? issuedProofOf(record, proofs.key.sealName) : null;
  }

  /** Decides (秒批 or manual review), numbers and files a new case: TA + Beijing day + the day's sequence. */
  async function fileCase(tx: CentralData, terminalId: string, service: Service, body: SubmitApplicationBody, payloadDigest: string): Promise<SubmitApplicationResponse> {
    const hasOpenCase = asksForOpenCase(service) && (await tx.cases.hasOpenCase(body.applicant.idNumber, service.id));
    const decision = decide(service, body, { today: chinaDate(now()), hasOpenCase });
    const day = chinaDay(now());
    const caseNumber = `TA${day}${String(await tx.counters.next(`case-${day}`)).padStart(6, '0')}`;
    await tx.cases.insert({
      caseNumber,
      localNumber: body.localNumber,
      terminalId,
      serviceId: service.id,
      serviceName: service.name,
      status: decision.status,
      applicantId: body.applicant.idNumber,
      applicantName: body.applicant.name,
      identitySource: body.identitySource,
      assistedBy: body.assistedBy ?? null,
      payload: JSON.stringify(body.draft),
      payloadDigest,
      reasons: decision.reasons,
      submittedAt: body.submittedAt,
      receivedAt: now().toISOString(),
      identityCheckMethod: body.identityCheck?.method ?? null,
      identityCheckStaff: body.identityCheck?.method === 'staff' ? body.identityCheck.staffNumber : null,
      identityCheckOutcome: body.identityCheck?.outcome ?? null,
      delivery: body.delivery ? JSON.stringify(body.delivery) : null,
      agency: body.agency
        ? {
            agentId: body.agency.agent.idNumber,
            agentName: body.agency.agent.name,
            relationship: body.agency.relationship,
            principalSource: body.agency.principalSource,
            authorisationKind: body.agency.authorisation.kind,
            authorisation: JSON.stringify(body.agency.authorisation),
          }
        : null,
    });
    const sealedResult = decision.status === 'approved' ? await sealResult(tx, terminalId, service, body, caseNumber) : null;
    return answer(service, body.localNumber, caseNumber, decision.status, decision.reasons, sealedResult);
  }

  return [
    route({
      method: 'POST',
      path: CENTRAL_PATHS.applications,
      body: SubmitApplicationBody,
      idempotent: true,
      async handle({ terminalId, body: raw, idempotencyKey }) {
        const service = services.get(raw.serviceId);
        if (!service) throw new HttpError(422, { code: 'unknown-service', message: '该事项已调整，请到窗口咨询' });
        // Normalised and checked for sense once, here; what is filed and digested is the checked form.
        const applicant = checkApplicant(raw.applicant, chinaDate(now()));
        if (!applicant.ok) throw new HttpError(422, { code: 'invalid-applicant', message: applicant.message });
        // 代办 (issue 12): a 本人办理 service refuses it with its catalog reason, whatever the kiosk let through.
        const agencyProblem = raw.agency ? agencyCaseProblem(service, raw.agency, raw.applicant.idNumber) : null;
        if (agencyProblem) throw new HttpError(422, agencyProblem);
        const draft = normaliseDraft(service, raw.draft);
        if (!draft.ok) throw new HttpError(422, { code: 'invalid-draft', message: draft.message });
        const body = { ...raw, applicant: applicant.value, draft: draft.value };
        const digest = applicationDigest(body);
        // The case and the key's stored answer commit together: a crash leaves both or neither.
        const outcome = await store.transaction(async (tx) => {
          // A local number maps to exactly one case per terminal, even if the idempotency record expired;
          // but only the same application gets that case back: another one under the number is a conflict.
          const existing = await tx.cases.byLocalNumber(terminalId, body.localNumber);
          if (existing && !sameApplication(existing, body.applicant.idNumber, digest)) return { conflict: true } as const;
          const response = existing
            ? answer(service, body.localNumber, existing.caseNumber, existing.status, existing.reasons, await storedResult(tx, existing.caseNumber))
            : await fileCase(tx, terminalId, service, body, digest);
          if (idempotencyKey) await tx.idempotency.complete(terminalId, idempotencyKey, { status: 201, body: JSON.stringify(response) });
          return { conflict: false, response, created: !existing } as const;
        });
        if (outcome.conflict) {
          stats.localNumberConflicts++;
          // Not stored under the key (the core releases it): the same request is refused again, never answered with the other case.
          throw localNumberConflict();
        }
        if (outcome.created) stats.casesCreated++;
        else stats.localNumberReplays++;
        return { status: 201, body: outcome.response };
      },
    }),
    route({
      method: 'GET',
      path: '/v1/cases/:ref',
      async handle({ params }) {
        const record = await store.cases.find(params.ref ?? '');
        if (!record) throw caseNotFound();
        return { status: 200, body: record };
      },
    }),
    route({
      method: 'POST',
      path: CENTRAL_PATHS.casesByApplicant,
      body: CasesByApplicantBody,
      handle: async ({ body }) => ({ status: 200, body: await store.cases.byApplicant(body.idNumber) }),
    }),
    route({
      method: 'POST',
      path: CENTRAL_PATHS.ratings,
      body: RatingBody,
      async handle({ body }) {
        const record = await store.cases.find(body.rating.caseRef);
        if (!record) throw caseNotFound();
        const accepted = await store.ratings.add({
          caseNumber: record.caseNumber,
          level: body.rating.level,
          reason: body.rating.reason ?? null,
          contact: body.rating.contact ?? null,
          channel: body.channel,
          staffNumber: body.staffNumber ?? null,
          ratedAt: now().toISOString(),
        });
        // 一事一评: a second rating of the same case is refused, but a redelivered identical one is not an error.
        const ack: RatingAck = { accepted, caseNumber: record.caseNumber };
        return { status: accepted ? 201 : 200, body: ack };
      },
    }),
  ];
}
