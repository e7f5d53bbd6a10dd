import { z } from 'zod';
import { Catalog } from '../contract/catalog.js';
import { ELicence } from '../contract/domain.js';
import {
  ApiError,
  CaseRecord,
  CENTRAL_PATHS,
  HealthResponse,
  HeartbeatAnswer,
  HeartbeatBody,
  LicenceLookupBody,
  LogUploadBody,
  ProfileRequest,
  ProfileResponse,
  RatingAck,
  RatingBody,
  SharedDataCheckBody,
  SharedDataCheckResponse,
  StaffSignInBody,
  StaffSignInResponse,
  SubmitApplicationBody,
  SubmitApplicationResponse,
  TerminalConfiguration,
  IdentityCodeBody,
  IdentityCodeAnswer,
  IdentityCodeIssueBody,
  IdentityCodeIssued,
} from '../contract/central/api.js';
import { SIGNATURE_HEADERS } from '../contract/central/signing.js';
import { PopulationCheckAnswer, PopulationCheckBody } from '../contract/agency.js';
import { FileHelpCallBody, HELP_CALL_PATHS, HELP_LONG_POLL_SECONDS, HelpCall } from '../contract/help-call.js';
import { RecordingChunkBody, RecordingView, VideoRecordingSettings } from '../contract/video-recording.js';
import { CaseAuthorisationView } from '../contract/agency.js';
import { PROOF_PATHS, ProofIssueResponse, ProofListRequest, ProofListResponse, ProofRequest, SealPublicKeyResponse, VerificationResult } from '../contract/proofs.js';
import { FACE_VERIFY_PATH, FaceVerifyRequest, FaceVerifyResponse } from '../contract/central/face.js';
import { CentralSignal, KioskSignal, VIDEO_SIGNAL_MAX_BYTES, VIDEO_SIGNAL_PATHS, VIDEO_SIGNAL_PROTOCOL } from '../contract/video-call.js';

/**
 * The OpenAPI 3.1 document of central's API, generated from the same zod schemas both sides parse
 * with (z.toJSONSchema), so the published contract cannot drift from the code. Served unsigned at
 * GET /openapi.json by the reference server.
 */
const schemas = {
  SubmitApplicationBody,
  SubmitApplicationResponse,
  CaseRecord,
  RatingBody,
  RatingAck,
  HeartbeatBody,
  HeartbeatAnswer,
  LogUploadBody,
  LicenceLookupBody,
  ELicenceList: z.array(ELicence),
  ProfileRequest,
  ProfileResponse,
  SharedDataCheckBody,
  SharedDataCheckResponse,
  HealthResponse,
  TerminalConfiguration,
  StaffSignInBody,
  StaffSignInResponse,
  Catalog,
  ApiError,
  IdentityCodeBody,
  IdentityCodeAnswer,
  IdentityCodeIssueBody,
  IdentityCodeIssued,
  FileHelpCallBody,
  HelpCall,
  ProofListRequest,
  ProofListResponse,
  ProofRequest,
  ProofIssueResponse,
  SealPublicKeyResponse,
  VerificationResult,
  FaceVerifyRequest,
  FaceVerifyResponse,
  KioskSignal,
  CentralSignal,
  PopulationCheckBody,
  PopulationCheckAnswer,
  RecordingChunkBody,
  RecordingView,
  VideoRecordingSettings,
  CaseAuthorisationView,
} satisfies Record<string, z.ZodType>;
type SchemaName = keyof typeof schemas;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ content: { 'application/json': { schema: ref(name) } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: ERROR_MEANINGS[status] ?? 'error', ...json('ApiError') }]));

const ERROR_MEANINGS: Record<number, string> = {
  400: 'The body does not match the schema, or a required header is missing.',
  401: 'Signature rejected: unknown key, bad signature or digest, stale timestamp, or replayed nonce.',
  404: 'No such case or path.',
  409:
    'code in-flight: a request with this Idempotency-Key is still being processed; retry after Retry-After. ' +
    'code local-number-conflict: the local number already names another application of this terminal (another applicant or content); never retried, a person must look.',
  422: 'The Idempotency-Key was used before with a different body, the service no longer exists, or the applicant makes no sense (invalid-applicant).',
  423: 'The staff account is locked after repeated failures.',
  403: 'The signed-in console user may not do this (role, or not their call; code says which).',
  503: 'Central is busy or in maintenance; retry after Retry-After.',
};

const signed = [{ terminalSignature: [] as string[] }];

function operation(summary: string, body: SchemaName | null, response: { status: number; schema: SchemaName | null }, failures: number[], extra: object = {}) {
  return {
    summary,
    security: signed,
    ...(body ? { requestBody: { required: true, ...json(body) } } : {}),
    responses: {
      [String(response.status)]: { description: 'success', ...(response.schema ? json(response.schema) : {}) },
      ...errors(401, 503, ...failures),
    },
    ...extra,
  };
}

export function openApiDocument(): object {
  const components = Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' })]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Taian government service hall — central API for self-service terminals',
      version: '1',
      description:
        'Every /v1 request is signed by the terminal: ' +
        `${Object.values(SIGNATURE_HEADERS).join(', ')}. The signature (HMAC-SHA256 or HMAC-SM3) covers ` +
        'method, path, timestamp, nonce and the SHA-256 of the body. Timestamps outside ±5 minutes and reused nonces are refused.',
    },
    servers: [{ url: '/' }],
    components: {
      schemas: components,
      securitySchemes: {
        terminalSignature: { type: 'apiKey', in: 'header', name: SIGNATURE_HEADERS.signature, description: 'See info.description.' },
        consoleBearer: { type: 'http', scheme: 'bearer', description: 'A staff console sign-in token (POST /console/api/session).' },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description:
            'draft-ietf-httpapi-idempotency-key-header: the first result is stored for at least 24 hours and replayed; ' +
            'the same key with a different body is answered 422; while the first request is in flight, 409.',
          schema: { type: 'string', minLength: 8, maxLength: 128 },
        },
      },
    },
    paths: {
      [CENTRAL_PATHS.health]: { get: { summary: 'Liveness; unsigned (the kiosk probes it to show whether central is reachable)', responses: { '200': { description: 'up', ...json('HealthResponse') } } } },
      [CENTRAL_PATHS.catalog]: { get: operation('The service catalog', null, { status: 200, schema: 'Catalog' }, []) },
      [CENTRAL_PATHS.configuration]: { get: operation("This terminal's configuration", null, { status: 200, schema: 'TerminalConfiguration' }, []) },
      [CENTRAL_PATHS.applications]: {
        post: operation('Submit an application (idempotent by key; one case per terminal and local number)', 'SubmitApplicationBody', { status: 201, schema: 'SubmitApplicationResponse' }, [400, 409, 422], {
          parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
        }),
      },
      '/v1/cases/{ref}': {
        get: operation('Case status by case number or local number', null, { status: 200, schema: 'CaseRecord' }, [404], {
          parameters: [{ name: 'ref', in: 'path', required: true, schema: { type: 'string' } }],
        }),
      },
      [CENTRAL_PATHS.ratings]: { post: operation('Rate a case (一事一评)', 'RatingBody', { status: 201, schema: 'RatingAck' }, [400, 404]) },
      [CENTRAL_PATHS.heartbeat]: {
        post: operation(
          'Heartbeat: devices, outbox, self-test, audit head; answered with the desired out-of-service state, configuration and commands',
          'HeartbeatBody',
          { status: 200, schema: 'HeartbeatAnswer' },
          [400, 404],
        ),
      },
      [CENTRAL_PATHS.fleetLogs]: { post: operation('Upload of pseudonymised log lines for a fetch-logs command', 'LogUploadBody', { status: 204, schema: null }, [400, 404]) },
      [CENTRAL_PATHS.profile]: { post: operation('Shared profile for prefill (人口库)', 'ProfileRequest', { status: 200, schema: 'ProfileResponse' }, [400]) },
      [CENTRAL_PATHS.licences]: { post: operation('E-licence look-up (电子证照)', 'LicenceLookupBody', { status: 200, schema: 'ELicenceList' }, [400]) },
      [CENTRAL_PATHS.sharedData]: {
        post: operation('Data-sharing check of shared-data materials (数据共享核验)', 'SharedDataCheckBody', { status: 200, schema: 'SharedDataCheckResponse' }, [400]),
      },
      [CENTRAL_PATHS.staffSignIn]: { post: operation('Staff sign-in on this terminal', 'StaffSignInBody', { status: 200, schema: 'StaffSignInResponse' }, [400, 423]) },
      [CENTRAL_PATHS.identityCode]: { post: operation('电子身份码 verification (issue 14): the holder, or expired / invalid', 'IdentityCodeBody', { status: 200, schema: 'IdentityCodeAnswer' }, [400]) },
      [CENTRAL_PATHS.identityCodeIssue]: {
        post: operation('Reference central only: a fresh 电子身份码 for a demo person (what the 爱山东 app shows)', 'IdentityCodeIssueBody', { status: 201, schema: 'IdentityCodeIssued' }, [400, 404]),
      },
      // 呼叫工作人员 (issue 12): no personal data in a call.
      [HELP_CALL_PATHS.file]: {
        post: operation(
          'File a help call (呼叫工作人员): terminal, screen and service only. The id is drawn by the kiosk: the same id again answers the stored call (200) instead of a second queue entry (201)',
          'FileHelpCallBody',
          { status: 201, schema: 'HelpCall' },
          [400, 409],
        ),
      },
      '/v1/help-calls/{id}': {
        get: operation(
          `This terminal's help call. Long-poll with ?after=<revision>: answered when the call changes (accepted, closed, its queue position moved), else after ${HELP_LONG_POLL_SECONDS} s unchanged`,
          null,
          { status: 200, schema: 'HelpCall' },
          [400, 404],
          {
            parameters: [
              { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
              { name: 'after', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
            ],
          },
        ),
      },
      '/v1/help-calls/{id}/cancel': {
        post: operation('Cancel this terminal’s help call (取消呼叫); an ended call is answered as it is', null, { status: 200, schema: 'HelpCall' }, [404], {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        }),
      },
      [PROOF_PATHS.available]: {
        post: operation('Proofs this person can print (证明开具), with the reason for those they cannot, and the enterprises they represent', 'ProofListRequest', { status: 200, schema: 'ProofListResponse' }, [400]),
      },
      [PROOF_PATHS.issue]: {
        post: operation(
          'Issue one proof sealed with central\'s SM2 electronic seal (201), or refuse it with the reason (200, outcome refused)',
          'ProofRequest',
          { status: 201, schema: 'ProofIssueResponse' },
          [400, 409, 422],
          { parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }] },
        ),
      },
      [PROOF_PATHS.sealPublicKey]: { get: operation("Central's seal public key (SM2, uncompressed point) that every sealed document verifies under", null, { status: 200, schema: 'SealPublicKeyResponse' }, []) },
      '/v1/verify/{code}': {
        get: {
          summary: 'Public, unsigned: 真实有效 / 已失效 / 无此证明 for a verification code, with the key fields the paper shows, masked. The same answer as a web page: GET /verify/{code}',
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the answer', ...json('VerificationResult') } },
        },
      },
      [FACE_VERIFY_PATH]: {
        post: operation('人证核验: the sealed live face image against the reference photo; outcome only, never a score', 'FaceVerifyRequest', { status: 200, schema: 'FaceVerifyResponse' }, [400]),
      },
      [CENTRAL_PATHS.populationCheck]: {
        post: operation(
          '代办 (issue 12): whether an ID number belongs to a resident of this name (人口库); on a match the resident\'s card fields, so the form is prefilled from the principal. Never says which of number or name was wrong',
          'PopulationCheckBody',
          { status: 200, schema: 'PopulationCheckAnswer' },
          [400],
        ),
      },
      // 远程视频帮办 recordings (issue 12): only where the hall's remote configuration sets videoRecording (schema VideoRecordingSettings).
      '/console/api/video/recordings/{recordingId}/chunks': {
        post: {
          summary:
            'Staff console: one MediaRecorder chunk (seq from 0; the chunks concatenated are the WebM) of a recorded call, from the call’s own staff member. ' +
            'Sealed with AES-256-GCM before it is stored; 403 recording-off when the hall does not record or the citizen did not agree to a recorded call, 403 not-your-call for another 工号',
          security: [{ consoleBearer: [] as string[] }],
          parameters: [{ name: 'recordingId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: true, ...json('RecordingChunkBody') },
          responses: { '201': { description: 'kept' }, '200': { description: 'this seq was kept before (a retry)' }, ...errors(400, 401, 403) },
        },
      },
      '/console/api/cases/{caseNumber}/authorisation': {
        get: {
          summary:
            'Staff console (staff, managers): a 代办 case’s authorisation as the kiosk took it — the 委托书 photo or the signed 代办告知承诺 — with agent and principal masked (CaseAuthorisationView); every opening audited under the 工号. 404 no-case / not-agency',
          security: [{ consoleBearer: [] as string[] }],
          parameters: [{ name: 'caseNumber', in: 'path', required: true, schema: { type: 'string', maxLength: 64 } }],
          responses: { '200': { description: 'the authorisation', ...json('CaseAuthorisationView') }, ...errors(401, 403, 404) },
        },
      },
      '/console/api/video/recordings': {
        get: {
          summary: 'Staff console: the recordings kept (newest first, ?hall= to filter), each with its retention end; audited',
          security: [{ consoleBearer: [] as string[] }],
          parameters: [{ name: 'hall', in: 'query', required: false, schema: { type: 'string', maxLength: 60 } }],
          responses: { '200': { description: 'the list', content: { 'application/json': { schema: { type: 'array', items: ref('RecordingView') } } } }, ...errors(401, 403) },
        },
      },
      '/console/api/video/recordings/{recordingId}/media': {
        get: {
          summary: 'Staff console: one recording decrypted, as RecordingView plus mimeType video/webm and data (base64); audited',
          security: [{ consoleBearer: [] as string[] }],
          parameters: [{ name: 'recordingId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { '200': { description: 'the recording' }, ...errors(401, 403, 404) },
        },
      },
      [VIDEO_SIGNAL_PATHS.terminal]: {
        get: {
          summary:
            `远程视频帮办 signalling (WebSocket upgrade, subprotocol ${VIDEO_SIGNAL_PROTOCOL}), signed like every /v1 request over GET and the empty body. ` +
            `Text frames of at most ${VIDEO_SIGNAL_MAX_BYTES} bytes: the terminal sends KioskSignal, central sends CentralSignal (see components). ` +
            'A video call starts only from an accepted help call of this terminal; nothing but hang-up passes before the citizen consents.',
          security: signed,
          responses: {
            '101': { description: 'Switching Protocols: the socket is open; central first sends {"type":"ready","iceServers":[…]}' },
            ...errors(401),
          },
        },
      },
    },
  };
}
