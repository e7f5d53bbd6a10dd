import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import QRCode from 'qrcode';
import { renderCertificatePdf } from '../../print-templates/certificate.js';
import { loadFonts } from '../../print-templates/fonts.js';
import { receiptLayout, renderReceiptPdf } from '../../print-templates/receipt.js';
import type { ReceiptBlock } from '../../print-templates/blocks.js';
import { sampleCertificate, sampleReceipt } from '../unit/print/sample-data.js';
import { type Figures, median, round } from './figures.js';

/**
 * Printing figures (issue 6): warm and cold render times for the receipt and the A4 certificate, the
 * receipt's size (font subsetting), and how much faster than printing the same receipt as HTML through
 * headless Chromium (what many Electron apps do), measured in the same run.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

async function timeWarm(render: () => Promise<unknown>, runs: number): Promise<number> {
  for (let warmup = 0; warmup < 5; warmup += 1) await render();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await render();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** A fresh Node process: module load, font parse and one render, timed inside the child. */
function timeCold(module: string, exportName: string, sample: string): number {
  const script = `
    const start = performance.now();
    const templates = await import(${JSON.stringify(`${root}${module}`)});
    const samples = await import(${JSON.stringify(`${root}test/unit/print/sample-data.ts`)});
    const data = typeof samples.${sample} === 'function' ? samples.${sample}() : samples.${sample};
    await templates.${exportName}(data);
    process.stdout.write(String(performance.now() - start));
  `;
  const runs = [0, 1, 2].map(() => Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })));
  return median(runs);
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same receipt blocks as an HTML page, the way a renderer-side print would build it. */
async function receiptHtml(blocks: readonly ReceiptBlock[]): Promise<string> {
  const parts: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'title':
        parts.push(`<h1>${escape(block.text)}</h1>${block.subtitle ? `<p class="c">${escape(block.subtitle)}</p>` : ''}`);
        break;
      case 'heading':
        parts.push(`<h2>${escape(block.text)}</h2>`);
        break;
      case 'rows':
        parts.push(`<table>${block.rows.map((row) => `<tr><th>${escape(row.label)}：</th><td>${escape(row.value)}</td></tr>`).join('')}</table>`);
        break;
      case 'rule':
        parts.push('<hr>');
        break;
      case 'qr':
        parts.push(`<div class="c">${await QRCode.toString(block.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 })}<p>${escape(block.caption ?? '')}</p></div>`);
        break;
      case 'note':
        parts.push(`<p class="${block.emphasis ? 'box' : ''}">${escape(block.text)}</p>`);
        break;
      case 'highlight':
        parts.push(`<div class="box c"><p>${escape(block.label)}</p><p class="big">${escape(block.value)}</p></div>`);
        break;
      case 'spacer':
        parts.push('<br>'.repeat(block.lines));
        break;
    }
  }
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>
    body{margin:4mm;font:9pt "Noto Sans CJK SC","Noto Sans SC",sans-serif} h1{font-size:14pt;text-align:center;margin:0}
    h2{font-size:10pt;margin:4pt 0 0} .c{text-align:center} table{border-collapse:collapse} th{font-weight:normal;text-align:left;width:5em;vertical-align:top}
    .box{border:1px solid #000;padding:3pt} .big{font-size:20pt;font-weight:bold;margin:0} svg{width:32mm;height:32mm} hr{border:0;border-top:1px dashed #000}
  </style><body>${parts.join('\n')}</body></html>`;
}

async function timeChromium(html: string, runs: number): Promise<number> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    const render = async (): Promise<Buffer> => {
      await page.setContent(html);
      return page.pdf({ width: '80mm', height: '200mm', printBackground: true });
    };
    return await timeWarm(render, runs);
  } finally {
    await browser.close();
  }
}

/**
 * The first receipt a citizen gets after the host started (a fresh process: demo stack, then 2.5 s, then
 * one receipt PDF timed), with the host's background warm-up (`warm`) and without it.
 */
function timeFirstAfterStart(warm: boolean): number {
  const script = `
    const { startDemoStack } = await import(${JSON.stringify(`${root}scripts/demo-stack.ts`)});
    const { renderReceiptPdf } = await import(${JSON.stringify(`${root}print-templates/receipt.ts`)});
    const { sampleReceipt } = await import(${JSON.stringify(`${root}test/unit/print/sample-data.ts`)});
    const stack = await startDemoStack({ bridge: 'none', serveRenderer: false${warm ? '' : ', warmPrintingAfterMs: null'} });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const start = performance.now();
    await renderReceiptPdf(sampleReceipt);
    process.stdout.write(String(performance.now() - start));
    await stack.close();
    process.exit(0);
  `;
  return median([0, 1, 2].map(() => Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1))));
}

export default async function (): Promise<Figures> {
  loadFonts();
  const receiptWarm = await timeWarm(() => renderReceiptPdf(sampleReceipt), 50);
  const certificateWarm = await timeWarm(() => renderCertificatePdf(sampleCertificate), 50);
  const receiptBytes = (await renderReceiptPdf(sampleReceipt)).length;
  const chromiumWarm = await timeChromium(await receiptHtml(receiptLayout(sampleReceipt)), 20);
  return {
    'print.receipt_pdf.warm_ms': { value: round(receiptWarm), unit: 'ms' },
    'print.receipt_pdf.cold_ms': { value: round(timeCold('print-templates/receipt.ts', 'renderReceiptPdf', 'sampleReceipt')), unit: 'ms' },
    'print.certificate_pdf.warm_ms': { value: round(certificateWarm), unit: 'ms' },
    'print.certificate_pdf.cold_ms': { value: round(timeCold('print-templates/certificate.ts', 'renderCertificatePdf', 'sampleCertificate')), unit: 'ms' },
    'print.receipt_pdf.chromium_warm_ms': { value: round(chromiumWarm), unit: 'ms' },
    'print.receipt_pdf.ratio_vs_chromium': { value: round(chromiumWarm / receiptWarm, 1), unit: 'x' },
    'print.receipt_pdf.bytes': { value: receiptBytes, unit: 'bytes' },
    'print.receipt_pdf.first_after_start_ms': { value: round(timeFirstAfterStart(true)), unit: 'ms' },
    'print.receipt_pdf.first_after_start_unwarmed_ms': { value: round(timeFirstAfterStart(false)), unit: 'ms' },
  };
}
