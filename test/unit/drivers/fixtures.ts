/** Reads the golden files written by test/fixtures/drivers/generate.py (an independent implementation). */
import { readFileSync } from 'node:fs';
import { fromHex } from '../../../drivers/protocols/sam-frame.js';

const root = new URL('../../fixtures/drivers/', import.meta.url);

export function goldenFrame(name: string): Uint8Array {
  return fromHex(readFileSync(new URL(`sam/${name}.hex`, root), 'utf8'));
}

export interface HidRecording {
  reportSize: number;
  reports: Uint8Array[];
  frames: Uint8Array[];
}

export function hidRecording(name: string): HidRecording {
  const raw = JSON.parse(readFileSync(new URL(`hid/${name}.json`, root), 'utf8')) as { reportSize: number; reports: string[]; frames: string[] };
  return { reportSize: raw.reportSize, reports: raw.reports.map(fromHex), frames: raw.frames.map(fromHex) };
}
