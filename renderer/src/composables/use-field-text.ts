import { ref } from 'vue';

/**
 * What both input panels do to the field's text: append a choice unless it would pass the field's
 * bound (then say so in plain Chinese), and delete the last character (by code point, so a character
 * outside the BMP goes whole).
 */
export function useFieldText(field: { modelValue: string; maxLength?: number | undefined }, update: (value: string) => void, retry: string) {
  /** Shown when a choice would make the text longer than the field allows. */
  const notice = ref<string | null>(null);
  return {
    notice,
    append(text: string): boolean {
      if (field.maxLength !== undefined && [...field.modelValue].length + [...text].length > field.maxLength) {
        notice.value = `这一项最多填写 ${field.maxLength} 个字，请先退格${retry}`;
        return false;
      }
      notice.value = null;
      update(field.modelValue + text);
      return true;
    },
    deleteLast(): void {
      notice.value = null;
      update([...field.modelValue].slice(0, -1).join(''));
    },
  };
}
