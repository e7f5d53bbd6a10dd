import { describe, expect, it } from 'vitest';
import { encodeCardPayload, parseCardPayload, parseSamId, encodeSamId } from '../../../drivers/protocols/sam-card-data.js';
import {
  SAM_COMMANDS, SamFrameDecoder, decodeAll, encodeCommand, encodeResponse, fromHex, parseResponse, samStatusName, toHex,
} from '../../../drivers/protocols/sam-frame.js';
import type { SamCommandName } from '../../../drivers/protocols/sam-frame.js';
import { ID_CARD_DECK, findDeckCard } from '../../../drivers/simulators/id-card-deck.js';
import { goldenFrame } from './fixtures.js';

/** DOMAIN.md §2, "Commands (full request frames)", copied byte for byte. */
const COMMAND_TABLE: Array<[SamCommandName, string]> = [
  ['resetSam', 'AA AA AA 96 69 00 03 10 FF EC'],
  ['samStatus', 'AA AA AA 96 69 00 03 11 FF ED'],
  ['readSamId', 'AA AA AA 96 69 00 03 12 FF EE'],
  ['findCard', 'AA AA AA 96 69 00 03 20 01 22'],
  ['selectCard', 'AA AA AA 96 69 00 03 20 02 21'],
  ['readTextPhoto', 'AA AA AA 96 69 00 03 30 01 32'],
  ['readTextPhotoFingerprint', 'AA AA AA 96 69 00 03 30 10 23'],
];

describe('SAM request frames', () => {
  it.each(COMMAND_TABLE)('encodes %s exactly as the documented frame', (name, frame) => {
    expect(toHex(encodeCommand(name))).toBe(frame);
  });

  it('encodes the appended-address command (30 03) with the XOR checksum', () => {
    // Len 00 03, body 30 03: 00 ^ 03 ^ 30 ^ 03 = 30.
    expect(toHex(encodeCommand('readAppendedAddress'))).toBe('AA AA AA 96 69 00 03 30 03 30');
  });

  it('decodes every documented request frame back to its command and parameter', () => {
    for (const [name, frame] of COMMAND_TABLE) {
      const [decoded] = decodeAll(fromHex(frame));
      expect(decoded, name).toBeDefined();
      expect([decoded?.[7], decoded?.[8]]).toEqual([SAM_COMMANDS[name].command, SAM_COMMANDS[name].parameter]);
    }
  });

  it('rejects the public find-card sample whose checksum is 0x21 (DOMAIN.md §2)', () => {
    const decoder = new SamFrameDecoder();
    const output = decoder.push(fromHex('AA AA AA 96 69 00 03 20 01 21'));
    expect(output).toContainEqual({ kind: 'error', code: 'bad-checksum', detail: 'expected 0x22, got 0x21' });
    expect(output.some((item) => item.kind === 'frame')).toBe(false);
  });
});

describe('SAM response frames', () => {
  it.each([
    ['response-reset-sam', 11, 'success'],
    ['response-sam-status', 11, 'success'],
    ['response-sam-not-authorised', 11, 'sam-not-authorised'],
    ['response-read-sam-id', 27, 'success'],
    ['response-find-card', 15, 'card-found'],
    ['response-find-card-failed', 11, 'find-card-failed'],
    ['response-select-card', 19, 'success'],
    ['response-select-card-failed', 11, 'select-card-failed'],
    ['response-appended-address-empty', 11, 'item-empty'],
    ['response-appended-address', 81, 'success'],
  ])('decodes the golden %s (%i bytes) with status %s', (name, length, status) => {
    const golden = goldenFrame(name);
    expect(golden.length).toBe(length);
    const [frame] = decodeAll(golden);
    expect(frame).toEqual(golden);
    expect(parseResponse(frame!.subarray(7, -1))?.status).toBe(status);
  });

  it('encodes the find-card and select-card successes byte for byte', () => {
    expect(encodeResponse(0x9f, new Uint8Array(4))).toEqual(goldenFrame('response-find-card'));
    expect(encodeResponse(0x90, new Uint8Array(8))).toEqual(goldenFrame('response-select-card'));
  });

  it('round-trips the SAM ID through the golden response', () => {
    const golden = goldenFrame('response-read-sam-id');
    const samId = parseSamId(golden.subarray(10, 26));
    expect(samId).toEqual({ text: '05.01-20230915-0037090001-0000123456', version: '05.01' });
    expect(encodeResponse(0x90, encodeSamId(samId!.text))).toEqual(golden);
  });

  it.each(['resident-zhang', 'hk-mo-tw-chen', 'foreign-2017-miller', 'foreign-2023-kim'])(
    'encodes the full 1295-byte text+photo response of %s byte for byte',
    (cardId) => {
      const card = findDeckCard(cardId)!;
      const golden = goldenFrame(`response-read-${cardId}`);
      expect(golden.length).toBe(1295);
      const encoded = encodeResponse(0x90, encodeCardPayload({ text: card.textBlock, photo: card.photoWlt, fingerprint: null }, false));
      expect(toHex(encoded)).toBe(toHex(golden));
    },
  );

  it('splits the 2321-byte fingerprint response into text, photo and two 512-byte templates', () => {
    const golden = goldenFrame('response-read-fingerprint-resident-zhang');
    expect(golden.length).toBe(2321);
    const [frame] = decodeAll(golden);
    const payload = parseCardPayload(frame!.subarray(10, -1), true);
    const card = findDeckCard('resident-zhang')!;
    expect(payload).toEqual({ ok: true, value: { text: card.textBlock, photo: card.photoWlt, fingerprint: card.fingerprint } });
  });

  it('reads Len as (b[5] << 8) | b[6], not the public sample\'s b[5] << 8 + b[6] (DOMAIN.md §2)', () => {
    const golden = goldenFrame('response-read-resident-zhang');
    expect([golden[5], golden[6]]).toEqual([0x05, 0x08]);
    // The precedence bug would read 5 << (8 + 8) = 327680 and wait forever for the frame to end.
    expect(golden[5]! << (8 + golden[6]!)).toBe(327680);
    const decoder = new SamFrameDecoder();
    const output = decoder.push(golden);
    expect(output.filter((item) => item.kind === 'frame')).toHaveLength(1);
    expect(decoder.pending).toBe(0);
  });

  it('rejects a card payload whose lengths do not add up', () => {
    const card = ID_CARD_DECK[0]!;
    const data = encodeCardPayload({ text: card.textBlock, photo: card.photoWlt, fingerprint: null }, false);
    expect(parseCardPayload(data.subarray(0, data.length - 1), false)).toMatchObject({ ok: false, code: 'bad-card-payload' });
  });

  it('names every documented status word and flags unknown ones', () => {
    const documented = [0x90, 0x9f, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81];
    for (const sw3 of documented) expect(samStatusName(sw3)).not.toBe('unknown-status');
    expect(samStatusName(0x55)).toBe('unknown-status');
  });
});

describe('SamFrameDecoder', () => {
  const find = goldenFrame('response-find-card');
  const select = goldenFrame('response-select-card');

  it('reassembles a frame delivered one byte at a time', () => {
    const decoder = new SamFrameDecoder();
    const frames = Array.from(find).flatMap((byte) => decoder.push(Uint8Array.of(byte))).filter((item) => item.kind === 'frame');
    expect(frames).toHaveLength(1);
  });

  it('resynchronises after a corrupted preamble', () => {
    const stream = new Uint8Array([0xaa, 0xaa, 0x96, 0x69, 0x00, ...find]);
    expect(decodeAll(stream)).toEqual([find]);
  });

  it('reports a bad length and still finds the frame behind it', () => {
    const decoder = new SamFrameDecoder();
    const output = decoder.push(new Uint8Array([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff, ...select]));
    expect(output[0]).toMatchObject({ kind: 'error', code: 'bad-length' });
    expect(output.filter((item) => item.kind === 'frame')).toHaveLength(1);
  });

  it('finds a real frame inside a corrupted one', () => {
    // A false preamble whose length swallows the real frame; its checksum fails, and the scan restarts behind it.
    const fake = new Uint8Array([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x14, ...find, 0x00, 0x00, 0x00, 0x00, 0x00]);
    expect(decodeAll(fake)).toEqual([find]);
  });

  it('recovers a frame held behind an incomplete false candidate when flushed', () => {
    const decoder = new SamFrameDecoder();
    const pushed = decoder.push(new Uint8Array([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x02, 0x00, ...find]));
    expect(pushed.some((item) => item.kind === 'frame')).toBe(false);
    expect(decoder.flush().filter((item) => item.kind === 'frame')).toHaveLength(1);
  });

  it('keeps a preamble split across chunks', () => {
    const decoder = new SamFrameDecoder();
    expect(decoder.push(new Uint8Array([0x01, 0x02, 0xaa, 0xaa]))).toEqual([{ kind: 'garbage', length: 2 }]);
    expect(decoder.push(find.subarray(2)).filter((item) => item.kind === 'frame')).toHaveLength(1);
  });
});
