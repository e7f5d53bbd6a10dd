import { RECORDING_MAX_CHUNKS, RECORDING_PATHS, RecordingChunkBody, type RecordingView } from '../../contract/video-recording.js';
import type { CentralContext } from '../context.js';
import { HttpError, route, type Route } from '../http/routes.js';
import type { VideoRecordingRecord } from '../store/store.js';
import { openChunk, sealChunk, type RecordingKey } from '../video/recording.js';

/** Who handles recordings: the hall's staff (their own calls' uploads; viewing) and managers. */
const RECORDING_ROLES = ['staff', 'manager'] as const;
/** The most a console lists at once. */
const LIST_LIMIT = 200;

function view(record: VideoRecordingRecord): RecordingView {
  return {
    recordingId: record.id,
    helpCallId: record.helpCallId,
    terminalId: record.terminalId,
    hall: record.hall,
    staffNumber: record.staffNumber,
    purpose: record.purpose,
    consentedAt: new Date(record.consentedAtMs).toISOString(),
    deleteAfter: new Date(record.deleteAfterMs).toISOString(),
    chunks: record.chunks,
    bytes: record.bytes,
  };
}

/**
 * 远程视频帮办 recordings at the console's API (issue 12; contract/video-recording.ts). A chunk is accepted
 * only for a recording central opened at the citizen's consent to a call they were told is recorded (the
 * hall's rule was on) and only from that call's staff member, before its retention ends; anything else is
 * refused 403 `recording-off` or `not-your-call` and audited. Chunks are sealed (AES-256-GCM) before they are
 * stored. Listing and viewing are audited under the 工号.
 */
export function consoleVideoRecordingRoutes(context: CentralContext, key: RecordingKey): Route[] {
  const { store, now } = context;
  const audit = (actor: string, event: string, recordingId: string | null, outcome: string) => store.videoRecordings.audit({ atMs: now().getTime(), actor, event, recordingId, outcome });
  return [
    route({
      method: 'POST',
      auth: 'console',
      roles: RECORDING_ROLES,
      path: RECORDING_PATHS.chunk,
      body: RecordingChunkBody,
      async handle({ params, body, user }) {
        const callId = params.recordingId ?? '';
        const actor = `staff:${user?.staffNumber ?? ''}`;
        const recording = await store.videoRecordings.find(callId);
        if (!recording || recording.deleteAfterMs <= now().getTime()) {
          await audit(actor, 'video.recording-upload', callId.slice(0, 64), 'refused-recording-off');
          throw new HttpError(403, { code: 'recording-off', message: '这路视频不录像（大厅未开启录像，或市民未同意录像的视频），录像未保存' });
        }
        if (recording.staffNumber !== user?.staffNumber) {
          await audit(actor, 'video.recording-upload', callId, 'refused-not-your-call');
          throw new HttpError(403, { code: 'not-your-call', message: '只有接通这路视频的工作人员可以上传录像' });
        }
        if (recording.chunks >= RECORDING_MAX_CHUNKS) throw new HttpError(413, { code: 'recording-too-long', message: '录像已达最长时长，后续部分未保存' });
        const media = Buffer.from(body.data, 'base64');
        const kept = await store.videoRecordings.putChunk(callId, body.seq, key.id, sealChunk(key, callId, body.seq, media), media.length);
        // The first chunk is audited, not each one: an hour of video is 3,600 chunks.
        if (kept && body.seq === 0) await audit(actor, 'video.recording-upload', callId, 'started');
        return { status: kept ? 201 : 200, body: { recordingId: callId, seq: body.seq, stored: kept } };
      },
    }),
    route({
      method: 'GET',
      auth: 'console',
      roles: RECORDING_ROLES,
      path: RECORDING_PATHS.list,
      async handle({ query, user }) {
        const hall = query.get('hall') || null;
        if (hall !== null && hall.length > 60) throw new HttpError(400, { code: 'bad-request', message: '大厅名称过长' });
        const records = await store.videoRecordings.list(hall, LIST_LIMIT);
        await audit(`staff:${user?.staffNumber ?? ''}`, 'video.recording-list', null, `listed ${records.length}`);
        return { status: 200, body: records.map(view) };
      },
    }),
    route({
      method: 'GET',
      auth: 'console',
      roles: RECORDING_ROLES,
      path: RECORDING_PATHS.media,
      async handle({ params, user }) {
        const callId = params.recordingId ?? '';
        const actor = `staff:${user?.staffNumber ?? ''}`;
        const recording = await store.videoRecordings.find(callId);
        if (!recording) throw new HttpError(404, { code: 'no-recording', message: '没有这段录像（可能已到保存期限被删除）' });
        const chunks = await store.videoRecordings.chunks(callId);
        const media = Buffer.concat(chunks.map((chunk) => openChunk(key, callId, chunk.seq, chunk.data)));
        await audit(actor, 'video.recording-view', callId, `${media.length} bytes`);
        return { status: 200, body: { ...view(recording), mimeType: 'video/webm', data: media.toString('base64') } };
      },
    }),
  ];
}
