import { describe, expect, it } from 'vitest';
import { HandwritingRequest } from '../../../../contract/ime.js';
import { HANDWRITING_UNAVAILABLE, HandwritingService } from '../../../../host/services/ime/handwriting-service.js';
import type { Logger } from '../../../../host/services/log.js';

const stroke = (points: number): [number, number][] => Array.from({ length: points }, (_, index) => [index % 400, 100] as [number, number]);

describe('HandwritingRequest', () => {
  it('accepts strokes inside the pad', () => {
    expect(HandwritingRequest.safeParse({ strokes: [stroke(20), stroke(3)], width: 480, height: 480 }).success).toBe(true);
  });

  it.each([
    ['a point outside the pad', { strokes: [[[481, 10]]], width: 480, height: 480 }],
    ['a negative coordinate', { strokes: [[[-1, 10]]], width: 480, height: 480 }],
    ['a coordinate that is not a number', { strokes: [[[Number.NaN, 10]]], width: 480, height: 480 }],
    ['no strokes', { strokes: [], width: 480, height: 480 }],
    ['an empty stroke', { strokes: [[]], width: 480, height: 480 }],
    ['41 strokes', { strokes: Array.from({ length: 41 }, () => stroke(2)), width: 480, height: 480 }],
    ['a stroke of 2,001 points', { strokes: [stroke(2001)], width: 480, height: 480 }],
    ['a pad wider than 4096', { strokes: [stroke(2)], width: 5000, height: 480 }],
    ['a point with three numbers', { strokes: [[[1, 2, 3]]], width: 480, height: 480 }],
    ['an unknown field', { strokes: [stroke(2)], width: 480, height: 480, pressure: 1 }],
  ])('rejects %s', (_, request) => {
    expect(HandwritingRequest.safeParse(request).success).toBe(false);
  });
});

describe('HandwritingService', () => {
  it('answers a plain-Chinese handwriting-unavailable when the library cannot be loaded, logging once', () => {
    const events: string[] = [];
    const log: Logger = { log: (_level, event) => events.push(event), pseudonym: (value) => value };
    const service = new HandwritingService({ library: '/nonexistent/libzinnia.so.0', model: '/nonexistent/model', log });
    const first = service.recognise([stroke(5)], 480, 480, 5);
    const second = service.recognise([stroke(5)], 480, 480, 5);
    expect(first).toEqual({ ok: false, error: { code: 'handwriting-unavailable', message: HANDWRITING_UNAVAILABLE } });
    expect(second).toEqual(first);
    expect(events).toEqual(['ime.handwriting-unavailable']);
  });
});
