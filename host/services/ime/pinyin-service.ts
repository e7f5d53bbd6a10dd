import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { fail, ok, type Result } from '../../../contract/result.js';
import type { Logger } from '../log.js';
import { buildLexicon, supplementPhrases } from './lexicon.js';
import { compileIndex, isPinyinIndexData, syllableTable } from './pinyin-index.js';
import { PinyinEngine, type PinyinAnswer, type PinyinModel } from './pinyin-engine.js';
import { GIVEN_NAME_CHARACTERS, SURNAMES } from './supplements/names.js';

/**
 * The host's pinyin service. The lexicon is read from `<cacheDir>/pinyin-index.bin` when that was made
 * from the same Rime files and supplements (≈ 0.2 s), else built from `<rimeDataDir>` (≈ 4 s of CPU, in
 * slices that yield to the event loop, so the home screen and every other call stay served) and the
 * cache written. At host start `warm()` loads it only when the cache exists; otherwise the first
 * request builds it: a host that never shows the pinyin panel (tests, a restarted host mid-outbox
 * drain) never pays for a build. Without the Rime files it answers a plain-Chinese `ime-unavailable`
 * and the panel offers handwriting; it never throws into the host.
 */
export interface PinyinServiceOptions {
  /** Folder with essay.txt and luna_pinyin.dict.yaml (Debian librime-data: /usr/share/rime-data). */
  rimeDataDir: string;
  /** Where the compiled index is cached (`<dataDir>/ime`); null: no cache. */
  cacheDir: string | null;
  /** Phrases beside the supplements, read once at start (the catalog's service names and keywords). */
  extraPhrases?: () => readonly string[];
  log: Logger;
}

export const PINYIN_UNAVAILABLE = '拼音输入暂时不能使用，请点“手写”用手写输入，或请工作人员帮助。';
export const PINYIN_LOADING = '拼音输入正在准备，请稍等几秒再试，或点“手写”用手写输入。';

/** How long a request waits for a lexicon still loading before it is told to try again. */
const LOADING_WAIT_MS = 8_000;
/** Bumped whenever the lexicon or index layout changes, so an old cache is rebuilt. */
const FORMAT = 1;
const CACHE_FILE = 'pinyin-index.bin';

type State = { kind: 'idle' } | { kind: 'loading'; done: Promise<void> } | { kind: 'ready'; engine: PinyinEngine } | { kind: 'unavailable'; reason: string };

export class PinyinService {
  private state: State = { kind: 'idle' };
  private closed = false;

  constructor(private readonly options: PinyinServiceOptions) {}

  /** Starts loading (once); resolves when ready or unavailable, never rejects. */
  start(): Promise<void> {
    if (this.state.kind === 'loading') return this.state.done;
    if (this.state.kind !== 'idle') return Promise.resolve();
    const done = this.load().then(
      (engine) => {
        this.state = { kind: 'ready', engine };
      },
      (error: unknown) => {
        this.state = { kind: 'unavailable', reason: (error as Error).message };
        if (!this.closed) this.options.log.log('error', 'ime.pinyin-unavailable', { error });
      },
    );
    this.state = { kind: 'loading', done };
    return done;
  }

  /**
   * At host start: load in the background if a cache file is there (cheap); with `build`, also build a
   * missing one in the background (slices that yield to the event loop), else wait for first use.
   */
  warm(options: { build: boolean } = { build: false }): void {
    if (options.build || (this.options.cacheDir && existsSync(join(this.options.cacheDir, CACHE_FILE)))) void this.start();
  }

  /** Stops a build in progress at its next slice (host shutdown); later requests answer unavailable. */
  close(): void {
    this.closed = true;
  }

  get status(): 'idle' | 'loading' | 'ready' | 'unavailable' {
    return this.state.kind;
  }

  /** Candidates for one input (already checked by the channel: a–z, `'`, space, ≤ 64). Never logs it: it may be a name. */
  async candidates(input: string, offset: number, limit: number): Promise<Result<PinyinAnswer>> {
    if (this.state.kind === 'idle') void this.start();
    if (this.state.kind === 'loading') {
      const waited = await Promise.race([this.state.done.then(() => true), delay(LOADING_WAIT_MS).then(() => false)]);
      if (!waited) return fail('ime-loading', PINYIN_LOADING);
    }
    const state = this.state as State;
    if (state.kind !== 'ready') return fail('ime-unavailable', PINYIN_UNAVAILABLE);
    return ok(state.engine.candidates(input.toLowerCase(), offset, limit));
  }

  private async load(): Promise<PinyinEngine> {
    const started = performance.now();
    const essayFile = join(this.options.rimeDataDir, 'essay.txt');
    const dictFile = join(this.options.rimeDataDir, 'luna_pinyin.dict.yaml');
    const extraPhrases = this.options.extraPhrases?.() ?? [];
    const stamp = createHash('sha256')
      .update(JSON.stringify([FORMAT, fileStamp(essayFile), fileStamp(dictFile), supplementPhrases(extraPhrases), SURNAMES, GIVEN_NAME_CHARACTERS]))
      .digest('hex');
    const cacheFile = this.options.cacheDir ? join(this.options.cacheDir, CACHE_FILE) : null;
    const cached = cacheFile ? readCache(cacheFile, stamp) : null;
    if (cached) {
      this.options.log.log('info', 'ime.pinyin-ready', { source: 'cache', ms: Math.round(performance.now() - started), words: cached.words.texts.length });
      return new PinyinEngine(cached);
    }
    const lexicon = await buildLexicon({
      essay: readFileSync(essayFile, 'utf8'),
      lunaDict: readFileSync(dictFile, 'utf8'),
      extraPhrases,
      pause: () =>
        new Promise((resolve, reject) => {
          setImmediate(() => (this.closed ? reject(new Error('pinyin service closed')) : resolve()));
        }),
    });
    const syllables = syllableTable(lexicon.words, lexicon.surnames, lexicon.givenNames);
    const model: PinyinModel = {
      words: compileIndex(lexicon.words, syllables),
      surnames: compileIndex(lexicon.surnames, syllables),
      givenNames: compileIndex(lexicon.givenNames, syllables),
    };
    if (cacheFile) writeCache(cacheFile, stamp, model, this.options.log);
    this.options.log.log('info', 'ime.pinyin-ready', { source: 'built', ms: Math.round(performance.now() - started), words: model.words.texts.length, ...lexicon.stats });
    return new PinyinEngine(model);
  }
}

/** Size and modification time: a changed Rime package means a new cache. Throws when the file is missing. */
function fileStamp(file: string): string {
  const stats = statSync(file);
  return `${stats.size}:${stats.mtimeMs}`;
}

function readCache(file: string, stamp: string): PinyinModel | null {
  try {
    const value = deserialize(readFileSync(file)) as { stamp?: unknown; model?: Partial<PinyinModel> };
    const model = value.model;
    if (value.stamp !== stamp || !model || !isPinyinIndexData(model.words) || !isPinyinIndexData(model.surnames) || !isPinyinIndexData(model.givenNames)) return null;
    return { words: model.words, surnames: model.surnames, givenNames: model.givenNames };
  } catch {
    return null; // missing or damaged: rebuilt from the Rime files
  }
}

function writeCache(file: string, stamp: string, model: PinyinModel, log: Logger): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    // A temp name of this process: two hosts sharing a cache (demo stacks) never interleave one file.
    const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(temporary, serialize({ stamp, model }), { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    // A full disk costs the next start a rebuild, nothing more.
    log.log('warn', 'ime.pinyin-cache-not-written', { error });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
