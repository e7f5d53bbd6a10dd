import { describe, expect, it } from 'vitest';
import { EscPosReceiptPrinter } from '../../../drivers/devices/receipt-printer.js';
import { createMemoryLinkPair } from '../../../drivers/simulators/escpos-memory-link.js';
import { EscPosPrinterSimulator, createDemoReceiptPrinter } from '../../../drivers/simulators/escpos-printer-simulator.js';
import { PrintJournal, InMemoryPrintJournalStore } from '../../../print-templates/journal.js';
import { renderReceiptEscPos } from '../../../print-templates/receipt.js';
import { sampleReceipt } from './sample-data.js';

function setUp(): { printer: EscPosReceiptPrinter; simulator: EscPosPrinterSimulator } {
  const [hostEnd, printerEnd] = createMemoryLinkPair();
  const simulator = new EscPosPrinterSimulator(printerEnd);
  const printer = new EscPosReceiptPrinter({ id: 'receipt', open: async () => hostEnd, answerTimeoutMs: 100, jobTimeoutMs: 300 });
  return { printer, simulator };
}

describe('EscPosReceiptPrinter with the simulator', () => {
  it('prints a receipt, confirmed by the printer, and the simulator reads it back in Chinese', async () => {
    const { printer, simulator } = setUp();
    const result = await printer.print(renderReceiptEscPos(sampleReceipt), 'job-1');
    expect(result).toEqual({ outcome: 'printed', jobId: 'job-1', confirmed: true });
    const receipt = simulator.receipts[0] ?? [];
    expect(receipt).toContain('受理回执');
    expect(receipt).toContain('[QR https://zwfw.taian.gov.cn/q/370900202503140001268]');
    expect(receipt.some((line) => line.startsWith('申请人：') && line.includes('张*'))).toBe(true);
    expect(simulator.transcript.filter((line) => line.startsWith('!'))).toEqual([]);
  });

  it('sends nothing when the paper is out, and says so in plain Chinese', async () => {
    const { printer, simulator } = setUp();
    simulator.setPaper('out');
    const result = await printer.print(renderReceiptEscPos(sampleReceipt), 'job-2');
    expect(result).toMatchObject({ outcome: 'not-ready', reason: 'paper-out' });
    expect(result.outcome === 'not-ready' && result.message).toContain('缺纸');
    expect(simulator.receipts).toEqual([]);
    expect(printer.status()).toMatchObject({ state: 'userError', paper: 'out', detail: 'paper-out' });
    // Nothing was queued: loading paper prints nothing by itself.
    simulator.setPaper('ok');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(simulator.receipts).toEqual([]);
  });

  it('reports a cover left open', async () => {
    const { printer, simulator } = setUp();
    simulator.setCoverOpen(true);
    expect(await printer.checkReady()).toMatchObject({ ready: false, reason: 'cover-open', status: { detail: 'cover-open' } });
  });

  it('still prints on near-end paper and publishes the low paper state for staff', async () => {
    const { printer, simulator } = setUp();
    simulator.setPaper('near-end');
    const seen: string[] = [];
    printer.on('status', (status) => seen.push(`${status.state}/${status.paper}`));
    expect(await printer.print(renderReceiptEscPos(sampleReceipt), 'job-3')).toMatchObject({ outcome: 'printed' });
    expect(seen).toContain('online/low');
  });

  it('reports no response from a silent printer instead of claiming it is connected', async () => {
    const { printer, simulator } = setUp();
    simulator.setSilent(true);
    expect(await printer.checkReady()).toMatchObject({ ready: false, reason: 'no-response' });
    expect(printer.status()).toMatchObject({ state: 'offline', detail: 'no-response' });
  });

  it('fails a job that runs out of paper part-way, drops the rest, and keeps it pending for a reprint', async () => {
    const { printer, simulator } = setUp();
    const journal = new PrintJournal(new InMemoryPrintJournalStore(), () => new Date('2025-03-14T01:30:00Z'));
    journal.open('job-4', 'receipt', sampleReceipt.caseNumber ?? sampleReceipt.localNumber);
    simulator.runOutOfPaperAfter(5);
    const first = await printer.print(renderReceiptEscPos(sampleReceipt), 'job-4');
    expect(first).toMatchObject({ outcome: 'failed', reason: 'paper-out' });
    journal.record('job-4', { printerId: printer.id, outcome: first.outcome, reason: 'paper-out' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(simulator.transcript.some((line) => line.startsWith('> recover, clear buffers'))).toBe(true);
    expect(journal.pending().map((entry) => entry.jobId)).toEqual(['job-4']);

    simulator.setPaper('ok');
    expect(journal.reprintable('job-4')).toMatchObject({ ok: true });
    const second = await printer.print(renderReceiptEscPos(sampleReceipt), 'job-4');
    expect(second).toMatchObject({ outcome: 'printed', confirmed: true });
    journal.record('job-4', { printerId: printer.id, outcome: 'printed', staffId: 'staff-7' });
    expect(journal.pending()).toEqual([]);
    // The reprint is whole: the interrupted tail was dropped, not printed on top of it.
    expect(simulator.receipts).toHaveLength(1);
    expect(simulator.receipts[0]?.[0]).toBe('受理回执');
  });

  it('serves demo mode through createDemoReceiptPrinter', async () => {
    const { printer, simulator } = createDemoReceiptPrinter();
    await printer.start();
    expect(printer.status()).toMatchObject({ state: 'online', simulated: true, kind: 'receipt-printer' });
    simulator.setCoverOpen(true);
    expect(await printer.checkReady()).toMatchObject({ ready: false, reason: 'cover-open' });
    await printer.stop();
  });
});

describe('PrintJournal', () => {
  it('keeps no personal data: only kind, case reference, printer, outcome', () => {
    const journal = new PrintJournal(new InMemoryPrintJournalStore(), () => new Date('2025-03-14T01:30:00Z'));
    journal.open('job-9', 'certificate', '370900202503140001268');
    const entry = journal.record('job-9', { printerId: 'a4', outcome: 'submitted', spoolerJobId: 'Hall-12' });
    expect(entry).toEqual({
      ok: true,
      value: {
        jobId: 'job-9',
        document: 'certificate',
        caseReference: '370900202503140001268',
        createdAt: '2025-03-14T01:30:00.000Z',
        state: 'printed',
        attempts: [{ at: '2025-03-14T01:30:00.000Z', printerId: 'a4', outcome: 'submitted', spoolerJobId: 'Hall-12' }],
      },
    });
  });

  it('refuses unknown and duplicate jobs, and a second copy of a printed job unless asked for', () => {
    const journal = new PrintJournal(new InMemoryPrintJournalStore());
    expect(journal.record('nope', { printerId: 'x', outcome: 'printed' })).toEqual({ ok: false, code: 'unknown-job' });
    journal.open('job-1', 'receipt', 'K07-1');
    expect(journal.open('job-1', 'receipt', 'K07-1')).toEqual({ ok: false, code: 'duplicate-job' });
    journal.record('job-1', { printerId: 'x', outcome: 'printed' });
    expect(journal.reprintable('job-1')).toEqual({ ok: false, code: 'already-printed' });
    expect(journal.reprintable('job-1', true)).toMatchObject({ ok: true });
  });

  it('keeps a dismissed job for the record but out of the pending list', () => {
    const journal = new PrintJournal(new InMemoryPrintJournalStore());
    journal.open('job-1', 'receipt', 'K07-1');
    journal.record('job-1', { printerId: 'x', outcome: 'not-ready', reason: 'paper-out' });
    expect(journal.pending()).toHaveLength(1);
    journal.dismiss('job-1');
    expect(journal.pending()).toEqual([]);
    expect(journal.get('job-1')?.state).toBe('dismissed');
  });
});
