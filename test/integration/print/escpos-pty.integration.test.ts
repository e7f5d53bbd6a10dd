import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSerialByteDuplex } from '../../../drivers/devices/receipt-printer-serial.js';
import { EscPosReceiptPrinter } from '../../../drivers/devices/receipt-printer.js';
import { EscPosPrinterSimulator } from '../../../drivers/simulators/escpos-printer-simulator.js';
import { renderReceiptEscPos } from '../../../print-templates/receipt.js';
import { sampleOfflineReceipt, sampleReceipt } from '../../unit/print/sample-data.js';

/**
 * The receipt printer driver and the simulator on the two ends of a real pseudo-terminal pair (socat),
 * both through the real serialport binding. Transcripts are compared with golden files in
 * test/fixtures/print/; `UPDATE_REFERENCES=1` rewrites them (read the diff before committing).
 */
const fixtures = fileURLToPath(new URL('../../fixtures/print/', import.meta.url));
const update = process.env.UPDATE_REFERENCES === '1';

function expectGolden(name: string, transcript: readonly string[]): void {
  const file = `${fixtures}${name}.transcript.txt`;
  const text = `${transcript.join('\n')}\n`;
  if (update) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

let directory: string;
let socat: ChildProcess;
let printer: EscPosReceiptPrinter;
let simulator: EscPosPrinterSimulator;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'escpos-pty-'));
  const [host, device] = [join(directory, 'host'), join(directory, 'printer')];
  socat = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!(existsSync(host) && existsSync(device))) {
    if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  simulator = new EscPosPrinterSimulator(await openSerialByteDuplex(device, 115_200));
  printer = new EscPosReceiptPrinter({ id: 'receipt', open: () => openSerialByteDuplex(host, 115_200), port: host, answerTimeoutMs: 300, jobTimeoutMs: 1500 });
});

afterEach(async () => {
  await printer.stop();
  await simulator.close();
  socat.kill();
  rmSync(directory, { recursive: true, force: true });
});

describe('receipt printer over a real pty', () => {
  it('prints the online receipt (golden transcript)', async () => {
    expect(await printer.print(renderReceiptEscPos(sampleReceipt), 'job-1')).toEqual({ outcome: 'printed', jobId: 'job-1', confirmed: true });
    expectGolden('receipt-online', simulator.transcript);
  });

  it('prints the offline receipt with the local number in large type (golden transcript)', async () => {
    expect(await printer.print(renderReceiptEscPos(sampleOfflineReceipt), 'job-2')).toMatchObject({ outcome: 'printed' });
    expectGolden('receipt-offline', simulator.transcript);
    expect(simulator.transcript.join('\n')).toContain('> size 2x2\n| K07-20250314-0042');
  });

  it('answers status queries and refuses to print with the paper out (golden transcript)', async () => {
    simulator.setPaper('out');
    expect(await printer.print(renderReceiptEscPos(sampleReceipt), 'job-3')).toMatchObject({ outcome: 'not-ready', reason: 'paper-out' });
    simulator.setPaper('ok');
    simulator.setCoverOpen(true);
    expect(await printer.checkReady()).toMatchObject({ ready: false, reason: 'cover-open' });
    expectGolden('paper-out-then-cover-open', simulator.transcript);
  });

  it('fails a job whose paper runs out part-way and clears the printer buffer (golden transcript)', async () => {
    simulator.runOutOfPaperAfter(3);
    expect(await printer.print(renderReceiptEscPos(sampleReceipt), 'job-4')).toMatchObject({ outcome: 'failed', reason: 'paper-out' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expectGolden('paper-runs-out-mid-job', simulator.transcript);
  });
});
