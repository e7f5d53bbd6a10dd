import type { AutoApprovalCheck, Service } from '../contract/catalog.js';
import { ageOn } from '../contract/china-time.js';
import { eligibilityProblems } from '../contract/flow.js';
import { checkSatisfies } from '../contract/identity-assurance.js';
import { missingCase } from '../contract/result.js';
import type { SubmitApplicationBody } from '../contract/central/api.js';

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

/** The reason given when a case arrives without the 人证核验 its service asks for (issue 14). */
export const NO_IDENTITY_CHECK_REASON = '申请时未经人证核验，需工作人员核实申请人身份';

/**
 * 秒批: every check passes → approved now; otherwise accepted for manual review, with the reasons. An
 * applicant who fails a published eligibility rule (the same engine the kiosk ran before the form, so this
 * happens only when the kiosk was bypassed or the rule changed meanwhile) is never approved automatically;
 * those reasons alone are given, as the kiosk words them, rather than each again as a 秒批 check.
 *
 * A case without the passed 人证核验 its service's `identityAssurance` asks for (a kiosk from before issue
 * 14, or one whose host was bypassed) is never approved automatically either, whatever the service: it is
 * accepted with NO_IDENTITY_CHECK_REASON, so the staff who review it confirm who applied. Central does not
 * take the kiosk's word that the person at the screen is the card's holder when the kiosk did not say so.
 */
export function decide(service: Service, body: SubmitApplicationBody, context: ApprovalContext): { status: 'approved' | 'accepted'; reasons: string[] } {
  if (!checkSatisfies(service.identityAssurance, body.identityCheck ?? null)) return { status: 'accepted', reasons: [NO_IDENTITY_CHECK_REASON] };
  const rule = service.flow?.autoApproval;
  if (service.approval !== 'instant' || !rule) return { status: 'accepted', reasons: [] };
  const ineligible = eligibilityProblems(service, body.applicant, body.draft.answers, context.today);
  if (ineligible.length > 0) return { status: 'accepted', reasons: ineligible.map((problem) => problem.reason) };
  const reasons = rule.checks.map((check) => checkProblem(check, body, context)).filter((reason): reason is string => reason !== null);
  return reasons.length === 0 ? { status: 'approved', reasons } : { status: 'accepted', reasons };
}
