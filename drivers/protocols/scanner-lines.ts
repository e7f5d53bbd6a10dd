/**
 * Serial QR/barcode scanners send each code as text ended by CR, LF or CR LF. Pure.
 * Encoding: UTF-8 by default (电子身份码 and e-licence codes are ASCII/UTF-8); some scanners
 * send GB18030, which Node's full-ICU TextDecoder understands.
 */
export interface LineDecoderOptions {
  encoding?: 'utf-8' | 'gb18030';
  /** A line longer than this is noise (or a missing terminator); it is dropped, not passed on. */
  maxLength?: number;
}

export class ScannerLineDecoder {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  private readonly maxLength: number;
  private pending: number[] = [];
  private overflowed = false;
  private lastWasCarriageReturn = false;

  constructor(options: LineDecoderOptions = {}) {
    this.decoder = new TextDecoder(options.encoding ?? 'utf-8');
    this.maxLength = options.maxLength ?? 4096;
    if (!Number.isInteger(this.maxLength) || this.maxLength < 1) throw new RangeError('maxLength must be a positive integer');
  }

  push(bytes: Uint8Array): string[] {
    const lines: string[] = [];
    for (const byte of bytes) {
      const isTerminator = byte === 0x0d || byte === 0x0a;
      if (isTerminator) {
        // CR LF is one terminator, not an empty line between two.
        if (!(byte === 0x0a && this.lastWasCarriageReturn)) this.endLine(lines);
        this.lastWasCarriageReturn = byte === 0x0d;
        continue;
      }
      this.lastWasCarriageReturn = false;
      if (this.pending.length >= this.maxLength) this.overflowed = true;
      else this.pending.push(byte);
    }
    return lines;
  }

  reset(): void {
    this.pending = [];
    this.overflowed = false;
    this.lastWasCarriageReturn = false;
  }

  private endLine(lines: string[]): void {
    const bytes = Uint8Array.from(this.pending);
    const overflowed = this.overflowed;
    this.reset();
    if (overflowed || bytes.length === 0) return;
    const text = this.decoder.decode(bytes).trim();
    if (text) lines.push(text);
  }
}
