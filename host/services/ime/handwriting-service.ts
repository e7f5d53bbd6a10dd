import { fail, ok, type Result } from '../../../contract/result.js';
import type { Logger } from '../log.js';
import { ZinniaRecognizer, type Stroke, type ZinniaOptions } from './zinnia.js';

/**
 * The host's handwriting service: opens Zinnia and its model on first use (a few ms) and keeps it.
 * A missing library or model is a plain-Chinese `handwriting-unavailable` (the panel offers pinyin),
 * logged once, and tried again on the next request (a technician may install the package meanwhile).
 */
export const HANDWRITING_UNAVAILABLE = '手写输入暂时不能使用，请点“拼音”用拼音输入，或请工作人员帮助。';

export class HandwritingService {
  private recognizer: ZinniaRecognizer | null = null;
  private reported = false;

  constructor(private readonly options: ZinniaOptions & { log: Logger }) {}

  /** Characters for the strokes, best first (already bounded by the channel). Strokes are not logged. */
  recognise(strokes: readonly Stroke[], width: number, height: number, limit: number): Result<{ candidates: string[] }> {
    if (!this.recognizer) {
      try {
        this.recognizer = ZinniaRecognizer.open(this.options);
      } catch (error) {
        if (!this.reported) this.options.log.log('error', 'ime.handwriting-unavailable', { error });
        this.reported = true;
        return fail('handwriting-unavailable', HANDWRITING_UNAVAILABLE);
      }
    }
    const answers = this.recognizer.classify(strokes, width, height, limit);
    return ok({ candidates: [...new Set(answers.map((answer) => answer.text).filter((text) => text.length > 0))] });
  }

  close(): void {
    this.recognizer?.close();
    this.recognizer = null;
  }
}
