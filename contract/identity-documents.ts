import type { Material } from './catalog.js';
import type { CardType } from './domain.js';

/** What each card is called on screen and on paper: the title printed on the card (DOMAIN.md §2). */
export const CARD_TYPE_NAMES: Record<CardType, string> = {
  resident: '居民身份证',
  'hk-mo-tw-residence': '港澳台居民居住证',
  'foreign-permanent-2017': '外国人永久居留身份证',
  'foreign-permanent-2023': '外国人永久居留身份证',
};

/** The catalog's id for the applicant's own identity card (named 居民身份证 there; test/unit/catalog checks it). */
export const APPLICANT_CARD_MATERIAL = 'id-card';

/**
 * A material's name for the person applying. The catalog is written for 居民身份证 holders; a holder of a
 * 港澳台居民居住证 or 外国人永久居留身份证 must never be asked for a 居民身份证 they cannot have:
 * - the applicant's own card (`id-card`) takes the name of the card they hold;
 * - others' cards the material lists (父母双方居民身份证, 夫妻双方居民身份证 …) become 身份证件, the term
 *   that covers every valid card, since the applicant's card says nothing about theirs.
 * Unchanged for 居民身份证 holders and before a card is read (`cardType` null).
 */
export function materialNameFor(material: Pick<Material, 'id' | 'name'>, cardType: CardType | null | undefined): string {
  if (!cardType || cardType === 'resident' || !material.name.includes('居民身份证')) return material.name;
  if (material.id === APPLICANT_CARD_MATERIAL) return material.name.replace('居民身份证', CARD_TYPE_NAMES[cardType]);
  return material.name.replace('居民身份证', '身份证件');
}
