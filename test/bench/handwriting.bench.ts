import { readFileSync } from 'node:fs';
import { simplifiedCharacterCounts } from '../../host/services/ime/handwriting-fusion.js';
import { HandwritingService } from '../../host/services/ime/handwriting-service.js';
import type { Logger } from '../../host/services/log.js';
import { hanziMedians } from '../e2e/support/ime-harness.js';
import { percentile, round, type Figures } from './figures.js';

/**
 * Handwriting as the kiosk does it (HandwritingService: Tegaki's Simplified Chinese model, fused with
 * Tegaki's Japanese model and a character-frequency prior; handwriting-fusion.ts), on characters written
 * from real stroke data: Make Me a Hanzi's stroke medians (hanzi-writer-data), each drawn once with jitter —
 * a random offset (±60 of 1024), scale (0.8–1.1), rotation (±6°), points every ~12 units along each
 * stroke and ±6 of noise on each point, from a fixed seed. The scored set is the 500 most frequent single
 * characters of Rime's essay (converted to Simplified) that hanzi-writer-data has, in frequency order, not
 * chosen by how well they recognise.
 * - `handwriting.top5_accuracy` (goal ≥ 0.9) and `handwriting.top1_accuracy`;
 * - the same for the Simplified Chinese model alone (what the kiosk had before fusion);
 * - top-5 on two sets the fusion's temperature, weight and λ were chosen on (frequency ranks 500–1,500 and 2,500–3,500), so
 *   a gain on the scored set that costs rarer characters (names) shows;
 * - the scored set drawn again with two other jitter seeds (the draw's own noise);
 * - `handwriting.recognise_p99_ms` (goal < 100): one recognition, host side (both models and the fusion).
 */
const CHARACTERS = 500;
const RIME = '/usr/share/rime-data';
const MODELS = '/usr/share/tegaki/models/zinnia';
/** mulberry32: a small seeded generator, so every run draws the same jitter. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters with stroke data by essay frequency, most frequent first; and how many had none. */
function charactersByFrequency(): { characters: string[]; withoutStrokes: number; firstWithout: number } {
  const counts = simplifiedCharacterCounts(readFileSync(`${RIME}/essay.txt`, 'utf8'));
  const characters: string[] = [];
  let withoutStrokes = 0;
  let firstWithout = 0;
  for (const [character] of [...counts].sort((a, b) => b[1] - a[1])) {
    if (characters.length === 3_500) break;
    if (hanziMedians(character)) characters.push(character);
    else {
      withoutStrokes++;
      if (characters.length < CHARACTERS) firstWithout++;
    }
  }
  return { characters, withoutStrokes, firstWithout };
}

function jittered(strokes: [number, number][][], random: () => number): [number, number][][] {
  const angle = ((random() * 12 - 6) * Math.PI) / 180;
  const scale = 0.8 + random() * 0.3;
  const dx = random() * 120 - 60;
  const dy = random() * 120 - 60;
  const place = ([x, y]: [number, number]): [number, number] => {
    const cx = x - 512;
    const cy = y - 512;
    const px = 512 + scale * (cx * Math.cos(angle) - cy * Math.sin(angle)) + dx + (random() * 12 - 6);
    const py = 512 + scale * (cx * Math.sin(angle) + cy * Math.cos(angle)) + dy + (random() * 12 - 6);
    return [Math.min(1024, Math.max(0, px)), Math.min(1024, Math.max(0, py))];
  };
  return strokes.map((stroke) => {
    const points: [number, number][] = [];
    stroke.forEach((point, index) => {
      const previous = stroke[index - 1];
      if (previous) {
        const steps = Math.max(1, Math.round(Math.hypot(point[0] - previous[0], point[1] - previous[1]) / 12));
        for (let step = 1; step < steps; step++) points.push(place([previous[0] + ((point[0] - previous[0]) * step) / steps, previous[1] + ((point[1] - previous[1]) * step) / steps]));
      }
      points.push(place(point));
    });
    return points;
  });
}

interface Scored {
  top1: number;
  top5: number;
  times: number[];
}

/** Recognises each character of `characters` drawn with jitter (from `seed`; the scored figures use 9) and counts hits. */
function score(service: HandwritingService, characters: readonly string[], seed = 9): Scored {
  const random = seeded(seed);
  const result: Scored = { top1: 0, top5: 0, times: [] };
  for (const character of characters) {
    const strokes = jittered(hanziMedians(character) ?? [], random);
    const started = performance.now();
    const answer = service.recognise(strokes, 1024, 1024, 5);
    result.times.push(performance.now() - started);
    if (!answer.ok) throw new Error(`handwriting unavailable: ${answer.error.message}`);
    if (answer.value.candidates[0] === character) result.top1++;
    if (answer.value.candidates.includes(character)) result.top5++;
  }
  return result;
}

export default async function bench(): Promise<Figures> {
  const { characters, firstWithout } = charactersByFrequency();
  const log: Logger = { log: () => undefined, pseudonym: (value) => value };
  const kiosk = new HandwritingService({ library: 'libzinnia.so.0', model: `${MODELS}/handwriting-zh_CN.model`, extraModels: [{ path: `${MODELS}/handwriting-ja.model`, script: 'ja' }], rimeDataDir: RIME, log });
  const alone = new HandwritingService({ library: 'libzinnia.so.0', model: `${MODELS}/handwriting-zh_CN.model`, log });
  try {
    kiosk.warm();
    const scored = characters.slice(0, CHARACTERS);
    const fused = score(kiosk, scored);
    const single = score(alone, scored);
    const held = score(kiosk, characters.slice(CHARACTERS, 1_500));
    const rare = score(kiosk, characters.slice(2_500, 3_500));
    // The same 500 drawn with two other jitter seeds: how much of a difference is the draw's, not the method's.
    const otherSeeds = [10, 11].map((seed) => score(kiosk, scored, seed).top5 / scored.length);
    const share = (hits: number, of: number) => round(hits / of, 3);
    return {
      'handwriting.top5_accuracy': { value: share(fused.top5, scored.length), unit: `share of ${scored.length} (two models fused + frequency prior; goal ≥ 0.9)` },
      'handwriting.top1_accuracy': { value: share(fused.top1, scored.length), unit: `share of ${scored.length}` },
      'handwriting.single_model_top5_accuracy': { value: share(single.top5, scored.length), unit: `share of ${scored.length} (Simplified Chinese model alone)` },
      'handwriting.single_model_top1_accuracy': { value: share(single.top1, scored.length), unit: `share of ${scored.length} (Simplified Chinese model alone)` },
      'handwriting.top5_accuracy.ranks_500_1500': { value: share(held.top5, 1_000), unit: 'share of 1000 (T, weight, λ chosen here)' },
      'handwriting.top5_accuracy.ranks_2500_3500': { value: share(rare.top5, 1_000), unit: 'share of 1000 (T, weight, λ chosen here)' },
      'handwriting.top5_accuracy.seed_10': { value: round(otherSeeds[0] ?? NaN, 3), unit: `share of ${scored.length} (the scored set drawn with jitter seed 10)` },
      'handwriting.top5_accuracy.seed_11': { value: round(otherSeeds[1] ?? NaN, 3), unit: `share of ${scored.length} (the scored set drawn with jitter seed 11)` },
      'handwriting.recognise_p99_ms': { value: round(percentile(fused.times, 99), 2), unit: 'ms (both models + fusion)' },
      'handwriting.frequent_without_stroke_data': { value: firstWithout, unit: 'characters skipped' },
    };
  } finally {
    kiosk.close();
    alone.close();
  }
}
