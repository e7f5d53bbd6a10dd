import { readFileSync } from 'node:fs';
import { fail, ok, type Result } from '../../../contract/result.js';
import type { Logger } from '../log.js';
import { characterPrior, fuseCandidates, NO_PRIOR, toSimplifiedAnswers, type CharacterPrior, type FusionOptions, type ModelScript, type ScoredAnswer } from './handwriting-fusion.js';
import { ZinniaRecognizer, type Stroke } from './zinnia.js';

/**
 * The host's handwriting service: opens Zinnia and its models on first use (a few ms) and keeps them.
 *
 * - The **primary** model (Tegaki's Simplified Chinese) is required: missing library or model is a
 *   plain-Chinese `handwriting-unavailable` (the panel offers pinyin), logged once, and tried again on the
 *   next request (a technician may install the package meanwhile).
 * - **Further** models (Tegaki's Japanese model, whose kanji OpenCC maps to Simplified) are optional: one
 *   that cannot be opened is logged once and left out. Their answers are fused with the primary's by rank
 *   with a character-frequency prior (handwriting-fusion.ts: softmax shares of each model's scores; README "Input engines" has the figures).
 * - The prior comes from Rime's essay.txt in `rimeDataDir`; unreadable → no prior (logged once).
 */
export const HANDWRITING_UNAVAILABLE = '手写输入暂时不能使用，请点“拼音”用拼音输入，或请工作人员帮助。';

/**
 * Candidates asked of each model before fusing, whatever `limit` is: enough that a character low in both
 * lists can still rise, and the softmax shares (handwriting-fusion.ts) are taken over a list this long
 * (chosen with T and λ). Fixed, so the order of the first candidates does not depend on how many the panel
 * asks for (its pages ask 18, the benchmark 5): a longer list would add to each share's denominator.
 */
const PER_MODEL = 10;

export interface HandwritingModel {
  /** Zinnia model file. */
  path: string;
  /** The script the model writes: its answers are mapped to Simplified Chinese. */
  script: ModelScript;
  /** Weight of its share against the primary model’s 1 (default 0.7, README "Input engines"). */
  weight?: number;
}

export interface HandwritingServiceOptions {
  /** Zinnia's shared library: a path or a name for the loader (`libzinnia.so.0`, `zinnia.dll`). */
  library: string;
  /** The primary model (Simplified Chinese), e.g. /usr/share/tegaki/models/zinnia/handwriting-zh_CN.model. */
  model: string;
  /** Optional further models, fused with the primary's answers. */
  extraModels?: readonly HandwritingModel[];
  /** Folder with Rime's essay.txt, for the frequency prior; absent: no prior. */
  rimeDataDir?: string;
  fusion?: FusionOptions;
  log: Logger;
}

interface OpenModel {
  recognizer: ZinniaRecognizer;
  toSimplified: (answers: readonly ScoredAnswer[]) => ScoredAnswer[];
  weight: number;
}

/** A further model's weight when the configuration names none. */
const EXTRA_WEIGHT = 0.7;

export class HandwritingService {
  private models: OpenModel[] | null = null;
  private prior: CharacterPrior | null = null;
  private reported = false;

  constructor(private readonly options: HandwritingServiceOptions) {}

  /**
   * Characters for the strokes (pixels of a width × height pad, y down), best first, at most `limit`
   * (already bounded by the channel). Strokes are not logged.
   */
  recognise(strokes: readonly Stroke[], width: number, height: number, limit: number): Result<{ candidates: string[] }> {
    const models = this.open();
    if (!models) return fail('handwriting-unavailable', HANDWRITING_UNAVAILABLE);
    const lists = models.map((model) => ({
      answers: model.toSimplified(model.recognizer.classify(strokes, width, height, PER_MODEL)),
      weight: model.weight,
    }));
    return ok({ candidates: fuseCandidates(lists, this.characterPrior(), limit, this.options.fusion) });
  }

  /** Opens the models and reads the prior now (at start, so the first stroke does not wait ≈ 0.5 s). */
  warm(): void {
    if (this.open()) this.characterPrior();
  }

  close(): void {
    for (const model of this.models ?? []) model.recognizer.close();
    this.models = null;
  }

  private open(): OpenModel[] | null {
    if (this.models) return this.models;
    let primary: ZinniaRecognizer;
    try {
      primary = ZinniaRecognizer.open({ library: this.options.library, model: this.options.model });
    } catch (error) {
      if (!this.reported) this.options.log.log('error', 'ime.handwriting-unavailable', { error });
      this.reported = true;
      return null;
    }
    const models: OpenModel[] = [{ recognizer: primary, toSimplified: toSimplifiedAnswers('zh-CN'), weight: 1 }];
    for (const extra of this.options.extraModels ?? []) {
      try {
        models.push({ recognizer: ZinniaRecognizer.open({ library: this.options.library, model: extra.path }), toSimplified: toSimplifiedAnswers(extra.script), weight: extra.weight ?? EXTRA_WEIGHT });
      } catch (error) {
        this.options.log.log('warn', 'ime.handwriting-model-missing', { model: extra.path, error });
      }
    }
    this.models = models;
    return models;
  }

  private characterPrior(): CharacterPrior {
    if (this.prior) return this.prior;
    if (!this.options.rimeDataDir) return (this.prior = NO_PRIOR);
    try {
      this.prior = characterPrior(readFileSync(`${this.options.rimeDataDir}/essay.txt`, 'utf8'));
    } catch (error) {
      this.options.log.log('warn', 'ime.handwriting-prior-unavailable', { error });
      this.prior = NO_PRIOR;
    }
    return this.prior;
  }
}
