/**
 * The 256-byte text block of a card read: UCS-2 little-endian, space padded, card type flag at
 * offset 248 (DOMAIN.md §2). Pure. `decodeTextBlock` gives the raw fields of each layout;
 * `encodeTextBlock` is its inverse (used by the simulator and the round-trip properties).
 */

export const TEXT_BLOCK_LENGTH = 256;
export const CARD_TYPE_FLAG_OFFSET = 248;

export interface ResidentTextFields {
  cardType: 'resident';
  name: string;
  /** GB/T 2261.1 sex code as printed in the block: 0 unknown, 1 male, 2 female, 9 unspecified. */
  sexCode: string;
  nationCode: string;
  /** YYYYMMDD */
  birth: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  validFrom: string;
  /** YYYYMMDD or 长期 */
  validTo: string;
}

export interface ResidencePermitTextFields {
  cardType: 'hk-mo-tw-residence';
  name: string;
  sexCode: string;
  birth: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  validFrom: string;
  validTo: string;
  passNumber: string;
  issueCount: string;
}

export interface ForeignPermanent2017TextFields {
  cardType: 'foreign-permanent-2017';
  englishName: string;
  sexCode: string;
  cardNumber: string;
  nationality: string;
  chineseName: string;
  validFrom: string;
  validTo: string;
  birth: string;
  version: string;
  authorityCode: string;
}

export interface ForeignPermanent2023TextFields {
  cardType: 'foreign-permanent-2023';
  name: string;
  sexCode: string;
  renewalCount: string;
  birth: string;
  /** The 70-byte field and its 22-byte overflow at 220, joined. */
  englishName: string;
  idNumber: string;
  validFrom: string;
  validTo: string;
  nationality: string;
  previousNumberLink: string;
}

export type TextFields = ResidentTextFields | ResidencePermitTextFields | ForeignPermanent2017TextFields | ForeignPermanent2023TextFields;

/** One field: byte offset and byte length in the block. */
type Layout<Fields> = ReadonlyArray<readonly [key: Exclude<keyof Fields, 'cardType'>, offset: number, length: number]>;

const RESIDENT: Layout<ResidentTextFields> = [
  ['name', 0, 30], ['sexCode', 30, 2], ['nationCode', 32, 4], ['birth', 36, 16], ['address', 52, 70], ['idNumber', 122, 36],
  ['issuingAuthority', 158, 30], ['validFrom', 188, 16], ['validTo', 204, 16],
];

const RESIDENCE_PERMIT: Layout<ResidencePermitTextFields> = [
  ['name', 0, 30], ['sexCode', 30, 2], ['birth', 36, 16], ['address', 52, 70], ['idNumber', 122, 36],
  ['issuingAuthority', 158, 30], ['validFrom', 188, 16], ['validTo', 204, 16], ['passNumber', 220, 18], ['issueCount', 238, 4],
];

const FOREIGN_2017: Layout<ForeignPermanent2017TextFields> = [
  ['englishName', 0, 120], ['sexCode', 120, 2], ['cardNumber', 122, 30], ['nationality', 152, 6], ['chineseName', 158, 30],
  ['validFrom', 188, 16], ['validTo', 204, 16], ['birth', 220, 16], ['version', 236, 4], ['authorityCode', 240, 8],
];

/** The English name spills from 52..121 into 220..241; both halves are handled outside the table. */
const FOREIGN_2023: Layout<Omit<ForeignPermanent2023TextFields, 'englishName'>> = [
  ['name', 0, 30], ['sexCode', 30, 2], ['renewalCount', 32, 4], ['birth', 36, 16], ['idNumber', 122, 36],
  ['validFrom', 188, 16], ['validTo', 204, 16], ['nationality', 242, 6], ['previousNumberLink', 250, 6],
];
const ENGLISH_NAME_2023 = { offset: 52, length: 70, overflowOffset: 220, overflowLength: 22 } as const;

const FLAGS = { resident: ' ', 'hk-mo-tw-residence': 'J', 'foreign-permanent-2017': 'I', 'foreign-permanent-2023': 'Y' } as const;

export type TextBlockResult = { ok: true; value: TextFields } | { ok: false; code: 'text-block-length' | 'unknown-card-type'; detail: string };

export function decodeTextBlock(block: Uint8Array): TextBlockResult {
  if (block.length !== TEXT_BLOCK_LENGTH) return { ok: false, code: 'text-block-length', detail: `${block.length} bytes` };
  const flag = readUcs2(block, CARD_TYPE_FLAG_OFFSET, 2);
  switch (flag) {
    // Resident cards leave the flag blank: spaces, or zeros on some readers.
    case '':
      return { ok: true, value: { cardType: 'resident', ...readLayout(block, RESIDENT) } };
    case FLAGS['hk-mo-tw-residence']:
      return { ok: true, value: { cardType: 'hk-mo-tw-residence', ...readLayout(block, RESIDENCE_PERMIT) } };
    case FLAGS['foreign-permanent-2017']:
      return { ok: true, value: { cardType: 'foreign-permanent-2017', ...readLayout(block, FOREIGN_2017) } };
    case FLAGS['foreign-permanent-2023']: {
      const { offset, length, overflowOffset, overflowLength } = ENGLISH_NAME_2023;
      // Join the raw halves before trimming: a name may break at a space exactly at byte 122.
      const englishName = (readUcs2Raw(block, offset, length) + readUcs2Raw(block, overflowOffset, overflowLength)).replace(/[\s\0]+$/u, '');
      return { ok: true, value: { cardType: 'foreign-permanent-2023', ...readLayout(block, FOREIGN_2023), englishName } };
    }
    default:
      return { ok: false, code: 'unknown-card-type', detail: `flag ${JSON.stringify(flag)}` };
  }
}

/** Inverse of decodeTextBlock. Throws RangeError when a field does not fit its slot (a fixture bug). */
export function encodeTextBlock(fields: TextFields): Uint8Array {
  const block = new Uint8Array(TEXT_BLOCK_LENGTH);
  writeUcs2(block, 0, TEXT_BLOCK_LENGTH, '');
  switch (fields.cardType) {
    case 'resident':
      writeLayout(block, RESIDENT, fields);
      break;
    case 'hk-mo-tw-residence':
      writeLayout(block, RESIDENCE_PERMIT, fields);
      writeUcs2(block, CARD_TYPE_FLAG_OFFSET, 2, FLAGS[fields.cardType]);
      break;
    case 'foreign-permanent-2017':
      writeLayout(block, FOREIGN_2017, fields);
      writeUcs2(block, CARD_TYPE_FLAG_OFFSET, 2, FLAGS[fields.cardType]);
      break;
    case 'foreign-permanent-2023': {
      writeLayout(block, FOREIGN_2023, fields);
      const { offset, length, overflowOffset, overflowLength } = ENGLISH_NAME_2023;
      const headCharacters = length / 2;
      writeUcs2(block, offset, length, fields.englishName.slice(0, headCharacters));
      writeUcs2(block, overflowOffset, overflowLength, fields.englishName.slice(headCharacters));
      writeUcs2(block, CARD_TYPE_FLAG_OFFSET, 2, FLAGS[fields.cardType]);
      break;
    }
    default:
      throw missingCase(fields);
  }
  return block;
}

function readLayout<Fields>(block: Uint8Array, layout: Layout<Fields>): Record<Exclude<keyof Fields, 'cardType'>, string> {
  const fields = {} as Record<Exclude<keyof Fields, 'cardType'>, string>;
  for (const [key, offset, length] of layout) fields[key] = readUcs2(block, offset, length);
  return fields;
}

function writeLayout<Fields>(block: Uint8Array, layout: Layout<Fields>, fields: Fields): void {
  for (const [key, offset, length] of layout) writeUcs2(block, offset, length, String(fields[key]));
}

const utf16 = new TextDecoder('utf-16le');

function readUcs2Raw(block: Uint8Array, offset: number, length: number): string {
  return utf16.decode(block.subarray(offset, offset + length));
}

/** Trailing spaces and NULs are padding. */
function readUcs2(block: Uint8Array, offset: number, length: number): string {
  return readUcs2Raw(block, offset, length).replace(/[\s\0]+$/u, '');
}

function writeUcs2(block: Uint8Array, offset: number, length: number, text: string): void {
  if (text.length * 2 > length) throw new RangeError(`"${text.length} characters" do not fit ${length} bytes at ${offset}`);
  for (let index = 0; index < length / 2; index++) {
    const code = index < text.length ? text.charCodeAt(index) : 0x20;
    block[offset + index * 2] = code & 0xff;
    block[offset + index * 2 + 1] = code >> 8;
  }
}

export function missingCase(value: never): Error {
  return new Error(`unhandled case: ${JSON.stringify(value)}`);
}
