import koffi, { type TypeObject } from 'koffi';

/**
 * Zinnia (taku910/zinnia, BSD licence; Debian libzinnia0) through the koffi FFI: an online handwriting
 * recogniser (SVM over stroke features) with Tegaki's Simplified Chinese model (Debian
 * tegaki-zinnia-simplified-chinese, LGPL-2.1+). Thin on purpose: one recogniser opened once, one
 * character object per call, destroyed in `finally`. The C API, from zinnia.h:
 *
 *   zinnia_recognizer_t *zinnia_recognizer_new(void);
 *   int   zinnia_recognizer_open(zinnia_recognizer_t *, const char *model);       1 ok, 0 failed
 *   const char *zinnia_recognizer_strerror(zinnia_recognizer_t *);
 *   zinnia_result_t *zinnia_recognizer_classify(zinnia_recognizer_t *, const zinnia_character_t *, size_t nbest);
 *   void  zinnia_recognizer_destroy(zinnia_recognizer_t *);
 *   zinnia_character_t *zinnia_character_new(void);
 *   void  zinnia_character_set_width / set_height(zinnia_character_t *, size_t);
 *   int   zinnia_character_add(zinnia_character_t *, size_t stroke, int x, int y);   1 ok
 *   void  zinnia_character_destroy(zinnia_character_t *);
 *   const char *zinnia_result_value(zinnia_result_t *, size_t i);   UTF-8
 *   float zinnia_result_score(zinnia_result_t *, size_t i);
 *   size_t zinnia_result_size(zinnia_result_t *);
 *   void  zinnia_result_destroy(zinnia_result_t *);
 *
 * Coordinates are pixels of a width × height box, origin top left, y down (zinnia normalises the box).
 */
export interface ZinniaOptions {
  /** Shared library: `libzinnia.so.0` (Debian), `zinnia.dll` on Windows; a path or a name for the loader. */
  library: string;
  /** Model file, e.g. /usr/share/tegaki/models/zinnia/handwriting-zh_CN.model. */
  model: string;
}

export interface RecognisedCharacter {
  text: string;
  /** Zinnia's SVM score: higher is better, comparable only within one answer. */
  score: number;
}

/** One stroke: points [x, y] in drawing order. */
export type Stroke = readonly (readonly [number, number])[];

export class ZinniaError extends Error {}

interface ZinniaApi {
  recognizerNew: () => unknown;
  recognizerOpen: (recognizer: unknown, model: string) => number;
  recognizerStrerror: (recognizer: unknown) => string;
  recognizerClassify: (recognizer: unknown, character: unknown, nbest: number) => unknown;
  recognizerDestroy: (recognizer: unknown) => void;
  characterNew: () => unknown;
  characterSetWidth: (character: unknown, width: number) => void;
  characterSetHeight: (character: unknown, height: number) => void;
  characterAdd: (character: unknown, stroke: number, x: number, y: number) => number;
  characterDestroy: (character: unknown) => void;
  resultValue: (result: unknown, index: number) => string;
  resultScore: (result: unknown, index: number) => number;
  resultSize: (result: unknown) => number;
  resultDestroy: (result: unknown) => void;
}

/** koffi's type names are process-wide: declared once, or a second recogniser (a retry) fails to bind. */
let types: { recognizer: TypeObject; character: TypeObject; result: TypeObject } | null = null;

function bind(library: string): ZinniaApi {
  const lib = koffi.load(library);
  types ??= {
    recognizer: koffi.pointer(koffi.opaque('zinnia_recognizer_t')),
    character: koffi.pointer(koffi.opaque('zinnia_character_t')),
    result: koffi.pointer(koffi.opaque('zinnia_result_t')),
  };
  const { recognizer, character, result } = types;
  return {
    recognizerNew: lib.func('zinnia_recognizer_new', recognizer, []),
    recognizerOpen: lib.func('zinnia_recognizer_open', 'int', [recognizer, 'const char *']),
    recognizerStrerror: lib.func('zinnia_recognizer_strerror', 'const char *', [recognizer]),
    recognizerClassify: lib.func('zinnia_recognizer_classify', result, [recognizer, character, 'size_t']),
    recognizerDestroy: lib.func('zinnia_recognizer_destroy', 'void', [recognizer]),
    characterNew: lib.func('zinnia_character_new', character, []),
    characterSetWidth: lib.func('zinnia_character_set_width', 'void', [character, 'size_t']),
    characterSetHeight: lib.func('zinnia_character_set_height', 'void', [character, 'size_t']),
    characterAdd: lib.func('zinnia_character_add', 'int', [character, 'size_t', 'int', 'int']),
    characterDestroy: lib.func('zinnia_character_destroy', 'void', [character]),
    resultValue: lib.func('zinnia_result_value', 'const char *', [result, 'size_t']),
    resultScore: lib.func('zinnia_result_score', 'float', [result, 'size_t']),
    resultSize: lib.func('zinnia_result_size', 'size_t', [result]),
    resultDestroy: lib.func('zinnia_result_destroy', 'void', [result]),
  } as ZinniaApi;
}

export class ZinniaRecognizer {
  private constructor(
    private readonly api: ZinniaApi,
    private recognizer: unknown,
  ) {}

  /** Loads the library and opens the model; throws ZinniaError (library or model missing, bad model). */
  static open(options: ZinniaOptions): ZinniaRecognizer {
    let api: ZinniaApi;
    try {
      api = bind(options.library);
    } catch (error) {
      throw new ZinniaError(`cannot load ${options.library}: ${(error as Error).message}`);
    }
    const recognizer = api.recognizerNew();
    if (!recognizer) throw new ZinniaError('zinnia_recognizer_new failed');
    if (api.recognizerOpen(recognizer, options.model) !== 1) {
      const reason = api.recognizerStrerror(recognizer);
      api.recognizerDestroy(recognizer);
      throw new ZinniaError(`cannot open model ${options.model}: ${reason}`);
    }
    return new ZinniaRecognizer(api, recognizer);
  }

  /**
   * The `limit` best characters for the strokes, best first. `width`/`height` in the strokes' units
   * (positive integers); coordinates are rounded. Callers bound the input (the channel does).
   */
  classify(strokes: readonly Stroke[], width: number, height: number, limit: number): RecognisedCharacter[] {
    if (!this.recognizer) throw new ZinniaError('recogniser closed');
    const { api } = this;
    const character = api.characterNew();
    try {
      api.characterSetWidth(character, Math.round(width));
      api.characterSetHeight(character, Math.round(height));
      strokes.forEach((stroke, index) => {
        for (const [x, y] of stroke) api.characterAdd(character, index, Math.round(x), Math.round(y));
      });
      const result = api.recognizerClassify(this.recognizer, character, limit);
      if (!result) return [];
      try {
        const size = api.resultSize(result);
        const answers: RecognisedCharacter[] = [];
        for (let index = 0; index < size; index++) answers.push({ text: api.resultValue(result, index), score: api.resultScore(result, index) });
        return answers;
      } finally {
        api.resultDestroy(result);
      }
    } finally {
      api.characterDestroy(character);
    }
  }

  close(): void {
    if (this.recognizer) this.api.recognizerDestroy(this.recognizer);
    this.recognizer = null;
  }
}
