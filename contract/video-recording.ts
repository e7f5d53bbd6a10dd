import { z } from 'zod';

/**
 * Recording of 远程视频帮办 (issue 12: "No recording unless the hall's configuration enables it, and then the
 * citizen is told"). A hall turns it on in central's remote configuration (`videoRecording`, hall layer);
 * off by default. When on, central tells the kiosk in the call's `start` (the consent screen then says the call
 * is recorded, what for and how long it is kept) and the console in the citizen's `consent`; the staff
 * console records the kiosk's stream (MediaRecorder, WebM) and uploads it in chunks; central keeps the
 * chunks encrypted (AES-256-GCM) and deletes them when the retention ends.
 */

/** A hall's recording rule, as the remote configuration sets it. */
export const VideoRecordingSettings = z
  .object({
    enabled: z.boolean(),
    /** Days a recording is kept, then deleted (1–365). */
    retentionDays: z.number().int().min(1).max(365),
    /** What the recording is for, in the words the citizen reads (e.g. 服务质量监督和纠纷处理). */
    purpose: z.string().min(2).max(40),
  })
  .strict();
export type VideoRecordingSettings = z.infer<typeof VideoRecordingSettings>;

/** What both ends of a recorded call are told (`start` to the kiosk, `consent` to the console); absent/null: not recorded. */
export const RecordingNotice = z.object({ retentionDays: z.number().int().min(1).max(365), purpose: z.string().min(2).max(40) }).strict();
export type RecordingNotice = z.infer<typeof RecordingNotice>;

/** Base64 characters of one uploaded chunk at most (the console's body limit is 256 KiB; ~150 KiB of media). */
export const RECORDING_CHUNK_MAX_CHARS = 200_000;
/** Chunks of one recording at most (a 1 s timeslice: over 2 hours). */
export const RECORDING_MAX_CHUNKS = 8_000;

/** One chunk of a MediaRecorder timeslice, in order from 0; the chunks concatenated are the WebM file. */
export const RecordingChunkBody = z
  .object({
    seq: z.number().int().min(0).max(RECORDING_MAX_CHUNKS - 1),
    data: z.string().min(4).max(RECORDING_CHUNK_MAX_CHARS).regex(/^[A-Za-z0-9+/]+={0,2}$/),
  })
  .strict();
export type RecordingChunkBody = z.infer<typeof RecordingChunkBody>;

/** A recording as the console lists it (no personal data: the kiosk, the 工号, times and size). */
export const RecordingView = z.object({
  /** New per video call (a help call may have several). */
  recordingId: z.string(),
  /** The help call the video call was on. */
  helpCallId: z.string(),
  terminalId: z.string(),
  hall: z.string(),
  staffNumber: z.string(),
  purpose: z.string(),
  consentedAt: z.string(),
  deleteAfter: z.string(),
  chunks: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type RecordingView = z.infer<typeof RecordingView>;

export const RECORDING_PATHS = {
  /** POST a chunk of recording `:recordingId` (told with the consent; the call's own staff member only). */
  chunk: '/console/api/video/recordings/:recordingId/chunks',
  /** GET the recordings kept (staff and managers; audited). */
  list: '/console/api/video/recordings',
  /** GET one recording's WebM bytes, decrypted (audited). */
  media: '/console/api/video/recordings/:recordingId/media',
} as const;
