import type { Handlers } from '../contract/derive.js';
import { fail, ok } from '../contract/result.js';
import { CENTRAL_PATHS, IdentityCodeIssued } from '../contract/central/api.js';
import type { CentralClient } from './services/central-client.js';
import type { Logger } from './services/log.js';
import type { SessionService } from './services/session.js';
import type { AuditSink, StaffAuth } from './services/staff-auth.js';

/** The channels of 人证核验 and 电子身份码 (issue 14); host/main.ts merges them with the rest. */
export type IdentityChannel = 'identity:staff-check' | 'identity:face-outcome' | 'simulator:show-identity-code';

export interface IdentityServices {
  auth: StaffAuth;
  session: SessionService;
  audit: AuditSink;
  log: Logger;
  client: CentralClient;
  /** Demo mode's phone at the scanner: sends text as a scanned code; null outside demo mode. */
  showToScanner: ((text: string) => boolean) | null;
}

const NO_IDENTITY = '请先将身份证放在读卡区，或出示电子身份码。';
const NOT_DEMO = fail('not-demo', '仅演示模式可用');

/**
 * 人证核验 on the kiosk. The audit records that a check happened and its outcome, under the 工号 for
 * 人工核验 and `citizen` for a face attempt, with the applicant's pseudonym: never an image or a score.
 */
export function createIdentityHandlers(services: IdentityServices): Pick<Handlers, IdentityChannel> {
  const { auth, session, audit, log } = services;
  const applicant = () => {
    const identity = session.current()?.identity;
    return identity ? log.pseudonym(identity.idNumber) : null;
  };
  return {
    'identity:staff-check': async ({ number, pin }) => {
      if (!applicant()) return fail('no-identity', NO_IDENTITY);
      const vouched = await auth.vouch(number, pin);
      if (!vouched.ok) return vouched;
      // The identity may have changed (another card) while scrypt ran: record only against the one still there.
      const subject = applicant();
      if (!subject || !session.recordStaffCheck(vouched.value.number)) return fail('no-identity', NO_IDENTITY);
      audit.append({ actor: `staff:${vouched.value.number}`, event: 'identity.check', subject, outcome: 'staff passed' });
      log.log('info', 'identity.check', { method: 'staff', outcome: 'passed' });
      return ok({ staffNumber: vouched.value.number });
    },
    'identity:face-outcome': ({ outcome }) => {
      const subject = applicant();
      // A match or no-match is central's answer (identity:verify-face), never the page's word: a window
      // that reports one central did not give is refused, so a forged 'match' cannot pass the check. Every
      // report consumes central's answer and closes the attempt: the page compares while the liveness check
      // still runs, so a liveness failure after central said match leaves no match for a later report.
      const verdict = subject ? session.takeFaceVerdict() : null;
      if (subject && (outcome === 'match' || outcome === 'no-match') && verdict !== outcome) {
        log.log('warn', 'identity.face-outcome-refused', { outcome });
        return fail('not-verified', '人脸核验没有完成，请再试一次或请工作人员核验');
      }
      const state = subject ? session.recordFaceOutcome(outcome) : null;
      if (!subject || !state) return fail('no-identity', NO_IDENTITY);
      audit.append({ actor: 'citizen', event: 'identity.check', subject, outcome: `face ${outcome}` });
      log.log('info', 'identity.check', { method: 'face', outcome });
      return ok({ passed: state.status === 'passed', failures: state.failures });
    },
    'simulator:show-identity-code': async () => {
      const show = services.showToScanner;
      if (!show) return NOT_DEMO;
      // The demo person's phone: the reference central issues a fresh code, as the 爱山东 app would.
      const issued = await services.client.call('POST', CENTRAL_PATHS.identityCodeIssue, IdentityCodeIssued, { person: 0 }, { timeoutMs: 5_000 });
      if (issued.kind !== 'ok') return fail('central-unavailable', '现在连不上中心服务，无法生成演示电子身份码');
      return ok({ shown: show(issued.value.code) });
    },
  };
}
