import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { panelFor, type InputKind, type PanelName } from '../composables/input-kinds.js';

/** What a field tells the panel service when it is tapped or focused. */
export interface PanelRequest {
  /** The DOM id of the field: the panel scrolls it into view above itself and never covers it. */
  fieldId: string;
  kind: InputKind;
  /** The field's label, shown at the top of the panel (正在填写：新生儿姓名). */
  label: string;
  maxLength?: number;
  /** For dates: the first and last day the field accepts (YYYY-MM-DD). */
  range?: { min: string; max: string };
  /** The field's current text. */
  read: () => string;
  /** Writes the panel's text back to the field's model. */
  write: (value: string) => void;
  /** 完成 moves on to the next empty field of the screen (forms), rather than only closing. */
  advance: boolean;
  /** Called when the citizen taps 完成 on this field (e.g. 办件查询 looks the number up). */
  onDone?: () => void;
}

/**
 * The one input panel of the kiosk (TheInputPanel mounted once in App.vue): which field it serves and
 * which panel is open. Holds no personal data of its own: the text lives in the field's model.
 */
export const useInputPanelStore = defineStore('input-panel', () => {
  /** The field being filled, or null when the panel is closed. */
  const request = shallowRef<PanelRequest | null>(null);
  /** The panel on screen: the kind's panel, or the other Chinese panel after 手写 / 拼音. */
  const panel = ref<PanelName | null>(null);
  /** Bumped on every open, so the panel host scrolls the field into view again. */
  const opened = ref(0);

  const isOpen = computed(() => request.value !== null && panel.value !== null);

  /** Opens the kind's panel for a field; for kinds without a panel it closes whatever was open. */
  function open(next: PanelRequest): void {
    const chosen = panelFor(next.kind);
    if (chosen === null) {
      close();
      return;
    }
    const sameField = request.value?.fieldId === next.fieldId;
    request.value = next;
    // Reopening the same Chinese field keeps the citizen's choice of handwriting.
    if (!(sameField && (panel.value === 'pinyin' || panel.value === 'handwriting') && chosen === 'pinyin')) panel.value = chosen;
    opened.value++;
  }

  /** 手写 ⇄ 拼音 inside a Chinese field (and from the search's letters to them); other pads stay as they are. */
  function switchTo(to: 'pinyin' | 'handwriting'): void {
    if (request.value?.kind === 'chinese' || request.value?.kind === 'initials') panel.value = to;
  }

  function close(): void {
    request.value = null;
    panel.value = null;
  }

  return { request, panel, opened, isOpen, open, switchTo, close };
});
