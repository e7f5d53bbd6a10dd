/**
 * The citizen tests' eyes inside the page: pure reading of layout, colour and text, never a write to the
 * application's state (no value set, no event dispatched, no bridge call). Loaded into every page of a
 * citizen context as a classic script (support/citizen.ts transpiles this file and adds it as an init
 * script), it publishes one frozen object, `globalThis.__citizenProbe`; the Node side calls it from
 * closure-free arrow functions. Type-checked with the DOM's types by ./tsconfig.json, apart from the
 * Node code.
 *
 * Only the layout check moves anything: to look at a control below the fold it scrolls the control's
 * scroll container there and back, instantly, as a person's eyes would follow a swipe; the screen is left
 * where it was.
 */

/** A rectangle in CSS pixels of the viewport. */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How a person would name an element in a report: tag, data-test, role and the first words it shows. */
function describeElement(element: Element | null): string {
  if (!element) return '(nothing)';
  const test = element.getAttribute('data-test');
  const role = element.getAttribute('role');
  const label = element.getAttribute('aria-label');
  const text = (element instanceof HTMLElement ? element.innerText : element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
  return [
    element.tagName.toLowerCase(),
    test ? `[data-test=${test}]` : '',
    role ? `[role=${role}]` : '',
    label ? `[aria-label=${label}]` : '',
    text ? ` «${text}»` : '',
  ].join('');
}

function boxOf(element: Element): Box {
  const rect = element.getBoundingClientRect();
  return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
}

/** Rendered at all: laid out with a size, not hidden, not fully transparent. */
function isShown(element: Element): boolean {
  if (!(element instanceof HTMLElement || element instanceof SVGElement)) return false;
  const rect = element.getBoundingClientRect();
  if (rect.width < 1 || rect.height < 1) return false;
  const style = getComputedStyle(element);
  if (style.visibility === 'hidden' || style.visibility === 'collapse') return false;
  for (let node: Element | null = element; node; node = node.parentElement) {
    if (Number.parseFloat(getComputedStyle(node).opacity) === 0) return false;
  }
  return true;
}

function isDisabled(element: Element): boolean {
  if ((element as HTMLButtonElement).disabled === true) return true;
  return element.closest('[aria-disabled=true], [inert]') !== null;
}

/** The nearest ancestor that scrolls vertically and has something to scroll, or null. */
function scrollContainerOf(element: Element): HTMLElement | null {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const overflowY = getComputedStyle(node).overflowY;
    const scrolls = overflowY === 'auto' || overflowY === 'scroll' || (node === document.scrollingElement && overflowY !== 'hidden');
    if (scrolls && node.scrollHeight > node.clientHeight + 1) return node;
  }
  return null;
}

/** The part of a scroll container a person sees: its client box, cut by the viewport. */
function visiblePortOf(container: HTMLElement): Box {
  const rect = container.getBoundingClientRect();
  const top = Math.max(0, rect.top + container.clientTop);
  const left = Math.max(0, rect.left + container.clientLeft);
  const bottom = Math.min(innerHeight, rect.top + container.clientTop + container.clientHeight);
  const right = Math.min(innerWidth, rect.left + container.clientLeft + container.clientWidth);
  return { x: left, y: top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

const inside = (inner: Box, outer: Box, slack = 1) =>
  inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.width <= outer.x + outer.width + slack && inner.y + inner.height <= outer.y + outer.height + slack;

const viewport = (): Box => ({ x: 0, y: 0, width: innerWidth, height: innerHeight });

/** Points a fingertip could land on: the centre, and four points a quarter in from the edges. */
function samplePoints(box: Box): Array<[number, number, string]> {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return [
    [cx, cy, 'centre'],
    [box.x + box.width * 0.25, box.y + box.height * 0.25, 'upper left'],
    [box.x + box.width * 0.75, box.y + box.height * 0.25, 'upper right'],
    [box.x + box.width * 0.25, box.y + box.height * 0.75, 'lower left'],
    [box.x + box.width * 0.75, box.y + box.height * 0.75, 'lower right'],
  ];
}

/** What a finger at (x, y) would touch, when it is not `element` or inside it; null when it is. */
function coveredBy(element: Element, x: number, y: number): Element | null {
  const hit = document.elementFromPoint(x, y);
  if (hit && (hit === element || element.contains(hit))) return null;
  return hit;
}

/** Where a tap on `element` would go now, and why it would not reach it. */
interface TapCheck {
  box: Box;
  /** The whole control is inside the viewport. */
  inViewport: boolean;
  /** Its scroll container can bring it into view: where to swipe, and which way. */
  scroll: { port: Box; direction: 'up' | 'down'; distance: number } | null;
  /** Empty when the element under the centre is the control or inside it. */
  coveredBy: string;
  disabled: boolean;
  description: string;
}

function checkTap(element: Element): TapCheck {
  const box = boxOf(element);
  const inViewport = inside(box, viewport());
  const container = scrollContainerOf(element);
  let scroll: TapCheck['scroll'] = null;
  if (container) {
    const port = visiblePortOf(container);
    if (!inside(box, port)) {
      // Content moves up when the finger swipes up: that reveals what is below.
      const below = box.y + box.height - (port.y + port.height);
      const above = port.y - box.y;
      scroll = below > 0 ? { port, direction: 'up', distance: below } : { port, direction: 'down', distance: above };
    }
  }
  const hit = inViewport ? coveredBy(element, box.x + box.width / 2, box.y + box.height / 2) : null;
  return { box, inViewport, scroll, coveredBy: hit ? describeElement(hit) : '', disabled: isDisabled(element), description: describeElement(element) };
}

/**
 * Where a finger can start a swipe that scrolls `element`'s container: a point of the container's visible
 * port that lands on its own content and not on something that takes the touch for itself (a signature
 * or handwriting canvas, touch-action: none), or null.
 */
function swipeStart(element: Element, port: Box): [number, number] | null {
  const container = scrollContainerOf(element);
  if (!container) return null;
  const columns = [0.5, 0.2, 0.8, 0.35, 0.65, 0.08, 0.92];
  const rows = [0.5, 0.35, 0.65, 0.2, 0.8];
  for (const row of rows) {
    for (const column of columns) {
      const x = port.x + port.width * column;
      const y = port.y + port.height * row;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !container.contains(hit)) continue;
      let grabs = false;
      for (let node: Element | null = hit; node && node !== container; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.touchAction === 'none' || style.touchAction === 'pinch-zoom' || node.tagName === 'CANVAS') grabs = true;
      }
      if (!grabs) return [x, y];
    }
  }
  return null;
}

const INTERACTIVE = [
  'button', 'a[href]', 'input:not([type=hidden])', 'select', 'textarea', 'summary', 'canvas',
  '[role=button]', '[role=link]', '[role=radio]', '[role=checkbox]', '[role=switch]', '[role=option]', '[role=tab]',
  '[role=menuitem]', '[role=slider]', '[role=spinbutton]', '[contenteditable=""]', '[contenteditable=true]',
  '[tabindex]:not([tabindex="-1"])', '[data-skbtn]',
].join(',');

/** Every control a person could use that is rendered now (hidden ones aside), outermost ones only. */
function interactiveElements(): Element[] {
  const all = [...document.querySelectorAll(INTERACTIVE)].filter(isShown);
  // A control inside another control (an icon button's inner span with a tabindex) is one target.
  return all.filter((element) => !all.some((other) => other !== element && other.contains(element)));
}

/** One layout defect, said as a person would see it. */
interface LayoutProblem {
  kind: 'clipped' | 'covered' | 'off-screen' | 'horizontal-overflow' | 'overflowing-content' | 'upper-half';
  element: string;
  detail: string;
}

interface LayoutOptions {
  /** 低位操作: every control's top edge must be in the lower half (the status bar aside). */
  lowerHalf: boolean;
  /** Controls in here are not held to the lower-half rule (the status bar). */
  lowerHalfExempt: string;
}

/** Clipped by an ancestor that hides its overflow (not a scroll container), with the clipping ancestor. */
function clippingAncestor(element: Element, box: Box): Element | null {
  for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    const clipsX = style.overflowX !== 'visible';
    const clipsY = style.overflowY !== 'visible';
    if (!clipsX && !clipsY) continue;
    const rect = node.getBoundingClientRect();
    const scrollsY = style.overflowY === 'auto' || style.overflowY === 'scroll';
    const outX = box.x < rect.left - 1 || box.x + box.width > rect.right + 1;
    const outY = box.y < rect.top - 1 || box.y + box.height > rect.bottom + 1;
    if ((clipsX && outX) || (clipsY && outY && !scrollsY)) return node;
  }
  return null;
}

/** Runs `look` with `container` scrolled (instantly) so that `element` is in its port, then puts it back. */
function lookScrolled<T>(container: HTMLElement, element: Element, look: () => T): T {
  const before = container.scrollTop;
  const port = visiblePortOf(container);
  const box = boxOf(element);
  const offset = box.y + box.height > port.y + port.height ? box.y + box.height - (port.y + port.height) : box.y - port.y;
  container.scrollTo({ top: before + offset, behavior: 'instant' });
  try {
    return look();
  } finally {
    container.scrollTo({ top: before, behavior: 'instant' });
  }
}

function coverProblems(element: Element): string[] {
  const box = boxOf(element);
  const problems: string[] = [];
  for (const [x, y, where] of samplePoints(box)) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const hit = coveredBy(element, x, y);
    if (hit) problems.push(`${where} covered by ${describeElement(hit)}`);
  }
  return problems;
}

function layoutProblems(options: LayoutOptions): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const port = viewport();
  const root = document.scrollingElement ?? document.documentElement;
  if (root.scrollWidth > innerWidth + 1) {
    problems.push({ kind: 'horizontal-overflow', element: 'document', detail: `page is ${root.scrollWidth}px wide in a ${innerWidth}px viewport` });
  }
  for (const element of document.body.querySelectorAll('*')) {
    if (!isShown(element)) continue;
    const style = getComputedStyle(element);
    if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && element.scrollWidth > element.clientWidth + 1) {
      problems.push({ kind: 'horizontal-overflow', element: describeElement(element), detail: `scrolls sideways (${element.scrollWidth}px content in ${element.clientWidth}px)` });
    }
  }
  for (const element of interactiveElements()) {
    const description = describeElement(element);
    const box = boxOf(element);
    if (options.lowerHalf && !element.closest(options.lowerHalfExempt)) {
      // Screens open at their top: the highest a control ever sits is where it is with its containers at 0.
      let top = box.y;
      for (let node = element.parentElement; node; node = node.parentElement) top += node.scrollTop;
      if (top < innerHeight / 2 - 1) {
        problems.push({ kind: 'upper-half', element: description, detail: `top edge at y ${Math.round(top)}, above the middle (${innerHeight / 2})` });
      }
    }
    const clipper = clippingAncestor(element, box);
    if (clipper) {
      problems.push({ kind: 'clipped', element: description, detail: `cut off by ${describeElement(clipper)}` });
      continue;
    }
    if (box.x < -1 || box.x + box.width > innerWidth + 1) {
      problems.push({ kind: 'off-screen', element: description, detail: `sideways outside the viewport (x ${Math.round(box.x)}…${Math.round(box.x + box.width)})` });
      continue;
    }
    const tag = element.tagName;
    if (tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'CANVAS' && tag !== 'SELECT') {
      const overflowX = element.scrollWidth - element.clientWidth;
      const overflowY = element.scrollHeight - element.clientHeight;
      if (element.clientWidth > 0 && (overflowX > 2 || overflowY > 2) && getComputedStyle(element).overflow !== 'visible') {
        problems.push({ kind: 'overflowing-content', element: description, detail: `its content is ${element.scrollWidth}×${element.scrollHeight} in a ${element.clientWidth}×${element.clientHeight} box` });
      }
    }
    // What a person sees of a control in a scroll area is what the area shows (its port, cut by the
    // viewport): a control scrolled past the area's edge is not covered by what lies beyond that edge
    // (the scroll cue, the voice bar); it is below the fold, and is judged where a swipe brings it.
    const container = scrollContainerOf(element);
    const seen = container ? visiblePortOf(container) : port;
    if (inside(box, seen)) {
      for (const detail of coverProblems(element)) problems.push({ kind: 'covered', element: description, detail });
      continue;
    }
    if (!container || box.height > seen.height + 1) {
      problems.push({ kind: 'off-screen', element: description, detail: `at y ${Math.round(box.y)}…${Math.round(box.y + box.height)} of ${innerHeight}, and no scroll brings it into view` });
      continue;
    }
    const covered = lookScrolled(container, element, () => {
      const scrolled = boxOf(element);
      return inside(scrolled, visiblePortOf(container)) ? coverProblems(element) : [`still outside the viewport when its container is scrolled to it (y ${Math.round(scrolled.y)})`];
    });
    for (const detail of covered) problems.push({ kind: 'covered', element: description, detail: `after scrolling to it: ${detail}` });
  }
  return problems;
}

/** Colours as sRGB bytes with alpha 0…1, read back from a canvas (handles every CSS colour syntax). */
const colourCanvas = document.createElement('canvas');
colourCanvas.width = 1;
colourCanvas.height = 1;
const colourContext = colourCanvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
type Rgba = [number, number, number, number];
function parseColour(css: string): Rgba {
  colourContext.clearRect(0, 0, 1, 1);
  colourContext.fillStyle = '#000';
  colourContext.fillStyle = css;
  colourContext.fillRect(0, 0, 1, 1);
  const [r = 0, g = 0, b = 0, a = 0] = colourContext.getImageData(0, 0, 1, 1).data;
  if (a === 0) return [0, 0, 0, 0];
  // getImageData un-premultiplies; the stored bytes are exact for opaque colours and close enough otherwise.
  return [r, g, b, a / 255];
}

/** `top` painted over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const alpha = top[3];
  return [top[0] * alpha + bottom[0] * (1 - alpha), top[1] * alpha + bottom[1] * (1 - alpha), top[2] * alpha + bottom[2] * (1 - alpha), 1];
}

/** Relative luminance, WCAG 2.x (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance). */
function luminance([r, g, b]: Rgba): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Contrast ratio, WCAG 2.x (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio): 1…21. */
function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The colour behind an element's text: its own background and its ancestors', composited from the
 * nearest opaque one down (the page's canvas is white). A background image makes it unknowable: said so.
 */
function backgroundBehind(element: Element): { colour: Rgba; image: string | null } {
  const layers: Rgba[] = [];
  let image: string | null = null;
  for (let node: Element | null = element; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.backgroundImage !== 'none' && !image) image = `${describeElement(node)} has background-image ${style.backgroundImage.slice(0, 60)}`;
    const colour = parseColour(style.backgroundColor);
    if (colour[3] > 0) layers.push(colour);
    if (colour[3] >= 1) break;
  }
  let colour: Rgba = [255, 255, 255, 1];
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return { colour, image };
}

function opacityChain(element: Element): number {
  let opacity = 1;
  for (let node: Element | null = element; node; node = node.parentElement) opacity *= Number.parseFloat(getComputedStyle(node).opacity);
  return opacity;
}

interface ContrastFinding {
  text: string;
  element: string;
  ratio: number;
  foreground: string;
  background: string;
  note: string;
}

/** Every piece of text a person can see: text nodes, field values and placeholders, with their element. */
function visibleTexts(): Array<{ text: string; element: Element; pseudo: '' | '::placeholder' }> {
  const found: Array<{ text: string; element: Element; pseudo: '' | '::placeholder' }> = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.nodeValue ?? '').trim();
    const parent = node.parentElement;
    if (!text || !parent || !isShown(parent)) continue;
    if (parent.closest('script, style, noscript, [aria-hidden=true] svg')) continue;
    found.push({ text, element: parent, pseudo: '' });
  }
  for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    if (!isShown(field) || field.type === 'checkbox' || field.type === 'radio') continue;
    if (field.value) found.push({ text: field.value, element: field, pseudo: '' });
    else if (field.placeholder) found.push({ text: field.placeholder, element: field, pseudo: '::placeholder' });
  }
  return found;
}

/** Text contrast of every visible text, worst first, with what was measured (computed styles only). */
function textContrast(): ContrastFinding[] {
  const findings: ContrastFinding[] = [];
  for (const { text, element, pseudo } of visibleTexts()) {
    const style = getComputedStyle(element, pseudo || null);
    const foreground = parseColour(style.color);
    const { colour: background, image } = backgroundBehind(element);
    const faded: Rgba = [foreground[0], foreground[1], foreground[2], foreground[3] * opacityChain(element)];
    const ratio = contrastRatio(over(faded, background), background);
    findings.push({
      text: text.slice(0, 30),
      element: describeElement(element),
      ratio: Math.round(ratio * 100) / 100,
      foreground: style.color,
      background: `rgb(${background.slice(0, 3).map(Math.round).join(', ')})`,
      note: image ?? '',
    });
  }
  return findings.sort((a, b) => a.ratio - b.ratio);
}

/** Every character shown on screen now (text, field values, placeholders, CSS generated content). */
function renderedCharacters(): string {
  const parts = visibleTexts().map((entry) => entry.text);
  for (const element of document.body.querySelectorAll('*')) {
    if (!isShown(element)) continue;
    for (const pseudo of ['::before', '::after']) {
      const content = getComputedStyle(element, pseudo).content;
      if (content.startsWith('"')) parts.push(content.slice(1, -1));
    }
  }
  return [...new Set([...parts.join('')])].join('');
}

/** Every visible string in the document, hidden or not, and every field value: to search for personal data. */
function allTextAndValues(): string {
  const values = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].map((field) => field.value);
  return [document.body.textContent ?? '', ...values].join('\n');
}

/** The data-test name of the screen on display (App.vue's main[data-screen]) and its h1. */
function screenState(): { screen: string; heading: string; scrollTops: number[]; focused: string } {
  const main = document.querySelector('main');
  const scrollers = [document.scrollingElement, ...document.querySelectorAll('main, main *')].filter(
    (node): node is Element => node !== null && node.scrollHeight > node.clientHeight + 1 && ['auto', 'scroll'].includes(getComputedStyle(node).overflowY),
  );
  return {
    screen: main?.getAttribute('data-screen') ?? '',
    heading: (document.querySelector('main h1') as HTMLElement | null)?.innerText.trim() ?? '',
    scrollTops: scrollers.map((node) => node.scrollTop),
    focused: describeElement(document.activeElement),
  };
}

/**
 * The speech service's record of each engine call (issue 9: "engine calls recorded in the test"): the
 * renderer dispatches a `kiosk:voice` window event per prompt said or failed (renderer use-voice.ts),
 * kept here with the screen on display when it came.
 */
interface VoiceRecord {
  text: string;
  engine: string;
  outcome: string;
  screen: string;
  at: number;
}
const voiceRecords: VoiceRecord[] = [];
addEventListener('kiosk:voice', (event) => {
  const detail = (event as CustomEvent<{ text?: unknown; engine?: unknown; outcome?: unknown }>).detail ?? {};
  voiceRecords.push({
    text: String(detail.text ?? ''),
    engine: String(detail.engine ?? ''),
    outcome: String(detail.outcome ?? ''),
    screen: document.querySelector('main')?.getAttribute('data-screen') ?? '',
    at: performance.now(),
  });
  if (voiceRecords.length > 500) voiceRecords.shift();
});

/** Engine calls recorded since `since` (performance.now() in the page). */
function voiceLog(since: number): VoiceRecord[] {
  return voiceRecords.filter((record) => record.at >= since);
}

/** Resolves after the next two frames: the app has answered a tap (Vue's update, then a paint). */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/** What a field shows: an input's value, or the text of a field drawn as buttons. */
function fieldValue(element: Element): string {
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) return element.value.trim();
  return element instanceof HTMLElement ? element.innerText.trim() : (element.textContent ?? '').trim();
}

/** The page's clock, to mark "from now on" for voiceLog. */
function now(): number {
  return performance.now();
}

/** The web fonts the document has loaded (family and source URLs from the CSSOM), to read their cmaps. */
function loadedFontSources(): Array<{ family: string; urls: string[] }> {
  const faces: Array<{ family: string; urls: string[] }> = [];
  for (const sheet of document.styleSheets) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue;
    }
    for (const rule of rules) {
      if (!(rule instanceof CSSFontFaceRule)) continue;
      const family = rule.style.getPropertyValue('font-family').replace(/["']/g, '').trim();
      const urls = [...rule.style.getPropertyValue('src').matchAll(/url\(["']?([^"')]+)["']?\)/g)].map((match) => new URL(match[1] ?? '', sheet.href ?? location.href).href);
      faces.push({ family, urls });
    }
  }
  return faces;
}

Object.defineProperty(globalThis, '__citizenProbe', {
  value: Object.freeze({
    checkTap, swipeStart, scrollContainerOf, visiblePortOf, describeElement, isShown, layoutProblems, textContrast, renderedCharacters,
    allTextAndValues, screenState, voiceLog, now, nextFrame, fieldValue, loadedFontSources,
  }),
  enumerable: false,
});
