import type { Component } from 'vue';
import HandwritingPanel from './HandwritingPanel.vue';
import PinyinPanel from './PinyinPanel.vue';

/**
 * The two Chinese panels, built on the host's input engines (README "Input engines") to the common
 * panel interface (modelValue / maxLength / label in; update:modelValue, done, switch out).
 */
export const textPanels: Record<'pinyin' | 'handwriting', Component> = {
  pinyin: PinyinPanel,
  handwriting: HandwritingPanel,
};
