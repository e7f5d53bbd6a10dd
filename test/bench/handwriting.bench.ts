import { readFileSync } from 'node:fs';
import { Converter } from 'opencc-js';
import { parseEssay } from '../../host/services/ime/rime-source.js';
import { ZinniaRecognizer } from '../../host/services/ime/zinnia.js';
import { hanziMedians } from '../e2e/support/ime-harness.js';
import { percentile, round, type Figures } from './figures.js';

/**
 * Handwriting with Zinnia and Debian's Simplified Chinese model, on characters written from real
 * stroke data: Make Me a Hanzi's stroke medians (hanzi-writer-data), each drawn once with jitter —
 * a random offset (±60 of 1024), scale (0.8–1.1), rotation (±6°), points every ~12 units along each
 * stroke and ±6 of noise on each point, from a fixed seed. The characters are the 500 most frequent
 * single characters of Rime's essay (converted to Simplified) that hanzi-writer-data has, in frequency
 * order, not chosen by how well they recognise.
 * - `handwriting.top5_accuracy` (goal ≥ 0.9) and `handwriting.top1_accuracy`;
 * - `handwriting.recognise_p99_ms` (goal < 100): one zinnia_recognizer_classify call, host side.
 */
const CHARACTERS = 500;

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

function frequentCharacters(): { characters: string[]; withoutStrokes: number } {
  const toSimplified = Converter({ from: 't', to: 'cn' });
  const counts = new Map<string, number>();
  for (const word of parseEssay(readFileSync('/usr/share/rime-data/essay.txt', 'utf8')).items) {
    if ([...word.text].length !== 1) continue;
    const character = toSimplified(word.text);
    if (!/^\p{Script=Han}$/u.test(character)) continue;
    counts.set(character, (counts.get(character) ?? 0) + word.count);
  }
  const characters: string[] = [];
  let withoutStrokes = 0;
  for (const [character] of [...counts].sort((a, b) => b[1] - a[1])) {
    if (characters.length === CHARACTERS) break;
    if (hanziMedians(character)) characters.push(character);
    else withoutStrokes++;
  }
  return { characters, withoutStrokes };
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

export default async function bench(): Promise<Figures> {
  const { characters, withoutStrokes } = frequentCharacters();
  const recognizer = ZinniaRecognizer.open({ library: 'libzinnia.so.0', model: '/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model' });
  const random = seeded(9);
  const times: number[] = [];
  let top1 = 0;
  let top5 = 0;
  try {
    for (const character of characters) {
      const strokes = jittered(hanziMedians(character) ?? [], random);
      const started = performance.now();
      const answers = recognizer.classify(strokes, 1024, 1024, 5);
      times.push(performance.now() - started);
      if (answers[0]?.text === character) top1++;
      if (answers.some((answer) => answer.text === character)) top5++;
    }
  } finally {
    recognizer.close();
  }
  return {
    'handwriting.top5_accuracy': { value: round(top5 / characters.length, 3), unit: `share of ${characters.length}` },
    'handwriting.top1_accuracy': { value: round(top1 / characters.length, 3), unit: `share of ${characters.length}` },
    'handwriting.recognise_p99_ms': { value: round(percentile(times, 99), 2), unit: 'ms' },
    'handwriting.frequent_without_stroke_data': { value: withoutStrokes, unit: 'characters skipped' },
  };
}
