import type { Handlers } from '../contract/derive.js';
import type { HandwritingService } from './services/ime/handwriting-service.js';
import type { PinyinService } from './services/ime/pinyin-service.js';

/** The input engines' channels: stateless, open to every screen, never logging what was typed or drawn. */
export type ImeChannel = 'ime:pinyin-candidates' | 'ime:recognise-handwriting';

export function createImeHandlers(services: { pinyin: PinyinService; handwriting: HandwritingService }): Pick<Handlers, ImeChannel> {
  return {
    'ime:pinyin-candidates': ({ input, offset, limit }) => services.pinyin.candidates(input, offset, limit),
    'ime:recognise-handwriting': ({ strokes, width, height, limit }) => services.handwriting.recognise(strokes, width, height, limit),
  };
}
