import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { launchChromium, screenshotPath } from './support/browser.js';
import { IME_HARNESS_DIR, assertHarnessBuilt, candidateTexts, drawOnPad, fieldValue, hanziMedians, openHarness, tap, tapCandidate, tapKey, typeLetters, waitForComposition, waitForText } from './support/ime-harness.js';

/**
 * The pinyin and handwriting panels in real Chromium, against the real host (Rime lexicon, Zinnia),
 * at the two kiosk sizes: the citizen taps keys and candidates and draws strokes, and the field's
 * text is what they chose.
 */
const VIEWPORTS = [
  { name: 'portrait', width: 1080, height: 1920 },
  { name: 'landscape', width: 1920, height: 1080 },
] as const;

describe('input panels', () => {
  let stack: DemoStack;
  let browser: Browser;

  beforeAll(async () => {
    assertHarnessBuilt();
    stack = await startDemoStack({ rendererDir: IME_HARNESS_DIR });
    browser = await launchChromium({ camera: 'none' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function page(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    return context.newPage();
  }

  for (const viewport of VIEWPORTS) {
    describe(`${viewport.name} ${viewport.width}×${viewport.height}`, () => {
      it('types a name by pinyin candidates: wangxiuying → 王秀英', async () => {
        const tab = await page(viewport);
        await openHarness(tab, stack, { panel: 'pinyin', label: '新生儿姓名' });
        expect(await tab.textContent('[data-test=pinyin-panel]')).toContain('正在填写：新生儿姓名');
        await typeLetters(tab, 'wangxiuying');
        await waitForComposition(tab, "wang'xiu'ying");
        await tapCandidate(tab, '王秀英');
        expect(await fieldValue(tab)).toBe('王秀英');
        expect(await tab.textContent('[data-test=composition]')).toBe('');
        await tab.screenshot({ path: screenshotPath(`ime-pinyin-${viewport.name}.png`) });
        await tab.context().close();
      });

      it('types an address in parts, going on with the letters a candidate leaves, and digits', async () => {
        const tab = await page(viewport);
        await openHarness(tab, stack, { panel: 'pinyin', label: '住址' });
        await typeLetters(tab, 'taishanqudaizongdajie');
        await tapCandidate(tab, '泰山区');
        expect(await fieldValue(tab)).toBe('泰山区');
        await waitForComposition(tab, "dai'zong'da'jie");
        await tapCandidate(tab, '岱宗大街');
        await tapKey(tab, '2');
        await tapKey(tab, '6');
        expect(await fieldValue(tab)).toBe('泰山区岱宗大街26');
        await tab.context().close();
      });

      it('deletes typed letters first, then the text; 清空 empties both', async () => {
        const tab = await page(viewport);
        await openHarness(tab, stack, { panel: 'pinyin' });
        await typeLetters(tab, 'lijun');
        await tapCandidate(tab, '李军');
        await typeLetters(tab, 'zh');
        await tapKey(tab, '{bksp}');
        await waitForComposition(tab, 'z');
        await tapKey(tab, '{bksp}');
        await tapKey(tab, '{bksp}');
        expect(await fieldValue(tab)).toBe('李');
        await typeLetters(tab, 'a');
        await tapKey(tab, '{clear}');
        expect(await fieldValue(tab)).toBe('');
        expect(await tab.textContent('[data-test=composition]')).toBe('');
        await tab.context().close();
      });

      it('pages candidates with 下一页 and 上一页', async () => {
        const tab = await page(viewport);
        await openHarness(tab, stack, { panel: 'pinyin' });
        await typeLetters(tab, 'shi');
        await tab.waitForSelector('[data-test=candidate]');
        const first = await candidateTexts(tab);
        await tap(tab, '[data-test=candidates-next]');
        await waitForText(tab, '[data-test=candidate]', 'not-equals', first[0] ?? '');
        const second = await candidateTexts(tab);
        expect(second.some((text) => first.includes(text))).toBe(false);
        await tap(tab, '[data-test=candidates-previous]');
        await waitForText(tab, '[data-test=candidate]', 'equals', first[0] ?? '');
        await tab.context().close();
      });

      it('refuses a candidate that would pass the field bound and says so', async () => {
        const tab = await page(viewport);
        await openHarness(tab, stack, { panel: 'pinyin', max: 2 });
        await typeLetters(tab, 'wangxiuying');
        await tapCandidate(tab, '王秀英');
        expect(await fieldValue(tab)).toBe('');
        expect(await tab.textContent('[data-test=ime-notice]')).toContain('最多填写 2 个字');
        await tab.context().close();
      });

      it('writes characters by hand from real stroke data, then switches back to pinyin', async () => {
        const tab = await page(viewport);
        await openHarness(tab, stack, { panel: 'pinyin', label: '申请人姓名' });
        await tapKey(tab, '{handwriting}');
        await tab.waitForSelector('[data-test=handwriting-pad]');
        const box = await (await tab.$('[data-test=handwriting-pad]'))?.boundingBox();
        expect(box?.width).toBeGreaterThanOrEqual(480);
        expect(box?.height).toBeGreaterThanOrEqual(480);
        for (const character of ['李', '泰']) {
          await drawOnPad(tab, hanziMedians(character) ?? []);
          await tapCandidate(tab, character);
        }
        expect(await fieldValue(tab)).toBe('李泰');
        // The pad is empty again after a choice.
        expect(await tab.$$('[data-test=candidate]')).toHaveLength(0);
        // The panel keeps its size when candidates arrive: the pad does not move under the finger.
        const panelBefore = await (await tab.$('[data-test=handwriting-panel]'))?.boundingBox();
        await drawOnPad(tab, hanziMedians('王') ?? []);
        await tab.waitForSelector('[data-test=candidate]');
        expect(await (await tab.$('[data-test=handwriting-pad]'))?.boundingBox()).toEqual(box);
        expect(await (await tab.$('[data-test=handwriting-panel]'))?.boundingBox()).toEqual(panelBefore);
        // A page of six; 下一页 shows the next six, 上一页 the first again.
        const firstPage = await candidateTexts(tab);
        expect(firstPage).toHaveLength(6);
        expect(await tab.isDisabled('[data-test=candidates-previous]')).toBe(true);
        await tap(tab, '[data-test=candidates-next]');
        const secondPage = await candidateTexts(tab);
        expect(secondPage.length).toBeGreaterThan(0);
        expect(secondPage.filter((text) => firstPage.includes(text))).toEqual([]);
        await tap(tab, '[data-test=candidates-previous]');
        expect(await candidateTexts(tab)).toEqual(firstPage);
        await tab.screenshot({ path: screenshotPath(`ime-handwriting-${viewport.name}.png`) });
        await tap(tab, '[data-test=handwriting-rewrite]');
        expect(await tab.$$('[data-test=candidate]')).toHaveLength(0);
        await tap(tab, '[data-test=handwriting-backspace]');
        expect(await fieldValue(tab)).toBe('李');
        await tap(tab, '[data-test=switch-pinyin]');
        await tab.waitForSelector('[data-test=pinyin-panel]');
        await tap(tab, '[data-test=pinyin-panel] .hg-button[data-skbtn="{done}"]');
        expect(await tab.textContent('[data-test=harness-done]')).toBe('1');
        await tab.context().close();
      });

      it('keeps every key and control at least 88 px, inside the screen and untouched by others, in 长辈模式 with 高对比度', async () => {
        const tab = await page(viewport);
        for (const panel of ['pinyin', 'handwriting'] as const) {
          await openHarness(tab, stack, { panel, elder: true, contrast: true });
          if (panel === 'pinyin') await typeLetters(tab, 'zhang');
          const problems = await tab.$$eval('[data-test$=panel] button', (buttons) =>
            buttons.flatMap((button) => {
              const box = button.getBoundingClientRect();
              const x = box.left + box.width / 2;
              const y = box.top + box.height / 2;
              const top = button.ownerDocument.elementFromPoint(x, y);
              const view = button.ownerDocument.documentElement;
              const label = button.textContent?.trim() ?? '';
              const issues: string[] = [];
              if (box.width < 88 || box.height < 88) issues.push(`${label} ${Math.round(box.width)}×${Math.round(box.height)}`);
              if (box.left < 0 || box.top < 0 || box.right > view.clientWidth || box.bottom > view.clientHeight) issues.push(`${label} off screen`);
              if (!top || !(top === button || button.contains(top))) issues.push(`${label} covered`);
              return issues;
            }),
          );
          expect(problems).toEqual([]);
          expect(await tab.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
          await tab.screenshot({ path: screenshotPath(`ime-${panel}-${viewport.name}-elder-contrast.png`) });
        }
        await tab.context().close();
      });
    });
  }
});
