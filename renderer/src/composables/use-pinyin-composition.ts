import { ref, type Ref } from 'vue';
import type { PinyinCandidate, PinyinCandidates } from '../../../contract/ime.js';
import { PINYIN_INPUT_MAX } from '../../../contract/ime.js';
import type { Result } from '../../../contract/result.js';

/** How soon a request answered `ime-loading` (the host is still building the lexicon) is asked again. */
const LOADING_RETRY_MS = 1_500;

/** How the composition asks the host: `kiosk().imePinyinCandidates` in the panel, a script in tests. */
export type AskCandidates = (request: { input: string; offset: number; limit: number }) => Promise<Result<PinyinCandidates>>;

/**
 * The pinyin panel's composition: the letters typed but not yet turned into characters, the host's
 * candidates for them, and paging. Every keystroke asks the host at once (no debounce: a citizen
 * would see it as lag); an answer that arrives after a later keystroke's request is dropped, so the
 * candidates always belong to the letters on screen.
 */
export function usePinyinComposition(pageSize: Ref<number>, ask: AskCandidates) {
  /** Letters typed, with `'` where the citizen forced a syllable break. */
  const composition = ref('');
  /** The host's segmentation of `composition` (zhang'wei), shown above the candidates. */
  const syllables = ref('');
  /** Candidates of the current page. */
  const candidates = ref<PinyinCandidate[]>([]);
  /** First candidate of the current page, and how many there are. */
  const offset = ref(0);
  const total = ref(0);
  /** Plain Chinese from the host when it cannot offer candidates (lexicon missing or loading). */
  const problem = ref<string | null>(null);
  /** The input whose answer is on screen (the panel exposes it for tests and the benchmark). */
  const answered = ref('');
  let latest = 0;

  async function refresh(): Promise<void> {
    const request = ++latest;
    const input = composition.value;
    if (input.replace(/'/g, '') === '') {
      candidates.value = [];
      syllables.value = input;
      total.value = 0;
      answered.value = input;
      return;
    }
    let answer: Result<PinyinCandidates>;
    try {
      answer = await ask({ input, offset: offset.value, limit: pageSize.value });
    } catch {
      answer = { ok: false, error: { code: 'bridge', message: '终端正在重新连接，请稍后再试' } };
    }
    if (request !== latest) return; // a later keystroke asked since: its answer wins
    answered.value = input;
    if (!answer.ok) {
      problem.value = answer.error.message;
      candidates.value = [];
      total.value = 0;
      // Still preparing (a first start builds the lexicon): ask again by itself, the citizen need not retype.
      if (answer.error.code === 'ime-loading') setTimeout(() => void (request === latest && refresh()), LOADING_RETRY_MS);
      return;
    }
    problem.value = null;
    candidates.value = answer.value.candidates;
    total.value = answer.value.total;
    syllables.value = answer.value.syllables;
  }

  function edit(next: string): Promise<void> {
    composition.value = next;
    offset.value = 0;
    return refresh();
  }

  return {
    composition,
    syllables,
    candidates,
    offset,
    total,
    problem,
    answered,
    /** Adds a letter (a–z) or a syllable break; refuses beyond the contract's 64 characters. */
    type(key: string): Promise<void> | null {
      if (composition.value.length >= PINYIN_INPUT_MAX) return null;
      if (key === "'" && (composition.value === '' || composition.value.endsWith("'"))) return null;
      return edit(composition.value + key);
    },
    /** Removes the last typed letter; false when there was none (the panel then deletes text). */
    deleteLetter(): boolean {
      if (composition.value === '') return false;
      void edit(composition.value.slice(0, -1));
      return true;
    },
    /** Takes a candidate: the letters it stands for leave the composition, the rest stays to choose from. */
    take(candidate: PinyinCandidate): Promise<void> {
      return edit(composition.value.slice(candidate.consumed).replace(/^'+/, ''));
    },
    clear(): Promise<void> {
      return edit('');
    },
    page(direction: 1 | -1): Promise<void> {
      const next = offset.value + direction * pageSize.value;
      if (next < 0 || next >= total.value) return Promise.resolve();
      offset.value = next;
      return refresh();
    },
  };
}
