import { describe, expect, it } from 'vitest';
import type { Service } from '../../../contract/catalog.js';
import { ApplicationDraft } from '../../../contract/domain.js';
import {
  applicableItems,
  checkDraft,
  fieldProblem,
  prefillForm,
  requiredMaterials,
  visibleFields,
  visibleQuestions,
} from '../../../contract/flow.js';
import { loadCatalog } from '../../../catalog/load.js';
import { CARD, PROFILE, SIGNATURE, answerPaths, completeDraft, provisionFor, validValue } from './flow-walk.js';

const catalog = loadCatalog();
const selfService = catalog.services.filter((service) => service.flow !== undefined);
const byId = (id: string): Service => {
  const service = catalog.services.find((candidate) => candidate.id === id);
  if (!service) throw new Error(`no service ${id}`);
  return service;
};

/** What a set of answers decides: items, materials and fields, as comparable text. */
function outcome(service: Service, answers: Record<string, string>): string {
  const state = { answers, form: {} };
  return JSON.stringify([
    applicableItems(service, state).map((item) => item.name),
    requiredMaterials(service, state).map((material) => material.id),
    visibleFields(service, state).map((field) => field.id),
  ]);
}

describe('Catalog self-service flows', () => {
  it('has a flow for every self-service application and for no other (a 查询打印 proof or a 办件查询 query submits nothing)', () => {
    expect(selfService.length).toBeGreaterThanOrEqual(20);
    for (const service of catalog.services) expect(service.flow !== undefined, service.id).toBe(service.channel === 'self-service' && service.kind === 'application');
  });

  describe.each(selfService.map((service) => [service.id, service] as const))('%s', (_id, service) => {
    const paths = answerPaths(service);

    it('accepts a complete draft on every answer path', () => {
      for (const answers of paths) {
        const draft = completeDraft(service, answers);
        expect(ApplicationDraft.safeParse(draft).success).toBe(true);
        const checked = checkDraft(service, draft);
        if (!checked.ok) throw new Error(`${JSON.stringify(answers)}: ${JSON.stringify(checked.problems)}`);
        expect(checked.value.items).toEqual(applicableItems(service, draft).map((item) => item.name));
        expect(checked.value.items.length).toBeGreaterThan(0);
        expect(Object.keys(checked.value.draft.form).sort()).toEqual(visibleFields(service, draft).map((field) => field.id).sort());
        expect(Object.keys(checked.value.draft.materials).sort()).toEqual(requiredMaterials(service, draft).map((material) => material.id).sort());
        expect(checked.value.needsSignature).toBe(draft.signature !== undefined);
      }
    });

    it('prefills only values its fields accept', () => {
      const form = prefillForm(service, CARD, PROFILE);
      for (const field of service.flow?.form ?? []) {
        if (form[field.id] !== undefined) expect(fieldProblem(field, form[field.id]), field.id).toBeNull();
      }
    });

    it('reports every missing required field, material and the signature of an empty draft', () => {
      const [answers = {}] = paths;
      const checked = checkDraft(service, { serviceId: service.id, answers, form: {}, materials: {} });
      expect(checked.ok).toBe(false);
      if (checked.ok) return;
      const targets = checked.problems.map((problem) => problem.target);
      for (const field of visibleFields(service, { answers, form: {} }).filter((candidate) => candidate.required)) {
        expect(targets).toContain(`field:${field.id}`);
      }
      for (const material of requiredMaterials(service, { answers, form: {} })) expect(targets).toContain(`material:${material.id}`);
    });

    it('refuses a committed material without a signature', () => {
      const path = paths.find((answers) => requiredMaterials(service, { answers, form: {} }).some((material) => material.commitmentAllowed || material.source === 'commitment'));
      if (!path) return expect(service.flow?.commitmentText).toBeUndefined();
      const { signature: _signature, ...unsigned } = completeDraft(service, path);
      const checked = checkDraft(service, unsigned);
      expect(checked.ok ? [] : checked.problems.map((problem) => problem.target)).toEqual(['signature']);
    });

    it('lets a different answer change what the citizen must do', () => {
      // The loader refuses questions that decide nothing; here the decision is observed through the engine.
      const questions = service.flow?.situations ?? [];
      if (questions.length === 0) return expect(paths).toEqual([{}]);
      const outcomes = new Set(paths.map((answers) => outcome(service, answers)));
      const decidesAutoApproval = service.flow?.autoApproval?.checks.some((check) => check.kind === 'answer') ?? false;
      expect(outcomes.size > 1 || decidesAutoApproval).toBe(true);
    });
  });
});

describe('Catalog flow: senior-preferential-card', () => {
  const service = byId('senior-preferential-card');

  it('is an instant elderly-care item issuing an e-certificate to print', () => {
    expect(service).toMatchObject({ lifeCycle: 'individual', stage: 'elderly-care', channel: 'self-service', approval: 'instant' });
    expect(service.flow?.autoApproval).toEqual({
      checks: [{ kind: 'min-age', years: 60 }, { kind: 'residence-division', prefix: '3709' }, { kind: 'card-valid' }],
      resultTitle: '老年人优待证（电子证）',
    });
    expect(service.delivery).toContain('自助打印');
  });

  it('asks nothing, and prefills every field from the card and the profile, the 户籍 county included', () => {
    expect(visibleQuestions(service, {})).toEqual([]);
    expect(prefillForm(service, CARD, PROFILE)).toEqual({
      applicantName: CARD.name,
      idNumber: CARD.idNumber,
      mobile: PROFILE.mobile,
      division: '370902',
      address: CARD.address,
    });
    const checked = checkDraft(service, completeDraft(service, {}));
    expect(checked.ok && checked.value.draft.form.division).toBe('370902');
  });

  it('needs no paper: ID card and photo from shared data, household register as e-licence', () => {
    expect(service.materials.map((material) => [material.name, material.source])).toEqual([
      ['居民身份证', 'shared-data'],
      ['近期免冠照片', 'shared-data'],
      ['居民户口簿', 'e-licence'],
    ]);
  });
});

describe('Catalog flow: birth-one-thing', () => {
  const service = byId('birth-one-thing');
  const base = { married: 'yes', 'same-county': 'yes', 'social-security-card': 'yes' };

  it('bundles the social security card only when asked for', () => {
    const withCard = applicableItems(service, { answers: base, form: {} }).map((item) => item.name);
    const withoutCard = applicableItems(service, { answers: { ...base, 'social-security-card': 'no' }, form: {} }).map((item) => item.name);
    expect(withCard).toContain('社会保障卡申领');
    expect(withoutCard).not.toContain('社会保障卡申领');
    expect(withoutCard).toEqual(expect.arrayContaining(['出生医学证明办理', '预防接种证办理', '出生户口登记', '城乡居民基本医疗保险参保登记']));
  });

  it('asks which parent to register with, and a consent, only when parents live in different counties', () => {
    const apart = { ...base, 'same-county': 'no' };
    expect(visibleFields(service, { answers: apart, form: {} }).map((field) => field.id)).toContain('registerWith');
    expect(visibleFields(service, { answers: base, form: {} }).map((field) => field.id)).not.toContain('registerWith');
    expect(requiredMaterials(service, { answers: apart, form: {} }).map((material) => material.id)).toContain('other-parent-consent');
  });

  it('replaces the marriage certificate by a signed commitment, and asks unmarried parents for a statement', () => {
    const married = completeDraft(service, base);
    expect(married.materials['marriage-certificate']).toEqual({ kind: 'commitment' });
    expect(married.signature).toBe(SIGNATURE);
    const unmarried = requiredMaterials(service, { answers: { ...base, married: 'no' }, form: {} }).map((material) => material.id);
    expect(unmarried).toContain('non-marital-statement');
    expect(unmarried).not.toContain('marriage-certificate');
  });

  it('accepts the marriage certificate as an e-licence without any signature', () => {
    const draft = completeDraft(service, base, false);
    expect(draft.signature).toBeUndefined();
    const checked = checkDraft(service, draft);
    expect(checked.ok && checked.value.needsSignature).toBe(false);
  });
});

describe('Catalog flow: enterprise-opening-one-thing', () => {
  const service = byId('enterprise-opening-one-thing');

  it('adds employee insurance and housing fund registration when the company hires', () => {
    const hiring = checkDraft(service, completeDraft(service, { 'entity-type': 'company', 'need-invoice': 'yes', 'has-employees': 'yes' }));
    const solo = checkDraft(service, completeDraft(service, { 'entity-type': 'company', 'need-invoice': 'no', 'has-employees': 'no' }));
    expect(hiring.ok && hiring.value.items).toEqual(['企业设立登记', '公章刻制备案', '发票申领（新办纳税人套餐）', '员工参保登记', '住房公积金单位缴存登记']);
    expect(solo.ok && solo.value.items).toEqual(['企业设立登记', '公章刻制备案']);
    expect(hiring.ok && hiring.value.draft.form.depositBaseAmount).toBe('1000.50');
    expect(solo.ok && solo.value.draft.form).not.toHaveProperty('depositBaseAmount');
  });

  it('asks a company for articles and capital, a partnership for its agreement and contribution', () => {
    const company = { 'entity-type': 'company', 'need-invoice': 'no', 'has-employees': 'no' };
    const partnership = { ...company, 'entity-type': 'partnership' };
    expect(requiredMaterials(service, { answers: company, form: {} }).map((material) => material.id)).toContain('articles');
    expect(requiredMaterials(service, { answers: partnership, form: {} }).map((material) => material.id)).toContain('partnership-agreement');
    expect(visibleFields(service, { answers: company, form: {} }).map((field) => field.id)).toContain('registeredCapital');
    expect(visibleFields(service, { answers: partnership, form: {} }).map((field) => field.id)).toContain('investmentAmount');
  });

  it('takes 经营范围 from the 规范表述 catalogue as option buttons, words of its own only as an optional extra (it was one free-text field)', () => {
    const answers = { 'entity-type': 'company', 'need-invoice': 'no', 'has-employees': 'no' };
    const fields = visibleFields(service, { answers, form: {} });
    expect(fields.filter((field) => field.type === 'text' && field.required).map((field) => field.id)).not.toContain('businessScopeOther');
    expect(fields.find((field) => field.id === 'businessScopeItems')?.type).toBe('multi-select');
    const draft = completeDraft(service, answers);
    const chosen = { ...draft, form: { ...draft.form, businessScopeItems: ['软件开发', '企业管理咨询'] } };
    expect(checkDraft(service, chosen).ok).toBe(true);
    const none = checkDraft(service, { ...draft, form: { ...draft.form, businessScopeItems: [], businessScopeOther: '软件开发' } });
    expect(none.ok ? [] : none.problems.map((problem) => problem.target)).toEqual(['field:businessScopeItems']);
    const unknown = checkDraft(service, { ...draft, form: { ...draft.form, businessScopeItems: ['炒股'] } });
    expect(unknown.ok ? [] : unknown.problems.map((problem) => problem.target)).toEqual(['field:businessScopeItems']);
  });

  it('rejects an invalid credit code for a corporate shareholder', () => {
    const draft = completeDraft(service, { 'entity-type': 'company', 'need-invoice': 'no', 'has-employees': 'no' });
    const checked = checkDraft(service, { ...draft, form: { ...draft.form, parentCreditCode: '91370902MA3CAB12L0' } });
    expect(checked.ok ? [] : checked.problems.map((problem) => problem.target)).toEqual(['field:parentCreditCode']);
  });
});

describe('Catalog flow: out-of-town-medical-filing', () => {
  const service = byId('out-of-town-medical-filing');

  it('takes a commitment instead of a residence proof for long-term stays, and needs none for referrals', () => {
    const longTerm = requiredMaterials(service, { answers: { 'filing-kind': 'long-term', 'cross-province': 'yes' }, form: {} });
    const referral = requiredMaterials(service, { answers: { 'filing-kind': 'referral', 'cross-province': 'yes' }, form: {} });
    const residence = longTerm.find((material) => material.id === 'residence-proof');
    expect(residence && provisionFor(residence)).toEqual({ kind: 'commitment' });
    expect(referral.map((material) => material.id)).toEqual(['id-card', 'social-security-card', 'referral']);
  });

  it('files across provinces or within Shandong by the answer', () => {
    const items = (crossProvince: string) =>
      applicableItems(service, { answers: { 'filing-kind': 'temporary', 'cross-province': crossProvince }, form: {} }).map((item) => item.name);
    expect(items('yes')).toEqual(['跨省异地就医备案']);
    expect(items('no')).toEqual(['省内异地就医备案']);
  });
});

describe('Catalog flow: death-one-thing', () => {
  it('adds housing fund, disability card and veteran items by the answers', () => {
    const service = byId('death-one-thing');
    const none = { 'death-place': 'home', 'has-fund': 'no', 'had-disability': 'no', 'was-veteran': 'no' };
    const all = { 'death-place': 'hospital', 'has-fund': 'yes', 'had-disability': 'yes', 'was-veteran': 'yes' };
    const names = (answers: Record<string, string>) => applicableItems(service, { answers, form: {} }).map((item) => item.name);
    expect(names(all).length - names(none).length).toBe(3);
    expect(visibleFields(service, { answers: all, form: {} }).map((field) => field.id)).toContain('hospital');
    expect(visibleFields(service, { answers: none, form: {} }).map((field) => field.id)).not.toContain('hospital');
  });

  it('fills the deceased person’s ID number with a valid GB 11643 number', () => {
    const field = byId('death-one-thing').flow?.form.find((candidate) => candidate.id === 'deceasedIdNumber');
    expect(field && fieldProblem(field, validValue(field))).toBeNull();
  });
});
