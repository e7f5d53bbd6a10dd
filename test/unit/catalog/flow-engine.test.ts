import { describe, expect, it } from 'vitest';
import { Service } from '../../../contract/catalog.js';
import { applicableItems, checkDraft, nextQuestion, requiredMaterials, settledState, visibleFields, visibleQuestions } from '../../../contract/flow.js';

/**
 * A chain of dependent questions and fields: `has-job` → `employer-kind` → item/material/field.
 * Going back and changing `has-job` leaves the old `employer-kind` answer (and the old field values)
 * in the draft, as the screens keep what was typed in case the citizen changes their mind again.
 */
const service = Service.parse({
  id: 'chain',
  code: 'TEST-0001',
  name: '条件链测试事项',
  lifeCycle: 'individual',
  stage: 'work-unemployment',
  summary: '用于测试条件链',
  leadDepartment: { name: '测试部门' },
  items: [
    { name: '基本事项', department: '测试部门' },
    { name: '单位事项', department: '测试部门', when: [{ question: 'employer-kind', equals: 'company' }] },
  ],
  eligibility: '仅供测试使用',
  channel: 'self-service',
  approval: 'review',
  materials: [{ id: 'contract', name: '劳动合同', source: 'photo', when: [{ question: 'employer-kind', equals: 'company' }] }],
  fees: '不收费',
  legalLimitDays: 1,
  promisedLimitDays: 1,
  delivery: ['短信通知'],
  legalBasis: ['《测试条例》'],
  flow: {
    situations: [
      { id: 'has-job', text: '是否在职？', options: [{ value: 'yes', label: '在职' }, { value: 'no', label: '不在职' }] },
      {
        id: 'employer-kind',
        text: '单位类型？',
        options: [{ value: 'company', label: '企业' }, { value: 'government', label: '机关' }],
        when: [{ question: 'has-job', equals: 'yes' }],
      },
      { id: 'follow-up', text: '单位是否缴社保？', options: [{ value: 'yes', label: '是' }, { value: 'no', label: '否' }], when: [{ question: 'employer-kind', equals: 'company' }] },
    ],
    form: [
      { id: 'name', label: '姓名', type: 'text' },
      { id: 'hasAgent', label: '有代理人', type: 'checkbox', required: false, when: [{ question: 'employer-kind', equals: 'company' }] },
      { id: 'agentName', label: '代理人姓名', type: 'text', when: [{ field: 'hasAgent', equals: true }] },
    ],
  },
});

// Answered yes → company → yes, then went back and answered "not employed".
const stale = { 'has-job': 'no', 'employer-kind': 'company', 'follow-up': 'yes' };
const staleForm = { name: '张三', hasAgent: true, agentName: '李四' };

describe('Flow engine', () => {
  it('asks dependent questions in order as answers arrive', () => {
    expect(nextQuestion(service, {})?.id).toBe('has-job');
    expect(nextQuestion(service, { 'has-job': 'yes' })?.id).toBe('employer-kind');
    expect(nextQuestion(service, { 'has-job': 'yes', 'employer-kind': 'company' })?.id).toBe('follow-up');
    expect(nextQuestion(service, { 'has-job': 'yes', 'employer-kind': 'government' })).toBeNull();
  });

  // Regression: a stale answer to a question hidden by an earlier answer kept its dependants visible
  // (visibleQuestions evaluated `when` against every raw answer), so "follow-up" was still asked and
  // checkDraft demanded it although the citizen had said they have no job.
  it('hides questions that depend on a question an earlier answer has hidden', () => {
    expect(visibleQuestions(service, stale).map((question) => question.id)).toEqual(['has-job']);
    expect(nextQuestion(service, stale)).toBeNull();
  });

  it('lets stale answers and values decide no item, material or field', () => {
    const state = { answers: stale, form: staleForm };
    expect(settledState(service, state)).toEqual({ answers: { 'has-job': 'no' }, form: { name: '张三' } });
    expect(applicableItems(service, state).map((item) => item.name)).toEqual(['基本事项']);
    expect(requiredMaterials(service, state)).toEqual([]);
    expect(visibleFields(service, state).map((field) => field.id)).toEqual(['name']);
  });

  it('submits only what the settled situation needs', () => {
    const checked = checkDraft(service, { serviceId: 'chain', answers: stale, form: staleForm, materials: {} });
    expect(checked.ok && checked.value.draft).toEqual({ serviceId: 'chain', answers: { 'has-job': 'no' }, form: { name: '张三' }, materials: {} });
  });

  it('still applies the chain when every link holds', () => {
    const answers = { 'has-job': 'yes', 'employer-kind': 'company', 'follow-up': 'yes' };
    const checked = checkDraft(service, { serviceId: 'chain', answers, form: { name: '张三', hasAgent: true }, materials: {} });
    expect(checked.ok ? [] : checked.problems.map((problem) => problem.target)).toEqual(['field:agentName', 'material:contract']);
  });
});
