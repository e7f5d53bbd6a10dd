import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { RecordingNotice } from '../../contract/video-recording.js';
import { effectiveConfig } from '../fleet/heartbeat.js';
import type { CentralData } from '../store/store.js';

/**
 * Recordings of 远程视频帮办 at central (issue 12). The rule is the hall's: `videoRecording` in central's
 * remote configuration (master → district → hall → terminal layers, README "Remote configuration"), absent or
 * `enabled: false` meaning never recorded. Chunks are sealed with AES-256-GCM (NIST SP 800-38D; 96-bit random
 * IV per chunk, 128-bit tag, the call id and chunk number as additional data so a chunk cannot be moved to
 * another recording or place) under central's recording key; a recording is deleted when its retention ends.
 */

/** The recording rule in force for a terminal's calls, or null (not recorded): its layers merged. */
export async function recordingNoticeFor(store: CentralData, terminalId: string): Promise<(RecordingNotice & { hall: string }) | null> {
  const [terminal] = await store.config.reach('terminal', terminalId);
  if (!terminal) return null;
  const { settings } = effectiveConfig(await store.config.forTerminal(terminal.terminalId, terminal.district, terminal.hall));
  const rule = settings.videoRecording;
  if (!rule?.enabled) return null;
  return { retentionDays: rule.retentionDays, purpose: rule.purpose, hall: terminal.hall };
}

/** Central's key for recordings: 32 bytes, and its id (the first 16 hex of its SHA-256) kept beside each chunk. */
export interface RecordingKey {
  id: string;
  key: Buffer;
}

/** The key from 64 hex characters; throws on anything else. */
export function recordingKeyFrom(hex: string): RecordingKey {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('video recording key must be 64 hex characters (32 bytes)');
  const key = Buffer.from(hex, 'hex');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** A key made for this run only (tests, demo): recordings kept before a restart can no longer be opened. */
export function ephemeralRecordingKey(): RecordingKey {
  return recordingKeyFrom(randomBytes(32).toString('hex'));
}

const additionalData = (recordingId: string, seq: number) => Buffer.from(`video-recording|${recordingId}|${seq}`, 'utf8');

/** Seals one chunk of recording `recordingId`: base64 of iv (12) ‖ tag (16) ‖ ciphertext. */
export function sealChunk(key: RecordingKey, recordingId: string, seq: number, media: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(additionalData(recordingId, seq));
  const sealed = Buffer.concat([cipher.update(media), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** Opens a chunk sealed by `sealChunk`; throws when it was altered, moved or sealed under another key. */
export function openChunk(key: RecordingKey, recordingId: string, seq: number, data: string): Buffer {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length < 28) throw new Error('sealed chunk too short');
  const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(0, 12));
  decipher.setAAD(additionalData(recordingId, seq));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
}

/** Deletes the recordings whose retention ended by `nowMs`, one audit entry each. */
export async function purgeRecordings(store: CentralData, nowMs: number): Promise<string[]> {
  const purged = await store.videoRecordings.purge(nowMs);
  for (const recordingId of purged) await store.videoRecordings.audit({ atMs: nowMs, actor: 'central', event: 'video.recording-purged', recordingId, outcome: 'retention-ended' });
  return purged;
}
