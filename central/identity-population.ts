import type { IdentityCard } from '../contract/domain.js';
import { gb11643CheckChar } from '../contract/validators/gb11643.js';

/**
 * The reference central's demo population for 电子身份码 (issue 14): invented people with Taian division
 * codes (GB/T 2260 3709xx) and computed GB 11643 check characters, as the province's 人口库 would answer
 * for a verified code. A real central asks the provincial platform instead.
 */
const id = (first17: string) => first17 + gb11643CheckChar(first17);

export const DEMO_POPULATION: readonly IdentityCard[] = [
  {
    cardType: 'resident',
    name: '赵春华',
    sex: 'female',
    nation: '汉',
    birthDate: '1988-04-12',
    address: '山东省泰安市泰山区东岳大街 66 号',
    idNumber: id('37090219880412002'),
    issuingAuthority: '泰安市公安局泰山分局',
    validFrom: '2019-05-01',
    validTo: '2039-05-01',
    expired: false,
    hasPhoto: false,
  },
  {
    cardType: 'resident',
    name: '刘建国',
    sex: 'male',
    nation: '汉',
    birthDate: '1952-09-30',
    address: '山东省泰安市岱岳区粥店街道 18 号',
    idNumber: id('37091119520930003'),
    issuingAuthority: '泰安市公安局岱岳分局',
    validFrom: '2012-03-15',
    validTo: null,
    expired: false,
    hasPhoto: false,
  },
];
