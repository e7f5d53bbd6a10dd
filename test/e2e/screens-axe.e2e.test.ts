import { describeScreenMatrix } from './support/screen-suite.js';

/**
 * Issue 9: axe-core (through @axe-core/playwright) on every citizen screen in every mode, 高对比度
 * included, at 1080×1920 and 1920×1080, reached by a citizen who only taps: no serious or critical
 * violation of the WCAG 2.x A/AA rules or axe's best practices.
 */
describeScreenMatrix('citizen screens: axe-core', { axe: true });
