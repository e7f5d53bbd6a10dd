import { ErrorCode, type CaseProgress, type KioskInfo } from '../contract/channels.js';
import { chinaDate } from '../contract/china-time.js';
import type { Handlers } from '../contract/derive.js';
import type { IdentityCard, SubmissionOutcome } from '../contract/domain.js';
import { checkDraft, eligibilityProblems, prefillForm, type CentralProfile } from '../contract/flow.js';
import { formatChoices } from '../contract/format.js';
import { checkSatisfies } from '../contract/identity-assurance.js';
import { CASE_QUERY_DEFAULT_ASSURANCE, CASE_QUERY_SERVICE_ID } from '../contract/personal-query.js';
import { fail, ok } from '../contract/result.js';
import { normaliseCode } from '../contract/validators/text.js';
import {
  CENTRAL_PATHS,
  CaseRecord,
  CasesByApplicantResponse,
  ProfileResponse,
  SharedDataCheckResponse,
  type SubmitApplicationBody,
  type SubmitApplicationResponse,
  type RatingBody,
} from '../contract/central/api.js';
import { z } from 'zod';
import { ELicence } from '../contract/domain.js';
import type { IssuedProof } from '../contract/proofs.js';
import type { CatalogService } from './services/catalog.js';
import type { CentralClient } from './services/central-client.js';
import type { DeviceSet } from './services/devices.js';
import type { Drainer } from './services/drainer.js';
import type { Logger } from './services/log.js';
import { isStorageFailure, type Outbox, type OutboxItem } from './services/outbox.js';
import type { PrintingService } from './services/printing.js';
import type { ReachabilityMonitor } from './services/reachability.js';
import { receiptDataFor } from './services/receipt-data.js';
import { createDemoCardHand } from './services/demo-card-hand.js';
import { approvalCertificate } from './services/result-certificate.js';
import type { SessionService } from './services/session.js';
import type { SpeechService } from './services/speech/speech-service.js';
import type { StaffChannel } from './staff-handlers.js';
import type { ImeChannel } from './ime-handlers.js';
import type { ProofChannel } from './proof-handlers.js';
import type { TechnicianChannel } from './technician-handlers.js';
import type { IdentityChannel } from './identity-handlers.js';
import type { HelpChannel } from './help-handlers.js';
import type { FaceChannel } from './face-handlers.js';
import type { AgencyChannel } from './agency-handlers.js';
import type { StaffCardChannel } from './staff-card-handlers.js';
import { agencyReceipt, agencySubmission, agencySubmissionProblem } from './agency-submission.js';

/** The fleet's channels, handled in host/main.ts beside the fleet service (services/fleet/fleet.ts). */
export type FleetChannel = 'fleet:report-display' | 'fleet:run-self-test' | 'fleet:get-self-test';

/** The video-help channel, handled in host/main.ts beside the signalling socket (services/video-signalling.ts). */
export type VideoChannel = 'video:send';

/** Everything the channel handlers need; built by host/main.ts. */
export interface HostServices {
  info: () => KioskInfo;
  catalog: CatalogService;
  session: SessionService;
  devices: DeviceSet;
  outbox: Outbox;
  drainer: Drainer;
  /** Central reachability for the status pill (`outbox:get-depth`). */
  network: Pick<ReachabilityMonitor, 'online'>;
  client: CentralClient;
  printing: PrintingService;
  speech: SpeechService;
  log: Logger;
  progressUrl: (caseRef: string) => string;
  /** How long a submission waits for central before the citizen gets an offline receipt. */
  submitWaitMs: number;
  onStorageFailure: (error: unknown) => void;
  /**
   * Runs just after `session:start` has answered (a card may lie on the reader: its identity is announced
   * again, or the citizen asked to lift it). After the answer, so the UI is on the identity step when it hears.
   */
  onSessionStarted?: () => void;
  /** Prints a 秒批 result central sealed (issue 15): seal verified first (services/proofs.ts printSealedResult). */
  printSealedResult?: (proof: IssuedProof) => Promise<{ printed: boolean; notice?: string }>;
}

const NOT_DEMO = fail('not-demo', '仅演示模式可用');
const NO_IDENTITY = '请先将身份证放在读卡区核验身份';
const IDENTITY_CHECK_NEEDED = '办理这项业务需要先确认是您本人：请刷脸核验，或请工作人员核验；也可以到窗口办理。';
const QUERY_CHECK_NEEDED = '查询您名下的办件需要先确认是您本人：请刷脸核验，或请工作人员核验；也可以输入受理编号查询单件。';
const QUICK_CALL_MS = 3_000;
const CENTRAL_UNAVAILABLE = '网络暂时中断，无法查询办理进度，请稍后再试或到窗口查询';
const ALREADY_RATED = '该办件已经评价过了，每件事只能评价一次。感谢您的反馈！';
const SESSION_FINISHED = '本次申请已经提交，不能重复提交。如需办理其他事项，请点击“结束办理”后重新开始。';
const LICENCE_NOT_FOUND = '电子证照库中没有查到您的这份证照，请选择其他提供方式。';
const LICENCE_UNREACHABLE = '现在连不上电子证照库，暂时无法调取。请选择告知承诺或稍后窗口补交，不影响提交申请。';
const SHARED_DATA_UNREACHABLE = '现在连不上数据共享平台，相关材料将在网络恢复后自动核验。';
const RECEIPT_NOT_PRINTED = '回执暂未打印。请记下屏幕上的受理编号，或到人工窗口凭身份证打印回执。';
const DELIVERY_MISSING = '请选择办理结果的领取方式：窗口领取、邮寄或仅电子证照。';
const CERTIFICATE_NOT_PRINTED = '结果文书暂未打印。您可以在“爱山东”App 查看电子结果，或凭受理编号到窗口打印。';

function applicantOf(identity: IdentityCard): SubmitApplicationBody['applicant'] {
  return {
    cardType: identity.cardType,
    idNumber: identity.idNumber,
    name: identity.name || identity.englishName || '',
    sex: identity.sex,
    birthDate: identity.birthDate,
    validTo: identity.validTo,
    expired: identity.expired,
  };
}

export function createHandlers(services: HostServices): Omit<Handlers, StaffChannel | TechnicianChannel | ImeChannel | FleetChannel | IdentityChannel | HelpChannel | ProofChannel | FaceChannel | VideoChannel | AgencyChannel | StaffCardChannel> {
  const { catalog, session, devices, outbox, drainer, client, printing, log } = services;
  const cards = devices.simulators?.idCard ?? null;
  const hand = cards ? createDemoCardHand(cards, () => devices.idCardReader) : null;

  /** An application still on this kiosk, as 办件查询 shows it: no case number yet, status `queued`. */
  const waitingHere = (item: OutboxItem): CaseProgress => ({
    caseRef: item.localNumber,
    caseNumber: null,
    serviceName: catalog.service(item.serviceId)?.name ?? item.serviceId,
    status: 'queued',
    submittedAt: new Date(item.createdAt).toISOString(),
    rated: outbox.get(`${item.localNumber}-R`) !== null,
    ...(item.state === 'needs-staff' ? { needsStaff: true } : {}),
  });
  /** A case central holds, as 办件查询 shows it, under the reference the citizen used. */
  const fromCentral = (record: CaseRecord, caseRef = record.caseNumber): CaseProgress => ({
    caseRef,
    caseNumber: record.caseNumber,
    serviceName: record.serviceName,
    status: record.status,
    submittedAt: record.submittedAt,
    rated: record.rated,
  });

  return {
    'kiosk:get-info': () => ok(services.info()),
    'catalog:get-tree': () => ok({ version: catalog.version, stages: catalog.stages, services: catalog.summaries() }),
    'catalog:search': ({ query, limit }) => ok(catalog.search(query, limit)),
    'catalog:get-service': ({ serviceId }) => {
      const service = catalog.service(serviceId);
      return service ? ok(service) : fail('unknown-service', '没有找到该事项，请返回重新选择');
    },
    'session:start': ({ serviceId }) => {
      if (serviceId !== null && !catalog.service(serviceId)) return fail('unknown-service', '没有找到该事项，请返回重新选择');
      if (session.finished()) return fail(ErrorCode.sessionFinished, SESSION_FINISHED);
      const view = session.start(serviceId);
      if (services.onSessionStarted) setTimeout(services.onSessionStarted, 0);
      return ok(view);
    },
    'session:get': () => ok(session.view()),
    'session:end': async ({ reason }) => ok({ wiped: await session.end(reason) }),
    'session:touch': () => ok({ idleDeadline: session.touch() }),
    'device:list-status': () => ok(devices.statuses()),

    'application:prefill': async ({ serviceId }) => {
      const service = catalog.service(serviceId);
      if (!service) return fail('unknown-service', '没有找到该事项，请返回重新选择');
      // A finished session's card data must not fill a new form (the next person may be at the screen).
      if (session.finished()) return fail(ErrorCode.sessionFinished, SESSION_FINISHED);
      // 代办: the form is the principal's (issue 12); otherwise the identity read.
      const identity = session.applicant();
      let profile: CentralProfile = {};
      if (identity) {
        const outcome = await client.call('POST', CENTRAL_PATHS.profile, ProfileResponse, { idNumber: identity.idNumber }, { timeoutMs: QUICK_CALL_MS });
        // Offline, the form is prefilled from the card alone; the citizen types the rest.
        if (outcome.kind === 'ok') profile = outcome.value;
      }
      return ok(prefillForm(service, identity, profile));
    },

    'rating:contact': async () => {
      // The person rating is the one at the screen (in 代办 the agent, not the principal).
      const identity = session.current()?.identity;
      if (!identity) return ok({ mobile: null });
      const outcome = await client.call('POST', CENTRAL_PATHS.profile, ProfileResponse, { idNumber: identity.idNumber }, { timeoutMs: QUICK_CALL_MS });
      return ok({ mobile: outcome.kind === 'ok' ? (outcome.value.mobile ?? null) : null });
    },

    'licence:lookup': async ({ licenceType }) => {
      const identity = session.applicant();
      if (!identity) return fail('no-identity', NO_IDENTITY);
      if (session.finished()) return fail(ErrorCode.sessionFinished, SESSION_FINISHED);
      const outcome = await client.call('POST', CENTRAL_PATHS.licences, z.array(ELicence), { idNumber: identity.idNumber, licenceType }, { timeoutMs: QUICK_CALL_MS });
      if (outcome.kind !== 'ok') {
        log.log('warn', 'licence.unreachable', { licenceType, outcome: outcome.kind, reason: outcome.reason });
        return fail(ErrorCode.centralUnavailable, LICENCE_UNREACHABLE);
      }
      const [first, ...rest] = outcome.value;
      return first ? ok([first, ...rest]) : fail(ErrorCode.licenceNotFound, LICENCE_NOT_FOUND);
    },

    'materials:check-shared': async ({ serviceId }) => {
      const service = catalog.service(serviceId);
      if (!service) return fail('unknown-service', '没有找到该事项，请返回重新选择');
      const identity = session.applicant();
      if (!identity) return fail('no-identity', NO_IDENTITY);
      const materialIds = service.materials.filter((material) => material.source === 'shared-data').map((material) => material.id);
      if (materialIds.length === 0) return ok({ verified: [] });
      const outcome = await client.call('POST', CENTRAL_PATHS.sharedData, SharedDataCheckResponse, { idNumber: identity.idNumber, serviceId, materialIds }, { timeoutMs: QUICK_CALL_MS });
      if (outcome.kind !== 'ok') return fail(ErrorCode.centralUnavailable, SHARED_DATA_UNREACHABLE);
      return ok({ verified: outcome.value.verified.filter((id) => materialIds.includes(id)) });
    },

    'application:submit': async (draft) => {
      const current = session.current();
      if (!current?.identity || !current.identitySource) return fail('no-identity', NO_IDENTITY);
      // One application per session, refused here and not only hidden by the UI: a 返回 or a second tap
      // must never make a second case. Nothing awaits between this check and recordSubmission below.
      if (session.finished()) return fail(ErrorCode.sessionFinished, SESSION_FINISHED);
      const identitySource = current.identitySource;
      const service = catalog.service(draft.serviceId);
      if (!service) return fail('unknown-service', '没有找到该事项，请返回重新选择');
      // 代办 (issue 12): refused for 本人办理 services with the catalog's reason, not only hidden by the UI;
      // begun but incomplete (no principal or no authorisation) is refused too. The case is the principal's.
      const agencyProblem = agencySubmissionProblem(service, current.agency !== null, session.agency());
      if (agencyProblem) return fail(agencyProblem.code, agencyProblem.message);
      const agency = session.agency();
      const identity = agency?.principal ?? current.identity;
      const ineligible = eligibilityProblems(service, identity, draft.answers, chinaDate(Date.now()))[0];
      if (ineligible) return fail(ErrorCode.notEligible, `${ineligible.reason}${ineligible.instead}`);
      const checked = checkDraft(service, draft);
      if (!checked.ok) return fail('invalid-draft', checked.problems[0]?.message ?? '申请内容不完整，请检查后再提交');
      // 人证核验 (issue 14): refused here, not only skipped by the UI, when the service asks for it.
      const identityCheck = session.identityCheck();
      if (!checkSatisfies(service.identityAssurance, identityCheck)) return fail(ErrorCode.identityCheckNeeded, IDENTITY_CHECK_NEEDED);
      // A paper result needs to know how it reaches the citizen (issue 15); other services carry no choice.
      if (service.paperResult && !draft.delivery) return fail('invalid-draft', DELIVERY_MISSING);
      const delivery = service.paperResult ? draft.delivery : undefined;

      let item;
      try {
        item = outbox.enqueue({
          kind: 'application',
          serviceId: service.id,
          applicantPseudonym: log.pseudonym(identity.idNumber),
          payload: (localNumber): SubmitApplicationBody => ({
            localNumber,
            serviceId: service.id,
            draft: checked.value.draft,
            applicant: applicantOf(identity),
            identitySource,
            // 帮办: the assistant's 工号 goes with the case to central (issue 12).
            ...(current.assistedBy ? { assistedBy: current.assistedBy } : {}),
            submittedAt: new Date().toISOString(),
            ...(identityCheck ? { identityCheck } : {}),
            ...(delivery ? { delivery } : {}),
            ...(agency ? { agency: agencySubmission(current.identity as IdentityCard, agency) } : {}),
          }),
        });
      } catch (error) {
        services.onStorageFailure(error);
        return fail('storage-failed', '本机存储出现故障，申请未能保存。请到人工窗口办理，给您带来不便敬请谅解');
      }
      session.recordSubmission(item.localNumber);
      drainer.kick();
      const settled = (await drainer.waitFor(item.localNumber, services.submitWaitMs)) ?? item;
      const ack = settled.state === 'delivered' ? (settled.acknowledgement as SubmitApplicationResponse) : null;
      const caseNumber = ack?.caseNumber ?? null;
      const status: SubmissionOutcome['status'] = ack?.status ?? 'queued';
      const caseRef = caseNumber ?? item.localNumber;
      // The result screen rates by case number when there is one: the session knows it by that name too.
      if (caseNumber && session.current() === current) session.recordSubmission(caseNumber);
      // Refused for good within the wait (400, 404, a malformed answer): staff will handle it, and the
      // screen and receipt must say that, not 网络恢复后自动提交 (issue 10, kind 9).
      const needsStaff = settled.state === 'needs-staff';

      // The application is saved: whatever happens to its receipt (the print journal on a full disk), the
      // citizen is told it was submitted, with its number on screen. A throw here answered 'internal'
      // (系统暂时出现问题) for an application that was in the outbox and was then sent.
      const receipt = await printing
        .printReceipt(
          receiptDataFor({
          hallName: services.info().hallName,
          terminalId: services.info().terminalId,
          service,
          checked: checked.value,
          applicant: { name: identity.name || identity.englishName || '', idNumber: identity.idNumber, cardType: identity.cardType },
          localNumber: item.localNumber,
          createdAt: item.createdAt,
          ack,
            heldForStaff: needsStaff,
            progressUrl: services.progressUrl,
            assistedBy: current.assistedBy,
            ...(delivery ? { delivery } : {}),
            ...(agency ? { agency: agencyReceipt(current.identity as IdentityCard, agency.relationship) } : {}),
          }),
        )
        .catch((error: unknown) => {
          log.log('error', 'receipt.failed', { localNumber: item.localNumber, error });
          // A full or failing disk takes the kiosk out of service for the next citizen; this one is served.
          if (isStorageFailure(error)) services.onStorageFailure(error);
          return { jobId: null, printed: false, notice: RECEIPT_NOT_PRINTED };
        });

      // 秒批: the result itself is issued now, on A4, besides the receipt.
      let certificate: SubmissionOutcome['certificate'];
      if (status === 'approved' && caseNumber && ack?.sealedResult && services.printSealedResult) {
        // Central sealed the result with its real fields: that document, verified, is what prints.
        certificate = await services.printSealedResult(ack.sealedResult).catch((error: unknown) => {
          log.log('error', 'certificate.failed', { caseNumber, error });
          return { printed: false, notice: CERTIFICATE_NOT_PRINTED };
        });
      } else if (status === 'approved' && caseNumber) {
        try {
          const printed = await printing.printCertificate(
            approvalCertificate({
              service,
              resultTitle: ack?.resultTitle ?? service.flow?.autoApproval?.resultTitle ?? service.name,
              caseNumber,
              identity,
              issuedAt: new Date(),
              verificationUrl: services.progressUrl(caseNumber),
              particulars: formatChoices(service, checked.value.draft.form),
            }),
            caseNumber,
          );
          certificate = { printed: printed.printed, ...(printed.notice ? { notice: printed.notice } : {}) };
        } catch (error) {
          log.log('error', 'certificate.failed', { caseNumber, error });
          certificate = { printed: false, notice: CERTIFICATE_NOT_PRINTED };
        }
      }
      const reasons = ack?.reasons ?? [];
      log.log('info', 'application.submitted', { localNumber: item.localNumber, serviceId: service.id, status, needsStaff, printed: receipt.printed, certificate: certificate?.printed });
      return ok({
        localNumber: item.localNumber,
        caseNumber,
        status,
        ...(needsStaff ? { needsStaff: true } : {}),
        ...(ack?.resultTitle ? { resultTitle: ack.resultTitle } : {}),
        progressQr: services.progressUrl(caseRef),
        receipt: { jobId: receipt.jobId ?? '', printed: receipt.printed, ...(receipt.notice ? { notice: receipt.notice } : {}) },
        ...(certificate ? { certificate } : {}),
        ...(reasons.length > 0 ? { reasons } : {}),
      });
    },

    'case:get-progress': async ({ caseRef: typed }) => {
      // As typed on the progress screen: full-width letters and digits, spaces, lowercase `ta…` find the same case.
      const caseRef = normaliseCode(typed);
      const local = outbox.get(caseRef);
      if (local && local.kind === 'application' && local.state !== 'delivered') return ok(waitingHere(local));
      const outcome = await client.call('GET', CENTRAL_PATHS.caseByRef(local?.caseNumber ?? caseRef), CaseRecord, undefined, { timeoutMs: QUICK_CALL_MS });
      if (outcome.kind === 'ok') return ok(fromCentral(outcome.value, caseRef));
      if (outcome.kind === 'permanent' && outcome.status === 404) return fail('case-not-found', '未查到该办件，请核对受理编号后重试');
      return fail('central-unavailable', CENTRAL_UNAVAILABLE);
    },

    'case:list-mine': async () => {
      const identity = session.current()?.identity;
      if (!identity) return fail('no-identity', '请将身份证放在读卡区，读取后即可查询您名下的办件');
      // 人证核验 (issue 14): a personal query, refused here and not only skipped by the UI (personal-query.ts).
      if (!checkSatisfies(catalog.service(CASE_QUERY_SERVICE_ID)?.identityAssurance ?? CASE_QUERY_DEFAULT_ASSURANCE, session.identityCheck())) {
        return fail(ErrorCode.identityCheckNeeded, QUERY_CHECK_NEEDED);
      }
      // The outbox is read before central is asked. Read after, an application the drainer delivered while
      // the question was on the wire would be in neither list: central answered without it, and here it is
      // no longer waiting. Read before, central either lists it (then it is shown once, as central's) or not.
      const unacknowledged = outbox.unacknowledgedOf(log.pseudonym(identity.idNumber));
      const outcome = await client.call('POST', CENTRAL_PATHS.casesByApplicant, CasesByApplicantResponse, { idNumber: identity.idNumber }, { timeoutMs: QUICK_CALL_MS });
      const known = new Set(outcome.kind === 'ok' ? outcome.value.map((record) => record.localNumber) : []);
      const waiting = unacknowledged.filter((item) => !known.has(item.localNumber)).map(waitingHere);
      if (outcome.kind !== 'ok') {
        if (waiting.length === 0) return fail('central-unavailable', CENTRAL_UNAVAILABLE);
        return ok({ cases: waiting, notice: '网络暂时中断，下面只列出在本机提交、尚未送达的申请（状态见每一行）。其他办件请稍后再查，或到窗口查询。' });
      }
      return ok({ cases: [...waiting, ...outcome.value.map((record) => fromCentral(record))], notice: null });
    },

    'rating:submit': async (rating) => {
      const rated = outbox.get(rating.caseRef);
      const ratingNumber = `${rated?.localNumber ?? rating.caseRef}-R`;
      if (outbox.get(ratingNumber)) return fail('already-rated', ALREADY_RATED);
      // 一事一评 across every channel: the first rating may have come from another kiosk, the web, or be
      // purged here already, so central decides when it can be asked. Offline, the local check stands and
      // central refuses a duplicate when the rating is delivered.
      if (!rated || rated.state === 'delivered') {
        const outcome = await client.call('GET', CENTRAL_PATHS.caseByRef(rated?.caseNumber ?? rating.caseRef), CaseRecord, undefined, { timeoutMs: QUICK_CALL_MS });
        if (outcome.kind === 'ok' && outcome.value.rated) return fail('already-rated', ALREADY_RATED);
        if (outcome.kind === 'permanent' && outcome.status === 404) return fail('case-not-found', '未查到该办件，请核对受理编号后重试');
      }
      const identity = session.current()?.identity;
      const assistedBy = session.current()?.assistedBy ?? null;
      try {
        outbox.enqueue({
          kind: 'rating',
          localNumber: ratingNumber,
          serviceId: rated?.serviceId ?? '-',
          applicantPseudonym: identity ? log.pseudonym(identity.idNumber) : '-',
          after: rated && rated.state !== 'delivered' ? rated.localNumber : undefined,
          // 好差评 of a 帮办 case names the assistant's service (issue 12).
          payload: (): RatingBody => ({ rating, channel: 'self-service-terminal', ...(assistedBy ? { staffNumber: assistedBy } : {}) }),
        });
      } catch (error) {
        services.onStorageFailure(error);
        return fail('storage-failed', '本机存储出现故障，评价未能保存，请稍后再试');
      }
      drainer.kick();
      // Rating the case this session submitted is its last step: the thanks screen follows, and the
      // session ends shortly after whatever the UI does next.
      if (session.submittedHere(rated?.localNumber ?? rating.caseRef)) session.conclude();
      return ok({ accepted: true });
    },

    'outbox:get-depth': () => ok({ ...outbox.depth(), online: services.network.online }),
    'voice:synthesise': ({ text }) => services.speech.synthesise(text),

    'simulator:list-cards': () => (cards ? ok(cards.listCards()) : NOT_DEMO),
    // The newest tap wins: a placement still waiting for the lift is superseded (see demo-card-hand.ts).
    'simulator:place-card': async ({ cardId }) => (hand ? ok(await hand.place(cardId)) : NOT_DEMO),
    'simulator:remove-card': () => (hand ? ok(hand.remove()) : NOT_DEMO),
  };
}
