import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { sealFromQrText } from '../../print-templates/proof.js';
import { connectBridge, type BridgeClient } from '../support/bridge-client.js';
import { rasterise } from '../unit/print/gray-image.js';
import { launchChromium, screenshotPath } from './support/browser.js';
import { ORIENTATIONS } from './support/citizen.js';
import { passIdentityCheck } from './support/identity-check.js';

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

/**
 * 查询打印 in Chromium against the demo stack (central issuing and sealing from its demo population, the
 * host verifying the seal and printing to its folder printer), tapped only: a citizen who is nobody's
 * 法定代表人 is refused an enterprise proof with central's reason; 张建华 (the demo company's 法定代表人)
 * prints a personal proof in two copies and the company's 营业执照; the printed QR, decoded from the
 * printed PDF, opens central's verification page in a second page: 真实有效, and 无此证明 for an altered code.
 */
describe('查询打印: proofs printed with central’s seal', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  let hand: BridgeClient;
  const printedDir = () => join(stack.config.dataDir, 'printed');
  const printed = () => readdirSync(printedDir()).filter((name) => name.endsWith('.pdf'));

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    // Upright hall kiosk first (1080×1920).
    page = await (await browser.newContext({ viewport: ORIENTATIONS.portrait, locale: 'zh-CN' })).newPage();
    await page.goto(stack.host.bridge?.launchUrl ?? '');
    hand = await connectBridge(stack.host.bridge ?? { url: '', launchUrl: '' });
  });

  afterAll(async () => {
    hand?.close();
    await browser?.close();
    await stack?.close();
  });

  it('refuses an enterprise proof to a citizen who is not the legal representative, with the reason', async () => {
    await page.click('[data-test=open-proofs]');
    await page.click('[data-test=proofs-enterprise]');
    await page.click('[data-test=proof-business-licence-copy]');
    await page.click('[data-test=demo-card-resident-li]');
    // 人证核验 first (issue 14): a proof holds personal data; this kiosk has no face check, staff confirm.
    await passIdentityCheck(page);
    const refusal = page.locator('[data-test=proof-problem]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/法定代表人/);
    await page.screenshot({ path: screenshotPath('proofs-refused-portrait.png') });
  });

  it('prints a personal proof in two copies and an enterprise proof for the legal representative; the QR verifies', async () => {
    // The next citizen: 李 lifts the card, 张建华 lays his.
    await hand.call('simulator:remove-card', {});
    await page.waitForSelector('[data-test=card-absent]');
    await hand.call('simulator:place-card', { cardId: 'resident-zhang' });
    await page.waitForSelector('[data-test=open-proofs]');
    await page.waitForSelector('[data-test=card-absent]', { state: 'detached' });

    await page.click('[data-test=open-proofs]');
    await page.click('[data-test=proof-social-insurance-payment]');
    await passIdentityCheck(page);
    const preview = page.locator('[data-test=proof-preview]');
    await preview.waitFor();
    expect(await preview.innerText()).toContain('社会保险缴费证明');
    await page.screenshot({ path: screenshotPath('proofs-preview-portrait.png'), fullPage: true });
    await page.click('[data-test=elder-mode]');
    await page.screenshot({ path: screenshotPath('proofs-preview-elder-portrait.png'), fullPage: true });
    await page.click('[data-test=elder-mode]');

    const before = printed().length;
    await page.click('[data-test=copies-plus]');
    expect(await page.innerText('[data-test=copies]')).toContain('2');
    await page.click('[data-test=proof-print]');
    await page.locator('[data-test=proof-outcome]', { hasText: '已打印 2 份' }).waitFor();
    expect(printed().length - before).toBe(2);
    const proofFile = printed().find((name) => !name.includes('-copy-'));
    const qr = jsQrOf(join(printedDir(), proofFile ?? ''));
    const sealOnPaper = sealFromQrText(qr ?? '');
    expect(sealOnPaper?.url).toMatch(/\/verify\/[0-9A-Z]{16}$/);

    await page.click('[data-test=proof-another]');
    await page.click('[data-test=proofs-enterprise]');
    await page.click('[data-test=proof-business-licence-copy]');
    await page.locator('[data-test=proof-preview]', { hasText: '泰安市岱宗商贸有限公司' }).waitFor();
    await page.click('[data-test=proof-print]');
    await page.locator('[data-test=proof-outcome]', { hasText: '已打印 1 份' }).waitFor();
    await page.screenshot({ path: screenshotPath('proofs-printed-portrait.png') });
    // The 营业执照 is central's e-licence PDF as issued (issue 15): its own layout, not the kiosk's proof template.
    const licenceFile = printed().find((name) => !name.includes('-copy-') && name !== proofFile);
    const licenceText = execFileSync('pdftotext', ['-layout', join(printedDir(), licenceFile ?? ''), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(licenceText).toContain('（副本）电子证照打印件');
    expect(licenceText).toContain('泰安市岱宗商贸有限公司');
    expect(licenceText).not.toContain('现将相关信息证明如下');

    // Anyone holding the paper: the QR's URL in a second page.
    const second = await browser.newPage();
    try {
      await second.goto(sealOnPaper?.url ?? '');
      expect(await second.innerText('body')).toContain('真实有效');
      const code = (sealOnPaper?.url ?? '').slice(-16);
      const altered = `${code.slice(0, 15)}${code.at(-1) === 'A' ? 'B' : 'A'}`;
      await second.goto((sealOnPaper?.url ?? '').replace(code, altered));
      expect(await second.innerText('body')).toContain('无此证明');
    } finally {
      await second.close();
    }
  });
});

/** The QR on a printed PDF's first page, decoded from a 200 dpi rendering. */
function jsQrOf(pdfFile: string): string | null {
  const { image } = rasterise(readFileSync(pdfFile), 200);
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  image.pixels.forEach((level, index) => rgba.set([level, level, level, 255], index * 4));
  return jsQR(rgba, image.width, image.height)?.data ?? null;
}
