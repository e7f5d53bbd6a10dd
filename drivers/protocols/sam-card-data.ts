/**
 * Payloads of the SAM responses that carry data (DOMAIN.md §2): the SAM ID, and the card read
 * (textLen, photoLen[, fpLen], text, photo[, fingerprint]). Pure.
 */

export const TEXT_LENGTH = 256;
export const PHOTO_LENGTH = 1024;
export const FINGERPRINT_LENGTH = 1024;
export const SAM_ID_DATA_LENGTH = 16;

export interface CardPayload {
  text: Uint8Array;
  photo: Uint8Array | null;
  fingerprint: Uint8Array | null;
}

export type CardPayloadResult = { ok: true; value: CardPayload } | { ok: false; code: 'bad-card-payload'; detail: string };

/**
 * Splits the data of a 30 01 (withFingerprint false) or 30 10 (true) success response.
 * Lengths are big-endian: `(b[0] << 8) | b[1]`. One public sample writes `b[0] << 8 + b[1]`,
 * which shifts by (8 + b[1]) and reads a 256-byte text length as 0 (DOMAIN.md §2).
 */
export function parseCardPayload(data: Uint8Array, withFingerprint: boolean): CardPayloadResult {
  const lengthsSize = withFingerprint ? 6 : 4;
  if (data.length < lengthsSize) return { ok: false, code: 'bad-card-payload', detail: `data of ${data.length} bytes` };
  const textLength = readUint16(data, 0);
  const photoLength = readUint16(data, 2);
  const fingerprintLength = withFingerprint ? readUint16(data, 4) : 0;
  if (textLength !== TEXT_LENGTH) return { ok: false, code: 'bad-card-payload', detail: `text length ${textLength}` };
  const total = lengthsSize + textLength + photoLength + fingerprintLength;
  if (total !== data.length) return { ok: false, code: 'bad-card-payload', detail: `lengths sum to ${total}, data has ${data.length}` };
  const text = data.slice(lengthsSize, lengthsSize + textLength);
  const photoStart = lengthsSize + textLength;
  const photo = photoLength > 0 ? data.slice(photoStart, photoStart + photoLength) : null;
  const fingerprint = fingerprintLength > 0 ? data.slice(photoStart + photoLength, total) : null;
  return { ok: true, value: { text, photo, fingerprint } };
}

export function encodeCardPayload(payload: CardPayload, withFingerprint: boolean): Uint8Array {
  const photo = payload.photo ?? new Uint8Array(0);
  const fingerprint = withFingerprint ? (payload.fingerprint ?? new Uint8Array(0)) : new Uint8Array(0);
  const lengthsSize = withFingerprint ? 6 : 4;
  const data = new Uint8Array(lengthsSize + payload.text.length + photo.length + fingerprint.length);
  writeUint16(data, 0, payload.text.length);
  writeUint16(data, 2, photo.length);
  if (withFingerprint) writeUint16(data, 4, fingerprint.length);
  data.set(payload.text, lengthsSize);
  data.set(photo, lengthsSize + payload.text.length);
  data.set(fingerprint, lengthsSize + payload.text.length + photo.length);
  return data;
}

/**
 * SAM ID as printed by vendor tools, e.g. `05.01-20101028-0089532867-0305201372`:
 * byte 0 and byte 2 as two digits, then three little-endian uint32 at 4, 8 and 12.
 * One public implementation pads the last two fields to 9 digits; a uint32 needs 10, so we pad to 10.
 */
export interface SamId {
  text: string;
  /** `05.01`: the SAM module version, the nearest thing to a firmware version this protocol reports. */
  version: string;
}

export function parseSamId(data: Uint8Array): SamId | null {
  if (data.length < SAM_ID_DATA_LENGTH) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = `${two(data[0] ?? 0)}.${two(data[2] ?? 0)}`;
  const text = [
    version,
    String(view.getUint32(4, true)),
    String(view.getUint32(8, true)).padStart(10, '0'),
    String(view.getUint32(12, true)).padStart(10, '0'),
  ].join('-');
  return { text, version };
}

export function encodeSamId(text: string): Uint8Array {
  const match = /^(\d{2})\.(\d{2})-(\d+)-(\d+)-(\d+)$/.exec(text);
  if (!match) throw new RangeError(`not a SAM ID: ${text}`);
  const data = new Uint8Array(SAM_ID_DATA_LENGTH);
  const view = new DataView(data.buffer);
  data[0] = Number(match[1]);
  data[2] = Number(match[2]);
  view.setUint32(4, Number(match[3]), true);
  view.setUint32(8, Number(match[4]), true);
  view.setUint32(12, Number(match[5]), true);
  return data;
}

function two(value: number): string {
  return String(value).padStart(2, '0');
}

function readUint16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

function writeUint16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >> 8;
  bytes[offset + 1] = value & 0xff;
}
