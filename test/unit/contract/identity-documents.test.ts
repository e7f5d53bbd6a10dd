import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { APPLICANT_CARD_MATERIAL, CARD_TYPE_NAMES, materialNameFor } from '../../../contract/identity-documents.js';

const catalog = loadCatalog();
const allMaterials = catalog.services.flatMap((service) => service.materials.map((material) => ({ service: service.id, material })));

describe('materialNameFor', () => {
  it('calls the applicant\'s own card by the card they hold (issue 9: a 港澳台 card was called 居民身份证)', () => {
    const card = { id: APPLICANT_CARD_MATERIAL, name: '居民身份证' };
    expect(materialNameFor(card, 'hk-mo-tw-residence')).toBe('港澳台居民居住证');
    expect(materialNameFor(card, 'foreign-permanent-2017')).toBe('外国人永久居留身份证');
    expect(materialNameFor(card, 'foreign-permanent-2023')).toBe('外国人永久居留身份证');
    expect(materialNameFor(card, 'resident')).toBe('居民身份证');
    expect(materialNameFor(card, null)).toBe('居民身份证');
  });

  it('calls others\' cards 身份证件 for a holder of another card, and leaves every other material alone', () => {
    expect(materialNameFor({ id: 'parent-id-cards', name: '父母双方居民身份证' }, 'hk-mo-tw-residence')).toBe('父母双方身份证件');
    expect(materialNameFor({ id: 'couple-ids', name: '夫妻双方居民身份证' }, 'foreign-permanent-2023')).toBe('夫妻双方身份证件');
    expect(materialNameFor({ id: 'household-register', name: '居民户口簿' }, 'hk-mo-tw-residence')).toBe('居民户口簿');
    expect(materialNameFor({ id: 'legal-rep-id', name: '法定代表人身份证件' }, 'hk-mo-tw-residence')).toBe('法定代表人身份证件');
  });

  it('leaves no material of the catalog asking a non-resident card holder for a 居民身份证', () => {
    for (const cardType of ['hk-mo-tw-residence', 'foreign-permanent-2017', 'foreign-permanent-2023'] as const) {
      for (const { service, material } of allMaterials) expect(materialNameFor(material, cardType), `${service}/${material.id}`).not.toContain('居民身份证');
    }
  });

  it('relies on a catalog convention that holds: every `id-card` material is the applicant\'s 居民身份证', () => {
    const cards = allMaterials.filter(({ material }) => material.id === APPLICANT_CARD_MATERIAL);
    expect(cards.length).toBeGreaterThan(10);
    for (const { service, material } of cards) expect(material.name, service).toBe(CARD_TYPE_NAMES.resident);
  });
});
