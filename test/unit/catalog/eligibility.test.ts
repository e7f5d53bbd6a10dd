import { describe, expect, it } from 'vitest';
import type { EligibilityRule, Service } from '../../../contract/catalog.js';
import type { CardType } from '../../../contract/domain.js';
import { ageOn } from '../../../contract/china-time.js';
import { cardDivision, eligibilityProblems, residenceCertainlyOutside, settledState, type EligibilityFacts } from '../../../contract/flow.js';
import { decide, NO_IDENTITY_CHECK_REASON } from '../../../central/approval.js';
import type { SubmitApplicationBody } from '../../../contract/central/api.js';
import { loadCatalog } from '../../../catalog/load.js';
import { idNumber } from './flow-walk.js';

const catalog = loadCatalog();
const TODAY = '2026-12-01';
const byId = (id: string): Service => {
  const service = catalog.services.find((candidate) => candidate.id === id);
  if (!service) throw new Error(`no service ${id}`);
  return service;
};
const withRules = catalog.services.filter((service) => (service.flow?.eligibilityRules.length ?? 0) > 0);

/** A birth date that makes someone exactly `years` old on TODAY (their birthday was a month ago). */
const bornYearsAgo = (years: number): string => `${2026 - years}-11-01`;

/** Facts that pass every rule of the service: a Taian resident of an age inside every age rule. */
function eligibleFacts(service: Service): EligibilityFacts {
  const rules = service.flow?.eligibilityRules ?? [];
  const minimum = Math.max(18, ...rules.flatMap((rule) => (rule.kind === 'min-age' ? [rule.years] : [])));
  const birthDate = bornYearsAgo(minimum + 1);
  return { cardType: 'resident', birthDate, idNumber: idNumber('370902', birthDate.replaceAll('-', '')), address: '山东省泰安市泰山区东岳大街88号', expired: false };
}

/** The same person changed just enough to fail this one rule. */
function failing(rule: EligibilityRule, facts: EligibilityFacts): EligibilityFacts {
  switch (rule.kind) {
    case 'min-age':
      return { ...facts, birthDate: `${2026 - rule.years}-12-02` };
    case 'max-age':
      return { ...facts, birthDate: bornYearsAgo(rule.years + 1) };
    case 'residence-division':
      return { ...facts, idNumber: idNumber('110101', facts.birthDate.replaceAll('-', '')), address: '北京市东城区东华门街道1号' };
    case 'card-valid':
      return { ...facts, expired: true };
    case 'card-type': {
      const other = (['resident', 'hk-mo-tw-residence', 'foreign-permanent-2023'] as CardType[]).find((type) => !rule.cardTypes.includes(type));
      if (!other) throw new Error('a card-type rule that admits every card decides nothing');
      return { ...facts, cardType: other };
    }
  }
}

/** Answers that make the rule apply: each question of its `when` answered as it asks, others as their first option. */
function answersFor(service: Service, rule: EligibilityRule): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const condition of rule.when ?? []) if ('question' in condition) answers[condition.question] = 'equals' in condition ? condition.equals : (condition.in[0] ?? '');
  for (const question of service.flow?.situations ?? []) answers[question.id] ??= question.options[0]?.value ?? '';
  return answers;
}

describe('Eligibility rules in the flow engine', () => {
  it('are carried by the services whose published conditions the card decides', () => {
    expect(withRules.map((service) => service.id).sort()).toEqual([
      'hk-macao-endorsement',
      'individual-business-registration',
      'longevity-allowance',
      'resident-medical-insurance-enrolment',
      'resident-pension-enrolment',
      'senior-preferential-card',
      'veteran-preferential-card',
    ]);
  });

  describe.each(withRules.map((service) => [service.id, service] as const))('%s', (_id, service) => {
    const rules = service.flow?.eligibilityRules ?? [];

    it('lets an eligible applicant through, with the answers each rule depends on', () => {
      for (const rule of rules) expect(eligibilityProblems(service, eligibleFacts(service), answersFor(service, rule), TODAY)).toEqual([]);
    });

    it.each(rules.map((rule, index) => [`${index}: ${rule.kind}`, rule] as const))('tells an applicant who fails rule %s why, and what to do instead', (_name, rule) => {
      const problems = eligibilityProblems(service, failing(rule, eligibleFacts(service)), answersFor(service, rule), TODAY);
      expect(problems.map((problem) => problem.rule)).toContainEqual(rule);
      const problem = problems.find((candidate) => candidate.rule === rule);
      expect(problem?.reason).toMatch(/^[^a-zA-Z]+$/);
      expect(problem?.instead).toBe(rule.instead);
      expect(problem?.alternatives).toEqual(rule.alternatives);
    });
  });

  // Issue 9 item 8: a 35-year-old completed the whole 老年人优待证 flow and only then read 申请人未满60周岁.
  it('tells a 35-year-old before the form that 老年人优待证 needs 60, and what to do instead', () => {
    const thirtyFive: EligibilityFacts = { cardType: 'resident', birthDate: '1991-08-22', idNumber: idNumber('370911', '19910822'), address: '山东省泰安市岱岳区粥店街道龙潭路66号', expired: false };
    const [problem, ...rest] = eligibilityProblems(byId('senior-preferential-card'), thirtyFive, {}, TODAY);
    expect(rest).toEqual([]);
    expect(problem?.reason).toBe('老年人优待证办理需年满60周岁。');
    expect(problem?.instead).toContain('老人');
  });

  it('counts age in 周岁 at the Beijing date: not on the eve of the 60th birthday, yes on the day', () => {
    const senior = byId('senior-preferential-card');
    const facts = (birthDate: string): EligibilityFacts => ({ cardType: 'resident', birthDate, idNumber: idNumber('370902', birthDate.replaceAll('-', '')), address: '山东省泰安市泰山区', expired: false });
    expect(eligibilityProblems(senior, facts('1966-12-02'), {}, TODAY).map((problem) => problem.rule.kind)).toEqual(['min-age']);
    expect(eligibilityProblems(senior, facts('1966-12-01'), {}, TODAY)).toEqual([]);
    expect(ageOn('1964-02-29', '2026-02-28')).toBe(61);
    expect(ageOn('1964-02-29', '2026-03-01')).toBe(62);
  });

  it('takes 户籍 as certainly elsewhere only when neither the number nor the address names the division', () => {
    const base: EligibilityFacts = { cardType: 'resident', birthDate: '1950-01-01', idNumber: idNumber('110101', '19500101'), address: '北京市东城区', expired: false };
    expect(residenceCertainlyOutside(base, '3709')).toBe(true);
    // Born and numbered in Beijing, 户籍 moved to 肥城 before the card was issued: the address says so.
    expect(residenceCertainlyOutside({ ...base, address: '山东省肥城市新城街道龙山路18号' }, '3709')).toBe(false);
    expect(residenceCertainlyOutside({ ...base, address: undefined }, '3709')).toBe(false);
    expect(residenceCertainlyOutside({ ...base, idNumber: idNumber('370983', '19500101') }, '370900')).toBe(false);
    expect(residenceCertainlyOutside({ ...base, address: '山东省泰安市岱岳区' }, '370902')).toBe(true);
    // 港澳台 and foreigners' cards carry no 户籍 at all, whatever their residence address.
    expect(residenceCertainlyOutside({ ...base, cardType: 'hk-mo-tw-residence', idNumber: idNumber('810000', '19500101'), address: '山东省泰安市泰山区' }, '3709')).toBe(true);
    // Divisions whose place names are not known here are left to central.
    expect(residenceCertainlyOutside({ ...base, address: '山东省济南市历下区' }, '37')).toBe(false);
  });

  it('prefills 户籍所在区县 from the card: the county its address names, else its number, never a guess', () => {
    const card = { cardType: 'resident' as const, idNumber: idNumber('370902', '19500101'), address: '山东省肥城市新城街道龙山路18号' };
    expect(cardDivision(card)).toBe('370983');
    expect(cardDivision({ ...card, address: '山东省泰安市宁阳县文庙街道八仙桥路21号' })).toBe('370921');
    expect(cardDivision({ ...card, address: '山东省泰安市东岳大街1号' })).toBe('370902');
    expect(cardDivision({ ...card, idNumber: idNumber('110101', '19500101'), address: '北京市东城区' })).toBeUndefined();
    expect(cardDivision({ ...card, cardType: 'hk-mo-tw-residence', address: '山东省泰安市泰山区' })).toBeUndefined();
  });

  it('decides an answer-dependent rule only once its answers are given, and ignores answers no longer shown', () => {
    const insurance = byId('resident-medical-insurance-enrolment');
    const fromBeijing: EligibilityFacts = { cardType: 'resident', birthDate: '1990-01-01', idNumber: idNumber('110101', '19900101'), address: '北京市东城区', expired: false };
    expect(eligibilityProblems(insurance, fromBeijing, {}, TODAY)).toEqual([]);
    expect(eligibilityProblems(insurance, fromBeijing, { 'hukou-local': 'yes', assisted: 'no' }, TODAY)).toEqual([]);
    const answered = { 'hukou-local': 'yes', assisted: 'no', 'insured-person': 'self' };
    expect(eligibilityProblems(insurance, fromBeijing, answered, TODAY).map((problem) => problem.alternatives)).toEqual([['residence-permit']]);
    expect(eligibilityProblems(insurance, fromBeijing, { ...answered, 'hukou-local': 'no' }, TODAY)).toEqual([]);
    expect(eligibilityProblems(insurance, fromBeijing, { ...answered, 'insured-person': 'child' }, TODAY)).toEqual([]);
    expect(settledState(insurance, { answers: answered, form: {} }).answers).toEqual(answered);
  });

  it('lists every rule a card fails, so a 港澳台 card hears both why and what instead', () => {
    const chen: EligibilityFacts = { cardType: 'hk-mo-tw-residence', birthDate: '1950-03-15', idNumber: idNumber('810000', '19500315'), address: '山东省泰安市泰山区泰山大街366号', expired: false };
    expect(eligibilityProblems(byId('senior-preferential-card'), chen, {}, TODAY).map((problem) => problem.rule.kind)).toEqual(['card-type', 'residence-division']);
  });

  it('agrees with central: an ineligible applicant is never approved at once, for the reasons the kiosk gave', () => {
    const senior = byId('senior-preferential-card');
    const body = (birthDate: string): SubmitApplicationBody => ({
      localNumber: 'TA-TEST-0001-20261201-0001',
      serviceId: senior.id,
      draft: { serviceId: senior.id, answers: {}, form: { division: '370902' }, materials: {} },
      applicant: { cardType: 'resident', idNumber: idNumber('370902', birthDate.replaceAll('-', '')), name: '测试', sex: 'female', birthDate, validTo: null, expired: false },
      identitySource: 'id-card',
      identityCheck: { method: 'face', outcome: 'passed' },
      submittedAt: '2026-12-01T02:00:00Z',
    });
    const context = { today: TODAY, hasOpenCase: false };
    expect(decide(senior, body('1991-08-22'), context)).toEqual({ status: 'accepted', reasons: ['老年人优待证办理需年满60周岁。'] });
    expect(decide(senior, body('1950-08-22'), context)).toEqual({ status: 'approved', reasons: [] });
    // 人工核验 by staff satisfies card+face-or-staff as a face check does.
    expect(decide(senior, { ...body('1950-08-22'), identityCheck: { method: 'staff', staffNumber: '0001', outcome: 'passed' } }, context)).toEqual({ status: 'approved', reasons: [] });
  });

  it('never approves at once a case that arrives without the 人证核验 its service asks for, and says why', () => {
    const senior = byId('senior-preferential-card');
    expect(senior.identityAssurance).not.toBe('card');
    const unchecked: SubmitApplicationBody = {
      localNumber: 'TA-TEST-0001-20261201-0002',
      serviceId: senior.id,
      draft: { serviceId: senior.id, answers: {}, form: { division: '370902' }, materials: {} },
      applicant: { cardType: 'resident', idNumber: idNumber('370902', '19500822'), name: '测试', sex: 'female', birthDate: '1950-08-22', validTo: null, expired: false },
      identitySource: 'id-card',
      submittedAt: '2026-12-01T02:00:00Z',
    };
    expect(decide(senior, unchecked, { today: TODAY, hasOpenCase: false })).toEqual({ status: 'accepted', reasons: [NO_IDENTITY_CHECK_REASON] });
    const reviewed = catalog.services.find((service) => service.approval !== 'instant' && service.identityAssurance !== 'card');
    expect(reviewed).toBeDefined();
    if (reviewed) expect(decide(reviewed, { ...unchecked, serviceId: reviewed.id }, { today: TODAY, hasOpenCase: false }).reasons).toEqual([NO_IDENTITY_CHECK_REASON]);
  });
});
