import { z } from 'zod';
import { RECORDING_PATHS } from '../../../../contract/video-recording.js';
import { consoleApi } from '../../api.js';

/** The video bitrate of a recording, bits/s: enough for a face and a screen corner, small enough for 1 s chunks under the body limit. */
const VIDEO_BITS_PER_SECOND = 400_000;
/** One chunk a second (MediaRecorder timeslice): a console that closes loses at most a second. */
const TIMESLICE_MS = 1_000;

const ChunkAnswer = z.object({ recordingId: z.string(), seq: z.number().int(), stored: z.boolean() });

/** A recording in progress; `stop` ends it and resolves once every chunk was sent (or refused). */
export interface CallRecording {
  stop(): Promise<void>;
}

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 0x8000) text += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(text);
}

/**
 * Records the kiosk's stream (its camera and microphone, as received) of a call the hall records and the
 * citizen agreed to knowing it (issue 12), with the browser's MediaRecorder (W3C MediaStream Recording) as
 * WebM (VP8/VP9 + Opus as the browser offers), and uploads it to central one chunk a second in order
 * (`seq` from 0; central seals each, contract/video-recording.ts). A chunk central refuses (the hall's rule
 * is off) stops the upload and is reported with `onProblem` in plain Chinese.
 */
export function recordCall(stream: MediaStream, recordingId: string, onProblem: (message: string) => void): CallRecording {
  const mimeType = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'].find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
  const recorder = new MediaRecorder(stream, { ...(mimeType ? { mimeType } : {}), videoBitsPerSecond: VIDEO_BITS_PER_SECOND });
  let seq = 0;
  let refused = false;
  let uploads: Promise<void> = Promise.resolve();
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));

  recorder.addEventListener('dataavailable', (event: BlobEvent) => {
    if (event.data.size === 0 || refused) return;
    const mine = seq++;
    const blob = event.data;
    // In order, one at a time: central keeps them by number, and the file is their concatenation.
    uploads = uploads.then(async () => {
      if (refused) return;
      const data = base64(new Uint8Array(await blob.arrayBuffer()));
      try {
        await consoleApi('POST', RECORDING_PATHS.chunk.replace(':recordingId', encodeURIComponent(recordingId)), ChunkAnswer, { seq: mine, data }, { background: true });
      } catch (error) {
        refused = true;
        onProblem(`录像未能保存：${(error as Error).message}`);
      }
    });
  });
  recorder.start(TIMESLICE_MS);

  return {
    async stop() {
      if (recorder.state !== 'inactive') recorder.stop();
      await stopped;
      await uploads;
    },
  };
}
