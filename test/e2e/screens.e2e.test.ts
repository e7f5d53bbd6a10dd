import { describeScreenMatrix } from './support/screen-suite.js';

/**
 * Issue 9, screen-wide: every citizen screen (home, browse, search, guide, identity, situation, the form
 * with each panel open, materials with the signature pad, review, result, rating with 不满意, thanks,
 * 办件查询 with its answers, the 结束办理 question) in every mode (normal, 长辈, 低位, 高对比度, all three)
 * at 1080×1920 and 1920×1080, reached by a citizen who only taps. On each: no control clipped, covered
 * (elementFromPoint) or off-screen unless a swipe brings it into view, no sideways overflow; in 低位操作
 * every control's top edge in the lower half (status bar aside); in 高对比度 every text ≥ 7:1 (WCAG 2.x
 * luminance from computed colours); axe-core (through @axe-core/playwright) finds no serious or critical
 * violation of the WCAG 2.x A/AA rules or its best practices; a screen opens at its top with focus on its h1
 * and speaks its prompt, and an error shown is spoken; every character shown is in the bundled font.
 * Screenshots of each screen in each mode go to test/artifacts/screens/.
 *
 * One walk with every check: in CI each screen is looked at in three mode sets (normal, one single mode in
 * turn, all three) and axe-core runs on one of them in turn (a different one in each orientation); a
 * second walk only for axe cost ~7 of CI's 30 minutes. `npm run test:e2e:citizen-full` looks at all five
 * mode sets on every screen with every check, axe included.
 */
describeScreenMatrix('citizen screens: layout, contrast, axe-core, voice, glyphs', { layout: true, contrast: true, axe: 'one-set-per-screen', arrival: true, glyphs: true, screenshots: true });
