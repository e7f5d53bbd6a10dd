import { describe, expect, it } from 'vitest';
import { EscPosReceiptPrinter } from '../../../drivers/devices/receipt-printer.js';
import { encodeCommand } from '../../../drivers/protocols/sam-frame.js';
import { createMemoryLinkPair } from '../../../drivers/simulators/escpos-memory-link.js';
import { EscPosPrinterSimulator, KEPT_RECEIPTS, KEPT_TRANSCRIPT_LINES } from '../../../drivers/simulators/escpos-printer-simulator.js';
import { IdCardSimulator, REQUEST_LOG_LIMIT } from '../../../drivers/simulators/id-card-simulator.js';
import { MemoryLink } from '../../../drivers/transports/memory-transport.js';
import { renderReceiptEscPos } from '../../../print-templates/receipt.js';
import { sampleReceipt } from '../print/sample-data.js';

/**
 * Issue 10, kind 11: the demo simulators run all day in halls (training). The reader simulator's request
 * log grew without end (~0.9 GB a day at the reader's poll rate) and the printer simulator kept every
 * receipt printed, names included. Both keep the latest only.
 */
describe('simulators in a long demo day', () => {
  it('keeps the reader\'s request log bounded however long the reader polls', async () => {
    const simulator = new IdCardSimulator({ baudRate: null });
    const link = new MemoryLink('bounds');
    await link.a.open();
    await link.b.open();
    simulator.attach(link.b);
    const findCard = encodeCommand('findCard');
    // A day of polling in miniature: five limits' worth of find-card frames.
    for (let index = 0; index < REQUEST_LOG_LIMIT * 5; index++) await link.a.write(findCard);
    await new Promise((resolve) => setTimeout(resolve, 20));
    simulator.release();
    expect(simulator.counters.requests).toBe(REQUEST_LOG_LIMIT * 5);
    expect(simulator.requestLog.length).toBeGreaterThanOrEqual(REQUEST_LOG_LIMIT);
    expect(simulator.requestLog.length).toBeLessThan(REQUEST_LOG_LIMIT * 2);
    // Newest last, still in order.
    const times = simulator.requestLog.map((entry) => entry.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('keeps the latest receipts and transcript lines of the printer only', async () => {
    const [hostEnd, printerEnd] = createMemoryLinkPair();
    const simulator = new EscPosPrinterSimulator(printerEnd);
    const printer = new EscPosReceiptPrinter({ id: 'receipt', open: async () => hostEnd, answerTimeoutMs: 100, jobTimeoutMs: 300 });
    const job = renderReceiptEscPos(sampleReceipt);
    for (let index = 0; index < KEPT_RECEIPTS + 10; index++) await printer.print(job, `job-${index}`);
    expect(simulator.receipts).toHaveLength(KEPT_RECEIPTS);
    expect(simulator.transcript.length).toBeLessThan(KEPT_TRANSCRIPT_LINES * 2);
  });
});
