import { z } from 'zod';

/**
 * The input engines' wire shapes (channels `ime:pinyin-candidates`, `ime:recognise-handwriting`).
 * Bounds are part of the contract: the host never sees an input longer, a stroke set larger or a
 * coordinate outside the pad than these allow.
 */

/** Letters typed on the pinyin panel: a–z, with `'` or a space as an explicit syllable break; ü is `v`. */
export const PINYIN_INPUT_MAX = 64;

export const PinyinCandidatesRequest = z
  .object({
    input: z
      .string()
      .min(1)
      .max(PINYIN_INPUT_MAX)
      .regex(/^[a-z' ]+$/),
    /** First candidate to return (paging), and how many. */
    offset: z.number().int().min(0).max(400).default(0),
    limit: z.number().int().min(1).max(50).default(10),
  })
  .strict();

export const PinyinCandidate = z.object({
  text: z.string().min(1),
  /** Characters of `input` (letters and separators, from its start) this candidate stands for. */
  consumed: z.number().int().positive(),
});
export type PinyinCandidate = z.infer<typeof PinyinCandidate>;

export const PinyinCandidates = z.object({
  candidates: z.array(PinyinCandidate),
  /** All candidates for this input, for 上一页 / 下一页. */
  total: z.number().int().nonnegative(),
  /** The input as segmented, syllables joined by `'` (shown above the candidates: zhang'wei). */
  syllables: z.string(),
});
export type PinyinCandidates = z.infer<typeof PinyinCandidates>;

/** Pad bounds: a pad is at most 4096 units wide or high; a character at most 40 strokes of 2,000 points. */
export const HANDWRITING_MAX_SIDE = 4096;
export const HANDWRITING_MAX_STROKES = 40;
export const HANDWRITING_MAX_POINTS = 2_000;

const Coordinate = z.number().finite().min(0).max(HANDWRITING_MAX_SIDE);

export const HandwritingRequest = z
  .object({
    /** Strokes in drawing order; each stroke is its points [x, y] in pad units, origin top left. */
    strokes: z
      .array(z.array(z.tuple([Coordinate, Coordinate])).min(1).max(HANDWRITING_MAX_POINTS))
      .min(1)
      .max(HANDWRITING_MAX_STROKES),
    width: z.number().int().min(16).max(HANDWRITING_MAX_SIDE),
    height: z.number().int().min(16).max(HANDWRITING_MAX_SIDE),
    limit: z.number().int().min(1).max(20).default(10),
  })
  .strict()
  .refine((request) => request.strokes.every((stroke) => stroke.every(([x, y]) => x <= request.width && y <= request.height)), {
    message: 'a point lies outside the pad',
  });

export const HandwritingCandidates = z.object({ candidates: z.array(z.string().min(1)) });
