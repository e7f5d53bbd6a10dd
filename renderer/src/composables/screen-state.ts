import type { Service } from '../../../contract/catalog.js';
import type { FieldValue } from '../../../contract/domain.js';
import type { ScreenState } from '../../../contract/video-call.js';

/**
 * The kiosk's screen as structure for 远程视频帮办 (contract/video-call.ts ScreenState): which screen,
 * service and step, which fields are filled, and the controls on screen by stable id. Values travel
 * only when the citizen allowed it; otherwise a control whose label shows something the citizen typed
 * or their identity is sent with its label hidden.
 */
export interface ScreenFacts {
  screen: string;
  service: Service | null;
  /** The flow's steps and the current one's index in them (-1 outside the flow), with labels. */
  steps: { names: string[]; labels: Partial<Record<string, string>> };
  /** Fields shown for this application, in order. */
  fields: Array<{ id: string; label: string }>;
  form: Record<string, FieldValue>;
  valuesShared: boolean;
  /** The citizen's name and ID number (never sent; labels holding them are hidden). */
  personal: string[];
}

/** Labels holding personal text, when values are not shared, read this way. */
const HIDDEN_LABEL = '（内容已隐藏）';
/** Controls carry a stable id in one of these attributes. */
const CONTROL_SELECTOR = '[data-help-id], button[data-test], a[data-test], input[data-test], [role="button"][data-test], [role="radio"][data-test], [role="checkbox"][data-test]';

/** What the builder reads of a DOM element (an HTMLElement is one); kept structural so Node tests can run it. */
export interface ControlElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
  getBoundingClientRect(): { width: number; height: number };
  closest(selector: string): unknown;
}

/** Where the controls are looked for (a DOM element or document). */
export interface ControlRoot {
  querySelectorAll(selector: string): Iterable<ControlElement>;
}

/** The stable id staff use for a control: `data-help-id`, else `data-test`. */
function controlIdOf(element: ControlElement): string | null {
  return element.getAttribute('data-help-id') ?? element.getAttribute('data-test');
}

function valueText(value: FieldValue | undefined): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '';
  return Array.isArray(value) ? value.join('、') : String(value);
}

/** Builds the screen state from the stores' facts and the visible controls under `root`. */
export function buildScreenState(facts: ScreenFacts, root: ControlRoot, title: string): ScreenState {
  const secrets = facts.valuesShared ? [] : [...facts.personal, ...Object.values(facts.form).map(valueText)].filter((text) => text.length >= 2);
  const shown = (label: string) => (secrets.some((secret) => label.includes(secret)) ? HIDDEN_LABEL : label);
  const stepIndex = facts.steps.names.indexOf(facts.screen);
  const controls: ScreenState['controls'] = [];
  const seen = new Set<string>();
  for (const element of root.querySelectorAll(CONTROL_SELECTOR)) {
    const id = controlIdOf(element);
    if (!id || seen.has(id) || !/^[A-Za-z0-9_.:-]{1,80}$/.test(id) || element.closest('[data-video-call]')) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    seen.add(id);
    const label = (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
    controls.push({ id, label: shown(label) || id });
    if (controls.length >= 120) break;
  }
  return {
    screen: facts.screen,
    title: shown(title.replace(/\s+/g, ' ').trim()).slice(0, 80),
    service: facts.service ? { id: facts.service.id, name: facts.service.name.slice(0, 100) } : null,
    step: stepIndex >= 0 ? { index: stepIndex + 1, total: facts.steps.names.length, label: (facts.steps.labels[facts.screen] ?? '').slice(0, 20) } : null,
    fields: facts.screen === 'form' || facts.screen === 'review'
      ? facts.fields.slice(0, 80).map((field) => {
          const value = valueText(facts.form[field.id]);
          return { id: field.id.slice(0, 80), label: field.label.slice(0, 60), filled: value !== '', ...(facts.valuesShared && value !== '' ? { value: value.slice(0, 200) } : {}) };
        })
      : [],
    controls,
    valuesShared: facts.valuesShared,
  };
}
