/**
 * SAM frames of the 公安部 resident ID-card readers (DOMAIN.md §2). Pure: bytes in, frames out.
 *
 *     AA AA AA 96 69 | Len1 Len2 | body | CHK
 *     request body:  CMD PARA [data]
 *     response body: SW1 SW2 SW3 [data]
 *
 * Len is big-endian and counts body + CHK; CHK is the XOR of Len1 through the last body byte.
 */

export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
/** Preamble + two length bytes. */
export const HEADER_LENGTH = 7;
/** The shortest body is a request (CMD PARA), so Len is at least 3. */
export const MIN_LENGTH = 3;
/**
 * The longest known response (text + photo + fingerprint) has Len = 2314. Anything much larger is a
 * preamble that happened to occur in garbage; rejecting it early keeps the decoder from waiting
 * for kilobytes that will never come.
 */
export const MAX_LENGTH = 0x0a00;

export const SAM_COMMANDS = {
  resetSam: { command: 0x10, parameter: 0xff },
  samStatus: { command: 0x11, parameter: 0xff },
  readSamId: { command: 0x12, parameter: 0xff },
  findCard: { command: 0x20, parameter: 0x01 },
  selectCard: { command: 0x20, parameter: 0x02 },
  readTextPhoto: { command: 0x30, parameter: 0x01 },
  readTextPhotoFingerprint: { command: 0x30, parameter: 0x10 },
  readAppendedAddress: { command: 0x30, parameter: 0x03 },
} as const satisfies Record<string, { command: number; parameter: number }>;

export type SamCommandName = keyof typeof SAM_COMMANDS;

/**
 * Set-up commands readers accept besides the card commands above, as public reader clients send them:
 * - `60 PP` sets the reader's serial speed (PP below); the answer (`00 00 90`) still comes at the old
 *   speed, everything after at the new one. `AA AA AA 96 69 00 03 60 02 61` switches to 38400.
 * - `61 FF NN` sets the largest number of bytes in one RF frame between SAM and card (`NN` = 0x50 in the
 *   clients seen): `AA AA AA 96 69 00 04 61 FF 50 CA`, answered `00 00 90`.
 */
export const SAM_SETUP_COMMANDS = {
  setBaudRate: 0x60,
  setMaxRfBytes: 0x61,
} as const;

/** The parameter of `60 PP` for each serial speed. */
export const SAM_BAUD_RATE_CODES: Readonly<Record<number, number>> = Object.freeze({ 0x00: 115200, 0x01: 57600, 0x02: 38400, 0x03: 19200, 0x04: 9600 });

/** `60 PP`: switch the reader to `baudRate` (one of SAM_BAUD_RATE_CODES). */
export function encodeSetBaudRate(baudRate: number): Uint8Array {
  const code = Object.entries(SAM_BAUD_RATE_CODES).find(([, rate]) => rate === baudRate)?.[0];
  if (code === undefined) throw new RangeError(`a SAM reader cannot be set to ${baudRate} baud`);
  return encodeRequest(SAM_SETUP_COMMANDS.setBaudRate, Number(code));
}

/** `61 FF NN`: the largest RF frame, 1–255 bytes. */
export function encodeSetMaxRfBytes(bytes: number): Uint8Array {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 0xff) throw new RangeError(`max RF bytes ${bytes} is out of range`);
  return encodeRequest(SAM_SETUP_COMMANDS.setMaxRfBytes, 0xff, Uint8Array.of(bytes));
}

/** SW3 values (SW1 = SW2 = 00). Names are the codes used in logs and DeviceStatus.detail. */
export const SAM_STATUS = {
  0x90: 'success',
  0x9f: 'card-found',
  0x91: 'item-empty',
  0x10: 'checksum-error',
  0x11: 'length-error',
  0x21: 'command-error',
  0x23: 'unauthorised',
  0x24: 'unknown-error',
  0x31: 'card-failed-to-authenticate-sam',
  0x32: 'sam-failed-to-authenticate-card',
  0x33: 'verify-error',
  0x40: 'unknown-card-type',
  0x41: 'read-failed',
  0x47: 'random-number-failed',
  0x60: 'sam-self-test-failed',
  0x66: 'sam-not-authorised',
  0x80: 'find-card-failed',
  0x81: 'select-card-failed',
} as const satisfies Record<number, string>;

export type SamStatusName = (typeof SAM_STATUS)[keyof typeof SAM_STATUS];

export function samStatusName(sw3: number): SamStatusName | 'unknown-status' {
  return (SAM_STATUS as Record<number, SamStatusName>)[sw3] ?? 'unknown-status';
}

/** XOR of every byte from Len1 through the last body byte. */
export function samChecksum(bytes: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let index = start; index < end; index++) sum ^= bytes[index] ?? 0;
  return sum;
}

/** Wraps a body (request or response) into a complete frame. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const length = body.length + 1;
  if (length < MIN_LENGTH || length > MAX_LENGTH) throw new RangeError(`SAM body of ${body.length} bytes is out of range`);
  const frame = new Uint8Array(HEADER_LENGTH + length);
  frame.set(PREAMBLE, 0);
  frame[5] = length >> 8;
  frame[6] = length & 0xff;
  frame.set(body, HEADER_LENGTH);
  frame[frame.length - 1] = samChecksum(frame, 5, frame.length - 1);
  return frame;
}

export function encodeRequest(command: number, parameter: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(2 + data.length);
  body[0] = command;
  body[1] = parameter;
  body.set(data, 2);
  return encodeFrame(body);
}

export function encodeCommand(name: SamCommandName): Uint8Array {
  const { command, parameter } = SAM_COMMANDS[name];
  return encodeRequest(command, parameter);
}

export function encodeResponse(sw3: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[2] = sw3;
  body.set(data, 3);
  return encodeFrame(body);
}

export interface SamRequest {
  command: number;
  parameter: number;
  data: Uint8Array;
}

export interface SamResponse {
  sw1: number;
  sw2: number;
  sw3: number;
  status: SamStatusName | 'unknown-status';
  data: Uint8Array;
}

/** Reads a decoded body as a request. Returns null if it is too short to be one. */
export function parseRequest(body: Uint8Array): SamRequest | null {
  if (body.length < 2) return null;
  return { command: body[0] ?? 0, parameter: body[1] ?? 0, data: body.subarray(2) };
}

/** Reads a decoded body as a response. Returns null if it is too short to be one. */
export function parseResponse(body: Uint8Array): SamResponse | null {
  if (body.length < 3) return null;
  const sw3 = body[2] ?? 0;
  return { sw1: body[0] ?? 0, sw2: body[1] ?? 0, sw3, status: samStatusName(sw3), data: body.subarray(3) };
}

export type SamDecodeErrorCode = 'bad-checksum' | 'bad-length';

/** What the decoder found in the stream, in order. Problems are values: a stream never throws. */
export type SamDecoderOutput =
  | { kind: 'frame'; body: Uint8Array; frame: Uint8Array }
  | { kind: 'error'; code: SamDecodeErrorCode; detail: string }
  | { kind: 'garbage'; length: number };

/**
 * Streaming frame decoder. Feed it chunks in any split; it returns complete frames and reports what it
 * skipped. It resynchronises after garbage by searching for the next preamble, and after a bad length
 * or checksum by restarting the search one byte after the rejected preamble, so a real frame hidden
 * inside a corrupted one is still found.
 */
export class SamFrameDecoder {
  private buffer: Uint8Array = new Uint8Array(0);

  /** Bytes held back waiting for the rest of a frame (or for a preamble split across chunks). */
  get pending(): number {
    return this.buffer.length;
  }

  push(chunk: Uint8Array): SamDecoderOutput[] {
    // A plain Uint8Array view: Buffer#slice would share memory with the caller's chunk.
    const view = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.buffer = this.buffer.length === 0 ? view : concat(this.buffer, view);
    return this.scan(false);
  }

  /**
   * Call when the line went quiet or the stream ended: an incomplete candidate will never complete,
   * so drop its preamble and look for frames behind it. Returns what that rescan found.
   */
  flush(): SamDecoderOutput[] {
    return this.scan(true);
  }

  reset(): void {
    this.buffer = new Uint8Array(0);
  }

  private scan(final: boolean): SamDecoderOutput[] {
    const output: SamDecoderOutput[] = [];
    const buffer = this.buffer;
    let position = 0;
    while (position < buffer.length) {
      const start = indexOfPreamble(buffer, position);
      if (start < 0) {
        // Keep a tail that could be the beginning of a preamble split across chunks.
        const keep = final ? 0 : preamblePrefixLength(buffer, position);
        if (buffer.length - keep > position) output.push({ kind: 'garbage', length: buffer.length - keep - position });
        position = buffer.length - keep;
        break;
      }
      if (start > position) output.push({ kind: 'garbage', length: start - position });
      if (buffer.length - start < HEADER_LENGTH) {
        if (final) {
          output.push({ kind: 'garbage', length: buffer.length - start });
          position = buffer.length;
        } else position = start;
        break;
      }
      const length = ((buffer[start + 5] ?? 0) << 8) | (buffer[start + 6] ?? 0);
      if (length < MIN_LENGTH || length > MAX_LENGTH) {
        output.push({ kind: 'error', code: 'bad-length', detail: `Len ${length}` });
        position = start + 1;
        continue;
      }
      const end = start + HEADER_LENGTH + length;
      if (end > buffer.length) {
        if (final) {
          // The candidate never completed: it was garbage that looked like a preamble.
          output.push({ kind: 'garbage', length: 1 });
          position = start + 1;
          continue;
        }
        position = start;
        break;
      }
      const expected = samChecksum(buffer, start + 5, end - 1);
      const actual = buffer[end - 1] ?? 0;
      if (expected !== actual) {
        output.push({ kind: 'error', code: 'bad-checksum', detail: `expected ${hex(expected)}, got ${hex(actual)}` });
        position = start + 1;
        continue;
      }
      const frame = buffer.slice(start, end);
      output.push({ kind: 'frame', frame, body: frame.subarray(HEADER_LENGTH, frame.length - 1) });
      position = end;
    }
    this.buffer = position >= buffer.length ? new Uint8Array(0) : buffer.slice(position);
    return output;
  }
}

/** Convenience for whole buffers (tests, fixtures): every frame found, problems ignored. */
export function decodeAll(bytes: Uint8Array): Uint8Array[] {
  const decoder = new SamFrameDecoder();
  return [...decoder.push(bytes), ...decoder.flush()].flatMap((item) => (item.kind === 'frame' ? [item.frame] : []));
}

function indexOfPreamble(buffer: Uint8Array, from: number): number {
  const last = buffer.length - PREAMBLE.length;
  let index = buffer.indexOf(0xaa, from);
  while (index >= 0 && index <= last) {
    if (buffer[index + 1] === 0xaa && buffer[index + 2] === 0xaa && buffer[index + 3] === 0x96 && buffer[index + 4] === 0x69) return index;
    index = buffer.indexOf(0xaa, index + 1);
  }
  return -1;
}

/** Length of the longest suffix of buffer[from..] that is a proper prefix of the preamble. */
function preamblePrefixLength(buffer: Uint8Array, from: number): number {
  for (let keep = Math.min(PREAMBLE.length - 1, buffer.length - from); keep > 0; keep--) {
    let matches = true;
    for (let index = 0; index < keep; index++) {
      if (buffer[buffer.length - keep + index] !== PREAMBLE[index]) {
        matches = false;
        break;
      }
    }
    if (matches) return keep;
  }
  return 0;
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}

export function hex(value: number): string {
  return `0x${value.toString(16).padStart(2, '0').toUpperCase()}`;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2 !== 0) throw new RangeError('odd number of hex digits');
  return Uint8Array.from({ length: clean.length / 2 }, (_, index) => parseInt(clean.slice(index * 2, index * 2 + 2), 16));
}
