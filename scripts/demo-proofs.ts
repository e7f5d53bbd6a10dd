import { isValidIdNumber } from '../contract/validators/gb11643.js';
import type { DemoPerson } from '../central/proofs/demo.js';
import { GB3304_NATIONS } from '../drivers/protocols/gb-codes.js';
import { ID_CARD_DECK } from '../drivers/simulators/id-card-deck.js';

/**
 * The demo population central issues proofs for (issue 15): every 居民身份证 of the demo card deck with a
 * valid number. The first card's holder (张建华) is the 法定代表人 of a demo company, so the enterprise
 * proofs print for that card and are refused, with the reason, for every other card.
 */
export function demoProofPopulation(): DemoPerson[] {
  const people: DemoPerson[] = [];
  for (const card of ID_CARD_DECK) {
    const fields = card.fields;
    if (fields.cardType !== 'resident' || !isValidIdNumber(fields.idNumber)) continue;
    const birth = fields.birth;
    people.push({
      idNumber: fields.idNumber,
      name: fields.name,
      sex: fields.sexCode === '2' ? 'female' : 'male',
      birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
      ethnicity: GB3304_NATIONS[fields.nationCode] ?? '汉族',
      address: fields.address,
      ...(people.length === 0 ? { enterprise: { name: '泰安市岱宗商贸有限公司', address: '山东省泰安市泰山区财源街道东岳大街128号' } } : {}),
    });
  }
  return people;
}
