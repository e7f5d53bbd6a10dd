import { describe, expect, it } from 'vitest';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { GB2659_ALPHA3, GB3304_NATIONS, nationName } from '../../../drivers/protocols/gb-codes.js';
import { chinaDate } from '../../../contract/china-time.js';
import { identityFromFields, identityFromTextBlock } from '../../../drivers/protocols/id-card-identity.js';
import { encodeTextBlock } from '../../../drivers/protocols/id-card-text.js';
import type { ResidentTextFields } from '../../../drivers/protocols/id-card-text.js';
import { parseCardPayload } from '../../../drivers/protocols/sam-card-data.js';
import { decodeAll } from '../../../drivers/protocols/sam-frame.js';
import { ID_CARD_DECK, findDeckCard } from '../../../drivers/simulators/id-card-deck.js';
import { goldenFrame } from './fixtures.js';

const now = new Date('2026-06-01T02:00:00Z');

function identityOfGolden(cardId: string) {
  const [frame] = decodeAll(goldenFrame(`response-read-${cardId}`));
  const payload = parseCardPayload(frame!.subarray(10, -1), false);
  if (!payload.ok) throw new Error(payload.detail);
  return identityFromTextBlock(payload.value.text, { now, hasPhoto: payload.value.photo !== null });
}

const zhang = findDeckCard('resident-zhang')!.fields as ResidentTextFields;

describe('identityFromTextBlock', () => {
  it('decodes the golden resident card, 长期 as no expiry', () => {
    expect(identityOfGolden('resident-zhang')).toEqual({
      ok: true,
      value: {
        cardType: 'resident', name: '张建华', sex: 'male', nation: '汉族', birthDate: '1968-03-15', address: '山东省泰安市泰山区东岳大街128号',
        idNumber: `37090219680315123${gb11643CheckChar('37090219680315123')}`, issuingAuthority: '泰安市公安局泰山分局',
        validFrom: '2015-06-10', validTo: null, expired: false, hasPhoto: true,
      },
    });
  });

  it('decodes the golden 港澳台 residence permit with pass number and issue count', () => {
    expect(identityOfGolden('hk-mo-tw-chen')).toMatchObject({
      ok: true,
      value: { cardType: 'hk-mo-tw-residence', name: '陈家明', sex: 'male', birthDate: '1992-03-15', passNumber: 'H12345678', issueCount: 1, validTo: '2029-07-08' },
    });
  });

  it('decodes the golden 2017 foreigner card with English name and nationality', () => {
    expect(identityOfGolden('foreign-2017-miller')).toMatchObject({
      ok: true,
      value: { cardType: 'foreign-permanent-2017', name: '米安娜', englishName: 'MILLER, ANNA MARIE', nationality: 'USA', sex: 'female', birthDate: '1990-05-12', idNumber: 'USA379005120101' },
    });
  });

  it('decodes the golden 2023 foreigner card', () => {
    expect(identityOfGolden('foreign-2023-kim')).toMatchObject({
      ok: true,
      value: { cardType: 'foreign-permanent-2023', name: '金书妍', englishName: 'KIM SEOYEON', nationality: 'KOR', sex: 'female', birthDate: '1988-11-03' },
    });
  });

  it('marks a card expired from the day after its end date, in China time', () => {
    const fields = { ...zhang, validTo: '20260601' };
    expect(identityFromFields(fields, { now: new Date('2026-06-01T15:59:00Z'), hasPhoto: false })).toMatchObject({ value: { expired: false } });
    // 16:00 UTC is midnight in Beijing: 2 June, one day past the end date.
    expect(identityFromFields(fields, { now: new Date('2026-06-01T16:00:00Z'), hasPhoto: false })).toMatchObject({ value: { expired: true } });
    expect(chinaDate(new Date('2026-06-01T16:00:00Z'))).toBe('2026-06-02');
  });

  it('reports the expired fixture card as expired rather than refusing it', () => {
    const card = findDeckCard('resident-expired')!;
    expect(identityFromTextBlock(card.textBlock, { now, hasPhoto: true })).toMatchObject({ ok: true, value: { expired: true, validTo: '2020-04-20' } });
  });

  it('refuses the fixture card with a wrong check digit, with a code and a plain-Chinese next step', () => {
    const result = identityFromTextBlock(findDeckCard('resident-bad-check')!.textBlock, { now, hasPhoto: true });
    expect(result).toMatchObject({ ok: false, code: 'id-number-check-digit' });
    expect(!result.ok && result.message).toMatch(/服务窗口/);
  });

  it('refuses a birth date that disagrees with the ID number', () => {
    expect(identityFromFields({ ...zhang, birth: '19680316' }, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'birth-date-mismatch' });
  });

  it('refuses a sex that disagrees with the ID number, but not an unspecified one', () => {
    expect(identityFromFields({ ...zhang, sexCode: '2' }, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'sex-mismatch' });
    expect(identityFromFields({ ...zhang, sexCode: '9' }, { now, hasPhoto: false })).toMatchObject({ ok: true, value: { sex: 'unspecified' } });
  });

  it('refuses a residence permit number outside 810000/820000/830000', () => {
    const chen = findDeckCard('hk-mo-tw-chen')!.fields;
    const moved = `37000019920315003${gb11643CheckChar('37000019920315003')}`;
    expect(identityFromFields({ ...chen, idNumber: moved } as typeof chen, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'id-number-invalid' });
  });

  it('refuses a 2017 card number whose birth digits disagree with the birth field', () => {
    const miller = findDeckCard('foreign-2017-miller')!.fields;
    expect(identityFromFields({ ...miller, birth: '19900513' } as typeof miller, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'birth-date-mismatch' });
  });

  it('refuses an unknown card type flag', () => {
    const block = encodeTextBlock(zhang);
    block[248] = 0x5a; // 'Z'
    expect(identityFromTextBlock(block, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'unknown-card-type' });
  });

  it('refuses an impossible date and an unknown nation code', () => {
    expect(identityFromFields({ ...zhang, validFrom: '20150231' }, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'field-invalid' });
    expect(identityFromFields({ ...zhang, nationCode: '57' }, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'field-invalid' });
  });
});

describe('identity sense checks (issue 10, kind 5)', () => {
  it('refuses a card block whose validity ends before it starts, through the whole block decoder (was: accepted)', () => {
    const block = encodeTextBlock({ ...zhang, validFrom: '20250610', validTo: '20150610' });
    expect(identityFromTextBlock(block, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'validity-order', message: expect.stringMatching(/重新平放.*服务窗口/) });
    expect(identityFromFields({ ...zhang, validFrom: '19600101' }, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'validity-order' });
  });

  it('refuses a birth date after the reader\'s today, whose ID number checks out', () => {
    const first17 = '37090220300315123';
    const future = { ...zhang, birth: '20300315', idNumber: first17 + gb11643CheckChar(first17), validFrom: '20300401' };
    expect(identityFromFields(future, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'birth-date-invalid' });
  });

  it('refuses an empty name, a name without letters, and control characters anywhere on the card', () => {
    expect(identityFromFields({ ...zhang, name: '' }, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'name-invalid' });
    expect(identityFromFields({ ...zhang, name: '12' }, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'name-invalid' });
    expect(identityFromFields({ ...zhang, address: '泰安市\u202e东岳大街' }, { now, hasPhoto: false })).toMatchObject({ ok: false, code: 'name-invalid' });
  });

  it('stores the ID number in its one form when a reader sends a lowercase check character', () => {
    const first17 = '11010519491231002';
    const fields = { ...zhang, birth: '19491231', idNumber: `${first17}x`, sexCode: '2', validFrom: '20100101' };
    expect(identityFromFields(fields, { now, hasPhoto: false })).toMatchObject({ ok: true, value: { idNumber: `${first17}X` } });
  });
});

describe('ID-card deck', () => {
  it('holds every card type, an expired card and a bad check digit, all in Taian divisions', () => {
    const types = new Set(ID_CARD_DECK.map((card) => card.fields.cardType));
    expect(types).toEqual(new Set(['resident', 'hk-mo-tw-residence', 'foreign-permanent-2017', 'foreign-permanent-2023']));
    const results = ID_CARD_DECK.map((card) => identityFromTextBlock(card.textBlock, { now, hasPhoto: true }));
    expect(results.filter((result) => result.ok && result.value.expired)).toHaveLength(1);
    expect(results.filter((result) => !result.ok).map((result) => !result.ok && result.code)).toEqual(['id-number-check-digit']);
    for (const card of ID_CARD_DECK.filter((entry) => entry.fields.cardType === 'resident')) {
      expect((card.fields as ResidentTextFields).idNumber).toMatch(/^3709(0[0-9]|1[0-9]|2[0-9]|8[0-9])/);
      expect((card.fields as ResidentTextFields).address).toMatch(/^山东省(泰安市|新泰市|肥城市)/);
    }
  });

  it('labels cards with the kind and a masked name, never the number', () => {
    for (const card of ID_CARD_DECK) {
      expect(card.label).toMatch(/^(居民身份证|港澳台居民居住证|外国人永久居留身份证)/);
      expect(card.label).not.toMatch(/\d{6}/);
    }
    expect(findDeckCard('resident-zhang')!.label).toBe('居民身份证 · 张*华');
  });

  it('holds a resident card whose number ends in X, read back as X', () => {
    const card = findDeckCard('resident-liu')!;
    const read = identityFromTextBlock(card.textBlock, { now, hasPhoto: true });
    expect(read).toMatchObject({ ok: true, value: { idNumber: '37090219520418738X', name: '刘桂芝' } });
  });
});

describe('GB code tables', () => {
  it('has the 56 nations plus 97 and 98, with 46 as 德昂族', () => {
    expect(Object.keys(GB3304_NATIONS)).toHaveLength(58);
    expect(nationName('46')).toBe('德昂族');
    expect(nationName('56')).toBe('基诺族');
    expect(nationName('00')).toBeNull();
  });

  it('has the 249 ISO 3166-1 alpha-3 codes of GB/T 2659', () => {
    expect(GB2659_ALPHA3.size).toBe(249);
    for (const code of ['CHN', 'USA', 'KOR', 'HKG', 'MAC', 'TWN']) expect(GB2659_ALPHA3.has(code)).toBe(true);
  });
});
