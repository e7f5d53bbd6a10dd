import type { Component } from 'vue';
import TextPanelUnavailable from './TextPanelUnavailable.vue';

/**
 * The two Chinese panels (PinyinPanel.vue, HandwritingPanel.vue in this folder), built on the engines of
 * the `ime` work to the common panel interface (modelValue / maxLength / label in; update:modelValue,
 * done, switch out). They are looked up rather than imported so the service builds while those files are
 * being written in parallel; a kiosk built without them says in its panel that Chinese input needs
 * staff, instead of offering a keyboard that cannot write Chinese. Replace the look-up with two plain
 * imports once both files are in the tree.
 */
const found = import.meta.glob<{ default: Component }>(['./PinyinPanel.vue', './HandwritingPanel.vue'], { eager: true });

export const textPanels: Record<'pinyin' | 'handwriting', Component> = {
  pinyin: found['./PinyinPanel.vue']?.default ?? TextPanelUnavailable,
  handwriting: found['./HandwritingPanel.vue']?.default ?? TextPanelUnavailable,
};

/** Whether Chinese can be written on this build (both panels present). */
export const chineseInputAvailable = found['./PinyinPanel.vue'] !== undefined && found['./HandwritingPanel.vue'] !== undefined;
