import type { LifeCycle, Stage } from '../contract/catalog.js';

/**
 * The life-cycle stages of 双全双百 (DOMAIN.md §1), in the order the browse screens show them.
 * Groups (企业准营, 教育, …) carry no services; every leaf must carry at least one (`catalog:check`).
 * Ids are stable: services, central's statistics and the kiosk's cached catalog refer to them, so
 * rename a stage's `name`, never its `id`.
 */
export const STAGES: readonly Stage[] = [
  // ── Enterprise: from opening to exit ──
  { id: 'enterprise-opening', name: '企业开办', lifeCycle: 'enterprise' },
  { id: 'enterprise-permit', name: '企业准营', lifeCycle: 'enterprise' },
  { id: 'enterprise-permit-production', name: '生产许可办理', lifeCycle: 'enterprise', parent: 'enterprise-permit' },
  { id: 'enterprise-permit-business', name: '经营许可办理', lifeCycle: 'enterprise', parent: 'enterprise-permit' },
  { id: 'enterprise-permit-social-service', name: '社会服务许可办理', lifeCycle: 'enterprise', parent: 'enterprise-permit' },
  { id: 'enterprise-operation', name: '企业运营', lifeCycle: 'enterprise' },
  { id: 'enterprise-operation-employee', name: '员工保障', lifeCycle: 'enterprise', parent: 'enterprise-operation' },
  { id: 'enterprise-operation-tax', name: '纳税服务', lifeCycle: 'enterprise', parent: 'enterprise-operation' },
  { id: 'enterprise-operation-property', name: '财产登记', lifeCycle: 'enterprise', parent: 'enterprise-operation' },
  { id: 'enterprise-operation-subsidy', name: '扶持补贴', lifeCycle: 'enterprise', parent: 'enterprise-operation' },
  { id: 'enterprise-construction', name: '投资建设', lifeCycle: 'enterprise' },
  { id: 'enterprise-construction-project', name: '投资立项', lifeCycle: 'enterprise', parent: 'enterprise-construction' },
  { id: 'enterprise-construction-planning', name: '规划许可', lifeCycle: 'enterprise', parent: 'enterprise-construction' },
  { id: 'enterprise-construction-permit', name: '施工许可', lifeCycle: 'enterprise', parent: 'enterprise-construction' },
  { id: 'enterprise-construction-acceptance', name: '竣工验收', lifeCycle: 'enterprise', parent: 'enterprise-construction' },
  { id: 'enterprise-change', name: '企业变更', lifeCycle: 'enterprise' },
  { id: 'enterprise-exit', name: '企业注销', lifeCycle: 'enterprise' },

  // ── Individual: from birth to after death ──
  { id: 'birth', name: '出生', lifeCycle: 'individual' },
  { id: 'education', name: '教育', lifeCycle: 'individual' },
  { id: 'education-enrolment', name: '入学', lifeCycle: 'individual', parent: 'education' },
  { id: 'education-transfer', name: '转学', lifeCycle: 'individual', parent: 'education' },
  { id: 'education-aid', name: '助学', lifeCycle: 'individual', parent: 'education' },
  { id: 'education-graduation', name: '毕业', lifeCycle: 'individual', parent: 'education' },
  { id: 'veteran', name: '退役', lifeCycle: 'individual' },
  { id: 'work', name: '工作', lifeCycle: 'individual' },
  { id: 'work-qualification', name: '职业资格', lifeCycle: 'individual', parent: 'work' },
  { id: 'work-talent', name: '人才引进', lifeCycle: 'individual', parent: 'work' },
  { id: 'work-social-security', name: '社会保障', lifeCycle: 'individual', parent: 'work' },
  { id: 'work-unemployment', name: '失业', lifeCycle: 'individual', parent: 'work' },
  { id: 'housing', name: '置业', lifeCycle: 'individual' },
  { id: 'housing-new', name: '购置新房', lifeCycle: 'individual', parent: 'housing' },
  { id: 'housing-second-hand', name: '购置二手房', lifeCycle: 'individual', parent: 'housing' },
  { id: 'housing-rental', name: '租赁住房', lifeCycle: 'individual', parent: 'housing' },
  { id: 'housing-rural', name: '建设农房', lifeCycle: 'individual', parent: 'housing' },
  { id: 'housing-provident-fund', name: '公积金', lifeCycle: 'individual', parent: 'housing' },
  { id: 'travel', name: '出行', lifeCycle: 'individual' },
  { id: 'travel-traffic', name: '交通', lifeCycle: 'individual', parent: 'travel' },
  { id: 'travel-exit-entry', name: '出入境', lifeCycle: 'individual', parent: 'travel' },
  { id: 'marriage-childbearing', name: '婚育', lifeCycle: 'individual' },
  { id: 'medical', name: '就医', lifeCycle: 'individual' },
  { id: 'medical-service', name: '医疗服务', lifeCycle: 'individual', parent: 'medical' },
  { id: 'medical-settlement', name: '就医结算', lifeCycle: 'individual', parent: 'medical' },
  { id: 'assistance', name: '救助', lifeCycle: 'individual' },
  { id: 'assistance-disability', name: '残疾人救助', lifeCycle: 'individual', parent: 'assistance' },
  { id: 'assistance-hardship', name: '困难人员救助', lifeCycle: 'individual', parent: 'assistance' },
  { id: 'elderly-care', name: '养老', lifeCycle: 'individual' },
  { id: 'after-death', name: '身后', lifeCycle: 'individual' },
  { id: 'after-death-funeral', name: '后事', lifeCycle: 'individual', parent: 'after-death' },
  { id: 'after-death-inheritance', name: '继承', lifeCycle: 'individual', parent: 'after-death' },
];

/** Stages that carry services: those no other stage names as its parent. */
export function leafStages(stages: readonly Stage[] = STAGES): Stage[] {
  const parents = new Set(stages.flatMap((stage) => (stage.parent === undefined ? [] : [stage.parent])));
  return stages.filter((stage) => !parents.has(stage.id));
}

/** Top-level stages of one life cycle (groups and top-level leaves), in browse order. */
export function topStages(lifeCycle: LifeCycle, stages: readonly Stage[] = STAGES): Stage[] {
  return stages.filter((stage) => stage.lifeCycle === lifeCycle && stage.parent === undefined);
}

/** Direct children of a group stage, in browse order. */
export function childStages(parentId: string, stages: readonly Stage[] = STAGES): Stage[] {
  return stages.filter((stage) => stage.parent === parentId);
}
