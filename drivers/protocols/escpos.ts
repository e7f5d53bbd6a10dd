/**
 * ESC/POS, device side (DOMAIN.md §3): real-time status requests and their answers, recovery, the
 * in-order paper sensor request, and a stream decoder that turns any ESC/POS byte stream back into
 * commands (the simulator prints from it). Pure: bytes in, values out, no I/O and no timers.
 *
 * The print side (what a receipt says, in bytes) is print-templates/escpos.ts. The decoder here is
 * written from the command reference, not from that encoder, so golden tests that pass the encoder's
 * output through the decoder catch a wrong byte on either side.
 */

const DLE = 0x10;
const EOT = 0x04;
const ENQ = 0x05;
const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;
const LF = 0x0a;

/** `DLE EOT n`: 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export type StatusKind = 1 | 2 | 3 | 4;
export const STATUS_KINDS: readonly StatusKind[] = [1, 2, 3, 4];

export function statusRequest(kind: StatusKind): Uint8Array {
  return Uint8Array.of(DLE, EOT, kind);
}

/**
 * `DLE ENQ 2`: recover from an error after clearing the receive and print buffers. Sent when a job
 * fails half-way, so that the rest of that job does not come out when staff reload the paper: staff
 * reprint the whole job from the journal instead.
 */
export function clearBuffersRequest(): Uint8Array {
  return Uint8Array.of(DLE, ENQ, 2);
}

/**
 * `GS r 1`: transmit paper sensor status. Unlike `DLE EOT` it is not real-time: the printer answers only
 * after it has processed every byte sent before it, so its answer marks the end of a job. No answer
 * means the printer stopped part-way (paper ran out, cover opened).
 */
export function paperSensorRequest(): Uint8Array {
  return Uint8Array.of(GS, 0x72, 1);
}

/**
 * Every `DLE EOT` answer has bit 1 and bit 4 set and bits 0 and 7 clear; anything else is line noise
 * or a byte from some other exchange, and must not be read as a status.
 */
export function isStatusByte(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** The four answers to DLE EOT 1–4, decoded. */
export interface PrinterStatusBits {
  /** n=1 bit 3. */
  offline: boolean;
  /** n=2 bit 2. */
  coverOpen: boolean;
  /** n=2 bit 3: the feed button is held. */
  feedingByButton: boolean;
  /** n=2 bit 5: printing stopped because the paper ran out. */
  stoppedByPaperEnd: boolean;
  /** n=2 bit 6. */
  errorOccurred: boolean;
  /** n=3 bit 3. */
  cutterError: boolean;
  /** n=3 bit 5. */
  unrecoverableError: boolean;
  /** n=3 bit 6: head temperature or supply voltage out of range; clears by itself. */
  autoRecoverableError: boolean;
  /** n=4 bits 2–3. */
  paperNearEnd: boolean;
  /** n=4 bits 5–6. */
  paperEnd: boolean;
}

/**
 * Decodes the answers to DLE EOT 1, 2, 3, 4 (in that order).
 *
 * DOMAIN.md lists n=2 0x20 as "paper being fed"; the Epson ESC/POS reference (and the printers it
 * describes) have bit 3 (0x08) for feeding by the button and bit 5 (0x20) for "printing stopped by
 * paper end". We follow the command reference; n=4 reports paper end independently, so the paper
 * state does not rest on that bit alone.
 */
export function decodeStatus(answers: readonly [number, number, number, number]): PrinterStatusBits {
  const [printer, offlineCause, errorCause, paper] = answers;
  return {
    offline: (printer & 0x08) !== 0,
    coverOpen: (offlineCause & 0x04) !== 0,
    feedingByButton: (offlineCause & 0x08) !== 0,
    stoppedByPaperEnd: (offlineCause & 0x20) !== 0,
    errorOccurred: (offlineCause & 0x40) !== 0,
    cutterError: (errorCause & 0x08) !== 0,
    unrecoverableError: (errorCause & 0x20) !== 0,
    autoRecoverableError: (errorCause & 0x40) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    paperEnd: (paper & 0x60) !== 0,
  };
}

/** Encodes status bits into the four answer bytes (the simulator's side of `decodeStatus`). */
export function encodeStatus(bits: PrinterStatusBits): [number, number, number, number] {
  const base = 0x12;
  return [
    base | (bits.offline ? 0x08 : 0),
    base | (bits.coverOpen ? 0x04 : 0) | (bits.feedingByButton ? 0x08 : 0) | (bits.stoppedByPaperEnd ? 0x20 : 0) | (bits.errorOccurred ? 0x40 : 0),
    base | (bits.cutterError ? 0x08 : 0) | (bits.unrecoverableError ? 0x20 : 0) | (bits.autoRecoverableError ? 0x40 : 0),
    base | (bits.paperNearEnd ? 0x0c : 0) | (bits.paperEnd ? 0x60 : 0),
  ];
}

/** Answer to `GS r 1`: bits 0–1 near end, bits 2–3 paper end. */
export function encodePaperSensor(nearEnd: boolean, end: boolean): number {
  return (nearEnd ? 0x03 : 0) | (end ? 0x0c : 0);
}

export type EscPosCommand =
  | { kind: 'initialize' }
  | { kind: 'align'; alignment: 'left' | 'center' | 'right' }
  | { kind: 'bold'; on: boolean }
  | { kind: 'size'; width: number; height: number }
  | { kind: 'chinese-mode'; on: boolean }
  | { kind: 'feed-lines'; lines: number }
  | { kind: 'line-feed' }
  | { kind: 'cut'; partial: boolean }
  | { kind: 'qr-model'; model: number }
  | { kind: 'qr-module-size'; dots: number }
  | { kind: 'qr-error-correction'; level: 'L' | 'M' | 'Q' | 'H' }
  | { kind: 'qr-store'; data: Uint8Array }
  | { kind: 'qr-print' }
  /** `GS v 0 m xL xH yL yH d…`: a raster image, `widthBytes` × 8 dots by `height` rows (mode m: 0 normal, 1 double width, 2 double height, 3 both). */
  | { kind: 'raster'; mode: number; widthBytes: number; height: number; data: Uint8Array }
  | { kind: 'status-request'; status: StatusKind }
  | { kind: 'recover'; clearBuffers: boolean }
  | { kind: 'paper-sensor-request' }
  /** Printable bytes (ASCII, or GB18030 in Chinese mode), up to the next control byte. */
  | { kind: 'text'; bytes: Uint8Array }
  /** Bytes the decoder does not know; skipped one at a time so decoding resynchronises. */
  | { kind: 'unknown'; bytes: Uint8Array };

/** Is this a real-time command, which a printer executes on arrival even while it cannot print? */
export function isRealTime(command: EscPosCommand): boolean {
  return command.kind === 'status-request' || command.kind === 'recover';
}

const QR_LEVELS = { 0x30: 'L', 0x31: 'M', 0x32: 'Q', 0x33: 'H' } as const;

/**
 * Incremental decoder: `push` any chunk (a pty delivers commands split anywhere), get back the commands
 * completed so far. An incomplete command waits for more bytes.
 */
export class EscPosDecoder {
  private pending = new Uint8Array(0);

  push(chunk: Uint8Array): EscPosCommand[] {
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    const commands: EscPosCommand[] = [];
    let offset = 0;
    while (offset < joined.length) {
      const parsed = parseOne(joined, offset);
      if (parsed === 'incomplete') break;
      commands.push(parsed.command);
      offset += parsed.length;
    }
    this.pending = joined.slice(offset);
    return commands;
  }
}

type Parsed = { command: EscPosCommand; length: number } | 'incomplete';

function parseOne(bytes: Uint8Array, at: number): Parsed {
  const byte = (index: number): number | undefined => bytes[at + index];
  const first = byte(0) ?? 0;
  const need = (count: number): boolean => at + count <= bytes.length;
  const unknown = (): Parsed => ({ command: { kind: 'unknown', bytes: bytes.slice(at, at + 1) }, length: 1 });

  if (first === LF) return { command: { kind: 'line-feed' }, length: 1 };
  if (first >= 0x20 && first !== 0x7f) {
    // A run of printable bytes. Multi-byte GB18030 sequences never contain bytes below 0x30, so the run
    // ends at the next control byte whatever the mode.
    let end = at;
    while (end < bytes.length && (bytes[end] ?? 0) >= 0x20 && bytes[end] !== 0x7f) end += 1;
    return { command: { kind: 'text', bytes: bytes.slice(at, end) }, length: end - at };
  }
  if (first === DLE) {
    if (!need(3)) return 'incomplete';
    const [command, argument] = [byte(1), byte(2) ?? 0];
    if (command === EOT && argument >= 1 && argument <= 4) return { command: { kind: 'status-request', status: argument as StatusKind }, length: 3 };
    if (command === ENQ && (argument === 1 || argument === 2)) return { command: { kind: 'recover', clearBuffers: argument === 2 }, length: 3 };
    return unknown();
  }
  if (first === ESC) {
    if (!need(2)) return 'incomplete';
    const command = byte(1);
    if (command === 0x40) return { command: { kind: 'initialize' }, length: 2 };
    if (!need(3)) return 'incomplete';
    const argument = byte(2) ?? 0;
    if (command === 0x61) {
      const alignment = (['left', 'center', 'right'] as const)[argument % 48];
      return alignment ? { command: { kind: 'align', alignment }, length: 3 } : unknown();
    }
    if (command === 0x45) return { command: { kind: 'bold', on: (argument & 1) === 1 }, length: 3 };
    if (command === 0x64) return { command: { kind: 'feed-lines', lines: argument }, length: 3 };
    return unknown();
  }
  if (first === FS) {
    if (!need(2)) return 'incomplete';
    if (byte(1) === 0x26) return { command: { kind: 'chinese-mode', on: true }, length: 2 };
    if (byte(1) === 0x2e) return { command: { kind: 'chinese-mode', on: false }, length: 2 };
    return unknown();
  }
  if (first === GS) {
    if (!need(2)) return 'incomplete';
    const command = byte(1);
    if (command === 0x21) {
      if (!need(3)) return 'incomplete';
      const argument = byte(2) ?? 0;
      return { command: { kind: 'size', width: (argument >> 4) + 1, height: (argument & 0x0f) + 1 }, length: 3 };
    }
    if (command === 0x72) {
      if (!need(3)) return 'incomplete';
      return byte(2) === 1 || byte(2) === 0x31 ? { command: { kind: 'paper-sensor-request' }, length: 3 } : unknown();
    }
    if (command === 0x56) {
      if (!need(3)) return 'incomplete';
      const mode = byte(2) ?? 0;
      // Function A (0, 1, 48, 49) has no argument; function B (65, 66) carries a feed amount.
      if (mode === 0 || mode === 0x30) return { command: { kind: 'cut', partial: false }, length: 3 };
      if (mode === 1 || mode === 0x31) return { command: { kind: 'cut', partial: true }, length: 3 };
      if (mode === 0x41 || mode === 0x42) {
        if (!need(4)) return 'incomplete';
        return { command: { kind: 'cut', partial: mode === 0x42 }, length: 4 };
      }
      return unknown();
    }
    if (command === 0x28 && need(3) && byte(2) === 0x6b) {
      // GS ( k pL pH cn fn [parameters]: a 2D symbol function; cn 49 is QR.
      if (!need(5)) return 'incomplete';
      const parameterLength = (byte(3) ?? 0) + (byte(4) ?? 0) * 256;
      const total = 5 + parameterLength;
      if (!need(total)) return 'incomplete';
      const symbol = byte(5);
      const fn = byte(6);
      if (symbol !== 0x31 || parameterLength < 2) return { command: { kind: 'unknown', bytes: bytes.slice(at, at + total) }, length: total };
      if (fn === 0x41) return { command: { kind: 'qr-model', model: (byte(7) ?? 0) - 0x30 }, length: total };
      if (fn === 0x43) return { command: { kind: 'qr-module-size', dots: byte(7) ?? 0 }, length: total };
      if (fn === 0x45) {
        const level = QR_LEVELS[(byte(7) ?? 0) as keyof typeof QR_LEVELS];
        return level ? { command: { kind: 'qr-error-correction', level }, length: total } : { command: { kind: 'unknown', bytes: bytes.slice(at, at + total) }, length: total };
      }
      if (fn === 0x50) return { command: { kind: 'qr-store', data: bytes.slice(at + 8, at + total) }, length: total };
      if (fn === 0x51) return { command: { kind: 'qr-print' }, length: total };
      return { command: { kind: 'unknown', bytes: bytes.slice(at, at + total) }, length: total };
    }
    if (command === 0x76) {
      if (!need(8)) return 'incomplete';
      if (byte(2) !== 0x30) return unknown();
      const widthBytes = (byte(4) ?? 0) + (byte(5) ?? 0) * 256;
      const height = (byte(6) ?? 0) + (byte(7) ?? 0) * 256;
      const total = 8 + widthBytes * height;
      if (!need(total)) return 'incomplete';
      return { command: { kind: 'raster', mode: (byte(3) ?? 0) & 3, widthBytes, height, data: bytes.slice(at + 8, at + total) }, length: total };
    }
    if (command === 0x28 && !need(3)) return 'incomplete';
    return unknown();
  }
  return unknown();
}
