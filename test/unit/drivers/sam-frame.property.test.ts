import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SamFrameDecoder, encodeFrame, encodeRequest, encodeResponse, parseRequest, parseResponse } from '../../../drivers/protocols/sam-frame.js';
import type { SamDecoderOutput } from '../../../drivers/protocols/sam-frame.js';
import { decodeTextBlock, encodeTextBlock } from '../../../drivers/protocols/id-card-text.js';
import type { TextFields } from '../../../drivers/protocols/id-card-text.js';

const body = fc.uint8Array({ minLength: 2, maxLength: 1400 });
/** Garbage that is rich in preamble fragments, the bytes resynchronisation has to get past. */
const garbage = fc
  .array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(
    Uint8Array.of(0xaa), Uint8Array.of(0xaa, 0xaa, 0xaa), Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96), Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69),
    Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff), Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x00),
  )), { maxLength: 6 })
  .map(concat);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Feeds the stream in the given chunk sizes, then flushes (the line went quiet). */
function run(stream: Uint8Array, cuts: readonly number[]): SamDecoderOutput[] {
  const decoder = new SamFrameDecoder();
  const output: SamDecoderOutput[] = [];
  let offset = 0;
  for (const cut of cuts) {
    if (offset >= stream.length) break;
    output.push(...decoder.push(stream.subarray(offset, offset + cut)));
    offset += cut;
  }
  if (offset < stream.length) output.push(...decoder.push(stream.subarray(offset)));
  output.push(...decoder.flush());
  return output;
}

const frames = (output: SamDecoderOutput[]): Uint8Array[] => output.flatMap((item) => (item.kind === 'frame' ? [item.frame] : []));
const cuts = fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 30 });

describe('SAM frame codec (properties)', () => {
  it('round-trips requests and responses through encode and decode', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 1200 }), cuts, (command, parameter, data, split) => {
        const request = encodeRequest(command, parameter, data);
        const [decoded] = frames(run(request, split));
        expect(parseRequest(decoded!.subarray(7, -1))).toEqual({ command, parameter, data });
        const response = encodeResponse(parameter, data);
        const [decodedResponse] = frames(run(response, split));
        expect(parseResponse(decodedResponse!.subarray(7, -1))).toMatchObject({ sw3: parameter, data });
      }),
    );
  });

  it('never throws on arbitrary bytes and accounts for every byte it drops', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), cuts, (stream, split) => {
        const output = run(stream, split);
        for (const item of output) expect(['frame', 'error', 'garbage']).toContain(item.kind);
      }),
    );
  });

  it('recovers every valid frame embedded in garbage, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(garbage, body), { minLength: 1, maxLength: 5 }), garbage, cuts, (pieces, tail, split) => {
        const valid = pieces.map(([, piece]) => encodeFrame(piece));
        const stream = concat([...pieces.flatMap(([noise], index) => [noise, valid[index]!]), tail]);
        const found = frames(run(stream, split));
        // Garbage may itself contain a valid frame by chance; the real ones must all be there, in order.
        let cursor = 0;
        for (const frame of valid) {
          while (cursor < found.length && !equal(found[cursor]!, frame)) cursor++;
          expect(cursor, 'frame missing').toBeLessThan(found.length);
          cursor++;
        }
      }),
    );
  });

  it('survives a fixed-seed fuzz run within its time budget', () => {
    const started = Date.now();
    const budgetMs = 4000;
    const result = fc.check(
      fc.property(fc.array(fc.oneof(garbage, body.map(encodeFrame)), { maxLength: 20 }), cuts, (parts, split) => {
        const stream = concat(parts);
        // Whatever the input, every frame the decoder emits is well formed: it re-encodes to itself.
        return run(stream, split).every((item) => item.kind !== 'frame' || equal(encodeFrame(item.body), item.frame));
      }),
      { seed: 20261128, numRuns: 1_000_000, interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false },
    );
    expect(result.failed, fc.defaultReportMessage(result) ?? '').toBe(false);
    expect(result.numRuns).toBeGreaterThan(100);
    expect(Date.now() - started).toBeLessThan(budgetMs + 2000);
  });
});

const ucs2Text = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'张王李赵陈刘泰安山东省市区路号ABCXYZ0123456789 ,.-'), maxLength }).map((text) => text.trimEnd());
const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

const textFields: fc.Arbitrary<TextFields> = fc.oneof(
  fc.record({
    cardType: fc.constant('resident' as const), name: ucs2Text(15), sexCode: fc.constantFrom('0', '1', '2', '9'), nationCode: digits(2),
    birth: digits(8), address: ucs2Text(35), idNumber: digits(18), issuingAuthority: ucs2Text(15), validFrom: digits(8),
    validTo: fc.oneof(digits(8), fc.constant('长期')),
  }),
  fc.record({
    cardType: fc.constant('hk-mo-tw-residence' as const), name: ucs2Text(15), sexCode: fc.constantFrom('1', '2'), birth: digits(8),
    address: ucs2Text(35), idNumber: digits(18), issuingAuthority: ucs2Text(15), validFrom: digits(8), validTo: digits(8),
    passNumber: ucs2Text(9), issueCount: digits(2),
  }),
  fc.record({
    cardType: fc.constant('foreign-permanent-2017' as const), englishName: ucs2Text(60), sexCode: fc.constantFrom('1', '2'),
    cardNumber: ucs2Text(15), nationality: ucs2Text(3), chineseName: ucs2Text(15), validFrom: digits(8), validTo: digits(8),
    birth: digits(8), version: digits(2), authorityCode: digits(4),
  }),
  fc.record({
    cardType: fc.constant('foreign-permanent-2023' as const), name: ucs2Text(15), sexCode: fc.constantFrom('1', '2'), renewalCount: digits(2),
    birth: digits(8), englishName: ucs2Text(46), idNumber: digits(18), validFrom: digits(8), validTo: digits(8), nationality: ucs2Text(3),
    previousNumberLink: ucs2Text(3),
  }),
);

describe('ID-card text block (properties)', () => {
  it('round-trips the fields of every card type', () => {
    fc.assert(
      fc.property(textFields, (fields) => {
        expect(decodeTextBlock(encodeTextBlock(fields))).toEqual({ ok: true, value: fields });
      }),
    );
  });

  it('never throws on an arbitrary 256-byte block', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (block) => {
        const result = decodeTextBlock(block);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
  });
});

function equal(first: Uint8Array, second: Uint8Array): boolean {
  return first.length === second.length && first.every((byte, index) => byte === second[index]);
}
