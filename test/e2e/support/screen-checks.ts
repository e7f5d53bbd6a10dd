import type { Page } from 'playwright-core';

/**
 * Checks of what is on screen, computed in the page from the DOM's own layout and computed styles (the
 * scripts are strings: this file is type-checked for Node, without the DOM's types).
 *
 * Interactive elements: buttons, links, inputs, selects, textareas, ARIA buttons/radios/checkboxes,
 * anything focusable by tab, and the signature pad; only those rendered (non-zero box, not hidden).
 */
const INTERACTIVE = `button, a[href], input, select, textarea, [role=button], [role=radio], [role=checkbox], [tabindex]:not([tabindex="-1"]), canvas[data-test=signature-pad]`;

const HELPERS = `
  const interactive = () => [...document.querySelectorAll(${JSON.stringify(INTERACTIVE)})].filter((element) => {
    const rect = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden' && !element.closest('[data-test=status-bar]');
  });
  const describe = (element) => {
    const test = element.getAttribute('data-test');
    return element.tagName.toLowerCase() + (test ? '[data-test=' + test + ']' : '') + ' "' + (element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 20) + '"';
  };
  /** The visible part of the element's nearest scrolling ancestor (the viewport if none). */
  const visibleArea = (element) => {
    let area = { top: 0, left: 0, bottom: innerHeight, right: innerWidth };
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (/(auto|scroll|hidden)/.test(style.overflowY + style.overflowX)) {
        const rect = parent.getBoundingClientRect();
        area = { top: Math.max(area.top, rect.top), left: Math.max(area.left, rect.left), bottom: Math.min(area.bottom, rect.bottom), right: Math.min(area.right, rect.right) };
      }
    }
    return area;
  };
`;

/** Controls whose top edge is above the middle of the viewport (低位操作 puts every one below it). */
export function controlsInUpperHalf(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    ${HELPERS}
    return interactive().filter((element) => element.getBoundingClientRect().top < innerHeight / 2 - 0.5).map((element) => describe(element) + ' top=' + Math.round(element.getBoundingClientRect().top));
  })()`);
}

/**
 * Controls that are in view (their centre inside the viewport and inside their scroll container's visible
 * part) but are not what a tap at their centre would hit: something covers them.
 */
export function coveredControls(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    ${HELPERS}
    const covered = [];
    for (const element of interactive()) {
      const rect = element.getBoundingClientRect();
      const x = rect.left + rect.width / 2;
      const y = rect.top + rect.height / 2;
      const area = visibleArea(element);
      if (x < area.left || x >= area.right || y < area.top || y >= area.bottom) continue;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(hit === element || element.contains(hit))) covered.push(describe(element) + ' under ' + (hit ? describe(hit) : 'nothing'));
    }
    return covered;
  })()`);
}

/** Controls partly outside the viewport horizontally, and whether the page scrolls sideways. */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    ${HELPERS}
    const problems = interactive().filter((element) => { const rect = element.getBoundingClientRect(); return rect.left < -0.5 || rect.right > innerWidth + 0.5; }).map(describe);
    if (document.documentElement.scrollWidth > innerWidth + 1) problems.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
    return problems;
  })()`);
}

/**
 * Every rendered text (text nodes and input values) whose contrast with the background behind it is under
 * `minimum`, per WCAG 2.x relative luminance; backgrounds are found by walking up the ancestors and
 * compositing translucent ones, and the element's opacity (with its ancestors') fades the text.
 */
export function lowContrastTexts(page: Page, minimum: number): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const parse = (value) => {
      const match = /rgba?\\(([^)]+)\\)/.exec(value);
      if (!match) return [0, 0, 0, 0];
      const parts = match[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
      return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    };
    const over = (top, bottom) => {
      const alpha = top[3] + bottom[3] * (1 - top[3]);
      if (alpha === 0) return [0, 0, 0, 0];
      return [0, 1, 2].map((i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / alpha).concat(alpha);
    };
    const background = (element) => {
      const layers = [];
      for (let node = element; node; node = node.parentElement) layers.push(parse(getComputedStyle(node).backgroundColor));
      let colour = [255, 255, 255, 1];
      for (const layer of layers.reverse()) colour = over(layer, colour);
      return colour;
    };
    const opacity = (element) => {
      let value = 1;
      for (let node = element; node; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
      return value;
    };
    const luminance = ([r, g, b]) => {
      const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const ratio = (a, b) => { const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x); return (light + 0.05) / (dark + 0.05); };
    const seen = new Set();
    const problems = [];
    const check = (element, text) => {
      const rect = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden') return;
      const back = background(element);
      const fore = parse(style.color);
      const shown = over([fore[0], fore[1], fore[2], fore[3] * opacity(element)], back);
      const value = ratio(shown, back);
      if (value < ${minimum}) problems.push(text.trim().slice(0, 24) + ' ' + value.toFixed(2) + ':1 (' + style.color + ' on ' + back.slice(0, 3).map(Math.round).join(',') + ')');
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || !node.textContent.trim() || seen.has(element) || element.closest('svg, script, style')) continue;
      seen.add(element);
      check(element, node.textContent);
    }
    for (const input of document.querySelectorAll('input, textarea')) if (input.value) check(input, input.value);
    return problems;
  })()`);
}

/** Where the screen is scrolled to (the main area and the page) and what has the focus. */
export function screenOpening(page: Page): Promise<{ mainScroll: number; pageScroll: number; focused: string; heading: string }> {
  return page.evaluate<{ mainScroll: number; pageScroll: number; focused: string; heading: string }>(`(() => {
    const main = document.querySelector('main');
    const focused = document.activeElement;
    const inMain = focused && main && main.contains(focused);
    return {
      mainScroll: main ? main.scrollTop : -1,
      pageScroll: document.scrollingElement ? document.scrollingElement.scrollTop : 0,
      focused: focused ? (inMain ? 'main ' : '') + focused.tagName.toLowerCase() : 'none',
      heading: (main && main.querySelector('h1') ? main.querySelector('h1').textContent : '').trim(),
    };
  })()`);
}
