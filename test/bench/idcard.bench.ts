/**
 * ID-card benchmarks.
 * - idcard.read.ratio_to_wire: from placeCard() to the reader's `card` event, over a real pty
 *   (socat, real serialport binding) with the simulator pacing at 115200 baud, divided by the wire
 *   time of every byte exchanged in that interval (10 bits per byte). 1.00 is the physical limit.
 * - idcard.parse.mb_per_s: SamFrameDecoder throughput on mixed valid frames and garbage, in 4 KiB chunks.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SamIdCardReader } from '../../drivers/devices/id-card-reader.js';
import { encodeCardPayload } from '../../drivers/protocols/sam-card-data.js';
import { SamFrameDecoder, encodeResponse } from '../../drivers/protocols/sam-frame.js';
import { ID_CARD_DECK, filler } from '../../drivers/simulators/id-card-deck.js';
import { IdCardSimulator, INSTANT_PROCESSING } from '../../drivers/simulators/id-card-simulator.js';
import { wireTimeMs } from '../../drivers/simulators/line-pacer.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import type { Figures } from './figures.js';
import { median, percentile, round } from './figures.js';

const BAUD = 115200;
const READS = 20;

async function readLatency(): Promise<Figures> {
  const directory = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  const a = join(directory, 'a');
  const b = join(directory, 'b');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  // The ratio is the driver's overhead over the wire: the reader's own processing time is left out.
  const simulator = new IdCardSimulator({ baudRate: BAUD, precisePacing: true, processingMs: INSTANT_PROCESSING });
  const far = new SerialTransport({ path: b, baudRate: BAUD });
  const reader = new SamIdCardReader({ transport: () => new SerialTransport({ path: a, baudRate: BAUD }) });
  try {
    while (!(existsSync(a) && existsSync(b))) await new Promise((resolve) => setTimeout(resolve, 10));
    await far.open();
    simulator.attach(far);
    await reader.start();
    while (reader.status().state !== 'online') await new Promise((resolve) => setTimeout(resolve, 10));
    const ratios: number[] = [];
    const latencies: number[] = [];
    const cards = ID_CARD_DECK.filter((card) => card.id !== 'resident-bad-check');
    for (let index = 0; index < READS; index++) {
      const card = cards[index % cards.length]!;
      // Place at a random moment of the poll cycle, as a citizen would.
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 20));
      const read = new Promise<number>((resolve) => {
        const off = reader.on('card', () => {
          off();
          resolve(performance.now());
        });
      });
      simulator.resetCounters();
      const placed = performance.now();
      simulator.placeCard(card.id);
      const done = await read;
      const wire = wireTimeMs(simulator.counters.bytesIn + simulator.counters.bytesOut, BAUD);
      latencies.push(done - placed);
      ratios.push((done - placed) / wire);
      simulator.removeCard();
      while (reader.status().media !== 'notPresent') await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return {
      'idcard.read.ratio_to_wire': { value: round(median(ratios), 3), unit: 'ratio (median)' },
      'idcard.read.ratio_to_wire.p90': { value: round(percentile(ratios, 90), 3), unit: 'ratio' },
      'idcard.read.latency_ms': { value: round(median(latencies), 1), unit: 'ms (median)' },
    };
  } finally {
    await reader.stop();
    simulator.release();
    await far.close();
    socat.kill();
    rmSync(directory, { recursive: true, force: true });
  }
}

function parseThroughput(): Figures {
  const card = ID_CARD_DECK[0]!;
  const parts: Uint8Array[] = [];
  for (let index = 0; index < 200; index++) {
    parts.push(filler(`garbage-${index}`, 50 + (index % 7) * 30));
    parts.push(index % 3 === 0 ? encodeResponse(0x90, encodeCardPayload({ text: card.textBlock, photo: card.photoWlt, fingerprint: null }, false)) : encodeResponse(0x9f, new Uint8Array(4)));
  }
  const stream = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    stream.set(part, offset);
    offset += part.length;
  }
  // One pass over the stream; the first passes warm the JIT, the median of the rest is reported.
  const pass = (): number => {
    let frames = 0;
    const started = performance.now();
    const decoder = new SamFrameDecoder();
    for (let at = 0; at < stream.length; at += 4096) {
      for (const output of decoder.push(stream.subarray(at, at + 4096))) if (output.kind === 'frame') frames++;
    }
    if (frames !== 200) throw new Error(`decoder lost frames: ${frames} of 200`);
    return stream.length / ((performance.now() - started) / 1000) / 1e6;
  };
  for (let warm = 0; warm < 10; warm++) pass();
  const rates = Array.from({ length: 40 }, pass);
  return { 'idcard.parse.mb_per_s': { value: round(median(rates), 1), unit: 'MB/s (median of 40 passes)' } };
}

export default async function (): Promise<Figures> {
  return { ...(await readLatency()), ...parseThroughput() };
}
