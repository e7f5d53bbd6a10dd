/**
 * HID readers carry byte streams in fixed-size input/output reports (64 bytes for the SAM readers
 * seen, VID 0x0400 PID 0xC35A). A report unpacker turns reports back into the byte stream the
 * serial variant of the same device would have sent. Pure.
 */
import { HEADER_LENGTH, MAX_LENGTH, MIN_LENGTH, PREAMBLE } from './sam-frame.js';

export interface ReportUnpacker {
  /** One input report in; the stream bytes it completes out (often none until a frame is whole). */
  push(report: Uint8Array): Uint8Array[];
  /** Forget a partial frame (after reconnect). */
  reset(): void;
}

/**
 * SAM frames over HID: a frame starts at the beginning of a report and continues in the following
 * reports until 7 + Len bytes have arrived; the rest of the last report is padding. A report that
 * starts with the preamble while a frame is pending means the reader gave up on that frame
 * (it was reset or the card was lifted): the partial frame is dropped, not glued to the new one.
 */
export class SamReportUnpacker implements ReportUnpacker {
  private pending: Uint8Array | null = null;
  private filled = 0;
  /** Partial frames dropped so far, for diagnostics. */
  dropped = 0;

  push(report: Uint8Array): Uint8Array[] {
    const output: Uint8Array[] = [];
    if (this.pending && startsWithPreamble(report, 0)) {
      this.pending = null;
      this.dropped++;
    }
    if (this.pending) {
      this.fill(report, 0, output);
      // Whatever follows a completed frame in the same report is padding.
      return output;
    }
    const start = findPreamble(report, 0);
    if (start < 0 || report.length - start < HEADER_LENGTH) return output;
    const length = ((report[start + 5] ?? 0) << 8) | (report[start + 6] ?? 0);
    if (length < MIN_LENGTH || length > MAX_LENGTH) return output;
    this.pending = new Uint8Array(HEADER_LENGTH + length);
    this.filled = 0;
    this.fill(report, start, output);
    return output;
  }

  reset(): void {
    this.pending = null;
    this.filled = 0;
  }

  private fill(report: Uint8Array, from: number, output: Uint8Array[]): void {
    const pending = this.pending;
    if (!pending) return;
    const take = Math.min(pending.length - this.filled, report.length - from);
    pending.set(report.subarray(from, from + take), this.filled);
    this.filled += take;
    if (this.filled === pending.length) {
      output.push(pending);
      this.pending = null;
    }
  }
}

/**
 * Splits stream bytes into output reports for hidapi: each is `reportId` followed by `reportSize`
 * bytes, zero padded (hidapi wants the report ID first, 0 when the device uses none).
 */
export function packReports(bytes: Uint8Array, reportSize: number, reportId = 0): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += reportSize) {
    const report = new Uint8Array(reportSize + 1);
    report[0] = reportId;
    report.set(bytes.subarray(offset, offset + reportSize), 1);
    reports.push(report);
  }
  return reports;
}

function startsWithPreamble(bytes: Uint8Array, at: number): boolean {
  for (let index = 0; index < PREAMBLE.length; index++) if (bytes[at + index] !== PREAMBLE[index]) return false;
  return true;
}

function findPreamble(bytes: Uint8Array, from: number): number {
  for (let index = from; index + PREAMBLE.length <= bytes.length; index++) if (startsWithPreamble(bytes, index)) return index;
  return -1;
}
