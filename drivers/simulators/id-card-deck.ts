/**
 * Fixture cards for demo mode and tests: every card type, an expired card, a card whose ID number
 * ends in the check character X, and a card whose ID number has a wrong check digit. People, addresses and numbers are invented; division codes are
 * Taian's (GB/T 2260 3709xx). Check digits are computed, never typed, except the deliberately bad one.
 *
 * The photo bytes are NOT a photo: they are deterministic filler of the right length (1024 bytes)
 * so frames have the real size. No WLT decoder can render them, and none should pretend to.
 */
import { gb11643CheckChar, maskName } from '../../contract/validators/gb11643.js';
import { encodeTextBlock } from '../protocols/id-card-text.js';
import type { TextFields } from '../protocols/id-card-text.js';
import { FINGERPRINT_LENGTH, PHOTO_LENGTH } from '../protocols/sam-card-data.js';

export interface DeckCard {
  id: string;
  /** Shown to demo users and technicians: card kind and masked name, never the number. */
  label: string;
  fields: TextFields;
  textBlock: Uint8Array;
  photoWlt: Uint8Array;
  /** Two 512-byte templates, or null for a card issued without fingerprints. */
  fingerprint: Uint8Array | null;
  /** 追加住址 printed on the back after a move, or null. */
  appendedAddress: string | null;
}

/** Appends the GB 11643 check character to 17 digits. */
export function withCheckChar(first17: string): string {
  return first17 + gb11643CheckChar(first17);
}

/** The same number with a check character that is certainly wrong. */
function withWrongCheckChar(first17: string): string {
  const right = gb11643CheckChar(first17);
  return first17 + (right === '0' ? '1' : '0');
}

const CARD_KIND_LABELS = {
  resident: '居民身份证',
  'hk-mo-tw-residence': '港澳台居民居住证',
  'foreign-permanent-2017': '外国人永久居留身份证（2017版）',
  'foreign-permanent-2023': '外国人永久居留身份证（2023版）',
} as const;

function displayName(fields: TextFields): string {
  switch (fields.cardType) {
    case 'foreign-permanent-2017':
      return fields.chineseName || fields.englishName;
    default:
      return fields.name;
  }
}

function card(id: string, fields: TextFields, extra: { note?: string; fingerprint?: boolean; appendedAddress?: string } = {}): DeckCard {
  const label = `${CARD_KIND_LABELS[fields.cardType]} · ${maskName(displayName(fields))}${extra.note ? `（${extra.note}）` : ''}`;
  return {
    id,
    label,
    fields,
    textBlock: encodeTextBlock(fields),
    photoWlt: filler(id, PHOTO_LENGTH),
    fingerprint: extra.fingerprint ? filler(`${id}/fingerprint`, FINGERPRINT_LENGTH) : null,
    appendedAddress: extra.appendedAddress ?? null,
  };
}

/** Deterministic bytes from a seed (xorshift32 over an FNV-1a hash of the seed). */
export function filler(seed: string, length: number): Uint8Array {
  let state = 0x811c9dc5;
  for (const character of seed) state = Math.imul(state ^ character.charCodeAt(0), 0x01000193) >>> 0;
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

export const ID_CARD_DECK: readonly DeckCard[] = Object.freeze([
  card('resident-zhang', {
    cardType: 'resident', name: '张建华', sexCode: '1', nationCode: '01', birth: '19680315',
    address: '山东省泰安市泰山区东岳大街128号', idNumber: withCheckChar('37090219680315123'),
    issuingAuthority: '泰安市公安局泰山分局', validFrom: '20150610', validTo: '长期',
  }, { fingerprint: true }),
  card('resident-li', {
    cardType: 'resident', name: '李秀英', sexCode: '2', nationCode: '03', birth: '19900822',
    address: '山东省泰安市岱岳区粥店街道龙潭路66号', idNumber: withCheckChar('37091119900822402'),
    issuingAuthority: '泰安市公安局岱岳分局', validFrom: '20180301', validTo: '20380301',
  }, { appendedAddress: '山东省泰安市泰山区财源街道青年路9号' }),
  // Over 80: the holder the 老年人优待证 and 高龄津贴 flows are for, so the demo can reach their 秒批.
  card('resident-sun', {
    cardType: 'resident', name: '孙桂兰', sexCode: '2', nationCode: '01', birth: '19440610',
    address: '山东省泰安市宁阳县文庙街道八仙桥路21号', idNumber: withCheckChar('37092119440610262'),
    issuingAuthority: '宁阳县公安局', validFrom: '20100520', validTo: '长期',
  }),
  card('resident-expired', {
    cardType: 'resident', name: '王磊', sexCode: '1', nationCode: '01', birth: '19850107',
    address: '山东省肥城市新城街道龙山路18号', idNumber: withCheckChar('37098319850107351'),
    issuingAuthority: '肥城市公安局', validFrom: '20100420', validTo: '20200420',
  }, { note: '已过期' }),
  card('resident-bad-check', {
    cardType: 'resident', name: '赵敏', sexCode: '2', nationCode: '01', birth: '19770930',
    address: '山东省新泰市青云街道府前街35号', idNumber: withWrongCheckChar('37098219770930204'),
    issuingAuthority: '新泰市公安局', validFrom: '20160512', validTo: '20360512',
  }, { note: '号码校验位错误' }),
  card('hk-mo-tw-chen', {
    cardType: 'hk-mo-tw-residence', name: '陈家明', sexCode: '1', birth: '19920315',
    address: '山东省泰安市泰山区泰山大街366号', idNumber: withCheckChar('81000019920315003'),
    issuingAuthority: '泰安市公安局', validFrom: '20240708', validTo: '20290708', passNumber: 'H12345678', issueCount: '01',
  }),
  card('foreign-2017-miller', {
    cardType: 'foreign-permanent-2017', englishName: 'MILLER, ANNA MARIE', sexCode: '2', cardNumber: 'USA379005120101',
    nationality: 'USA', chineseName: '米安娜', validFrom: '20190115', validTo: '20290115', birth: '19900512', version: '20',
    authorityCode: '3709',
  }),
  card('foreign-2023-kim', {
    cardType: 'foreign-permanent-2023', name: '金书妍', sexCode: '2', renewalCount: '00', birth: '19881103',
    englishName: 'KIM SEOYEON', idNumber: withCheckChar('93741019881103002'), validFrom: '20240220', validTo: '20340220',
    nationality: 'KOR', previousNumberLink: '',
  }),
  // An older citizen (over 60, for 老年人优待证 and the like) whose number ends in the check character X:
  // the card a citizen-only test places to see X carried from the card to the form, the receipt and central.
  card('resident-liu', {
    cardType: 'resident', name: '刘桂芝', sexCode: '2', nationCode: '01', birth: '19520418',
    address: '山东省泰安市泰山区岱宗大街56号', idNumber: withCheckChar('37090219520418738'),
    issuingAuthority: '泰安市公安局泰山分局', validFrom: '20120305', validTo: '长期',
  }, { note: '号码末位为X' }),
  // 刷身份证登录 (issue 12): demo staff account 0001's own card (host/services/demo-staff.ts carries its HMAC).
  // On the citizen screens it is a citizen's card like any other; on the staff sign-in screen it signs 0001 in with the PIN.
  card('staff-zhou', {
    cardType: 'resident', name: '周立明', sexCode: '1', nationCode: '01', birth: '19870605',
    address: '山东省泰安市泰山区东岳大街99号', idNumber: withCheckChar('37090219870605211'),
    issuingAuthority: '泰安市公安局泰山分局', validFrom: '20170605', validTo: '20370605',
  }, { note: '演示工作人员' }),
]);

export function findDeckCard(id: string, deck: readonly DeckCard[] = ID_CARD_DECK): DeckCard | undefined {
  return deck.find((entry) => entry.id === id);
}
