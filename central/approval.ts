import type { AutoApprovalCheck, Service } from '../contract/catalog.js';
import { missingCase } from '../contract/result.js';
import type { SubmitApplicationBody } from '../contract/central/api.js';

/** Whole years between an ISO birth date and `today` (YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export interface ApprovalContext {
  /** Beijing date, YYYY-MM-DD. */
  today: string;
  /**
   * Whether the applicant already has an accepted or queued case of this service. Read from the store
   * before deciding, and only when `asksForOpenCase(service)`: otherwise pass false, it is not consulted.
   */
  hasOpenCase: boolean;
}

/** Whether deciding on this service reads `hasOpenCase` (its 秒批 rule checks for an open case). */
export function asksForOpenCase(service: Service): boolean {
  return service.approval === 'instant' && (service.flow?.autoApproval?.checks.some((check) => check.kind === 'no-open-case') ?? false);
}

/** Plain-Chinese reason a check failed, or null when it passes. */
function checkProblem(check: AutoApprovalCheck, body: SubmitApplicationBody, context: ApprovalContext): string | null {
  const { applicant } = body;
  switch (check.kind) {
    case 'min-age':
      return ageOn(applicant.birthDate, context.today) >= check.years ? null : `申请人未满${check.years}周岁`;
    case 'max-age':
      return ageOn(applicant.birthDate, context.today) <= check.years ? null : `申请人超过${check.years}周岁`;
    case 'residence-division': {
      const division = typeof body.draft.form.division === 'string' ? body.draft.form.division : applicant.idNumber.slice(0, 6);
      return division.startsWith(check.prefix) ? null : '申请人常住地不在本市';
    }
    case 'card-valid':
      return applicant.expired ? '身份证件已过有效期' : null;
    case 'no-open-case':
      return context.hasOpenCase ? '已有正在办理的同类申请' : null;
    case 'answer':
      return body.draft.answers[check.question] === check.equals ? null : '所选情形需人工审核';
    default:
      throw missingCase(check);
  }
}

/** 秒批: every check passes → approved now; otherwise accepted for manual review, with the reasons. */
export function decide(service: Service, body: SubmitApplicationBody, context: ApprovalContext): { status: 'approved' | 'accepted'; reasons: string[] } {
  const rule = service.flow?.autoApproval;
  if (service.approval !== 'instant' || !rule) return { status: 'accepted', reasons: [] };
  const reasons = rule.checks.map((check) => checkProblem(check, body, context)).filter((reason): reason is string => reason !== null);
  return reasons.length === 0 ? { status: 'approved', reasons } : { status: 'accepted', reasons };
}
