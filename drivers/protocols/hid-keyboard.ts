/**
 * Keyboard-wedge scanners enumerate as a USB HID boot keyboard and "type" the code. Reading their
 * reports directly (instead of letting them type into whatever window has focus) keeps a scan out
 * of the UI's text fields. Boot report: [modifiers, reserved, key1..key6]; a key counts when it
 * appears, so "ll" arrives as press, release, press. US layout, which is what scanners emit.
 * Enter becomes CR so the line protocol downstream ends the scan.
 */
import type { ReportUnpacker } from './hid-reports.js';

const SHIFT = 0x02 | 0x20;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '1234567890';
const SHIFTED_DIGITS = '!@#$%^&*()';
/** Usage IDs 0x2C..0x38 unshifted and shifted (0x32 is the non-US # key, mapped like 0x31). */
const PUNCTUATION = ' -=[]\\\\;\'`,./';
const SHIFTED_PUNCTUATION = ' _+{}||:"~<>?';

export function keyToCharacter(usage: number, shifted: boolean): string | null {
  if (usage >= 0x04 && usage <= 0x1d) {
    const letter = LETTERS[usage - 0x04] ?? '';
    return shifted ? letter.toUpperCase() : letter;
  }
  if (usage >= 0x1e && usage <= 0x27) return (shifted ? SHIFTED_DIGITS : DIGITS)[usage - 0x1e] ?? null;
  if (usage === 0x28 || usage === 0x58) return '\r';
  if (usage === 0x2b) return '\t';
  if (usage >= 0x2c && usage <= 0x38) return (shifted ? SHIFTED_PUNCTUATION : PUNCTUATION)[usage - 0x2c] ?? null;
  return null;
}

export class KeyboardReportUnpacker implements ReportUnpacker {
  private held = new Set<number>();
  private readonly encoder = new TextEncoder();

  push(report: Uint8Array): Uint8Array[] {
    if (report.length < 3) return [];
    const shifted = ((report[0] ?? 0) & SHIFT) !== 0;
    const now = new Set<number>();
    let text = '';
    for (let index = 2; index < report.length && index < 8; index++) {
      const usage = report[index] ?? 0;
      // 0x01 is rollover (too many keys): it says nothing about which keys are held.
      if (usage === 0x00 || usage === 0x01) continue;
      now.add(usage);
      if (!this.held.has(usage)) text += keyToCharacter(usage, shifted) ?? '';
    }
    this.held = now;
    return text ? [this.encoder.encode(text)] : [];
  }

  reset(): void {
    this.held.clear();
  }
}
