import { checkSatisfies } from '../contract/identity-assurance.js';
import { ErrorCode } from '../contract/channels.js';
import type { Handlers } from '../contract/derive.js';
import { fail, ok } from '../contract/result.js';
import type { ProofService } from './services/proofs.js';
import type { SessionService } from './services/session.js';

/** 查询打印's channels (issue 15), handled beside the proof service (services/proofs.ts). */
export type ProofChannel = 'proof:list-offers' | 'proof:issue' | 'proof:print';

const NO_IDENTITY = '请先将身份证放在读卡区核验身份';
const IDENTITY_CHECK_NEEDED = '打印证明需要先确认是您本人：请刷脸核验，或请工作人员核验；也可以到窗口办理。';

/**
 * The session holder's proofs: listing needs no identity (the screen shows what can be printed before the
 * card is read); issuing and printing need the card read in this session, and only its own proofs print.
 */
export function createProofHandlers(services: { proofs: ProofService; session: SessionService }): Pick<Handlers, ProofChannel> {
  const { proofs, session } = services;
  return {
    'proof:list-offers': ({ lifeCycle }) => ok(proofs.offers(lifeCycle)),
    'proof:issue': async ({ kind }) => {
      const identity = session.current()?.identity;
      if (!identity) return fail('no-identity', NO_IDENTITY);
      // 人证核验 (issue 14) before a proof with personal data is issued: the card alone does not show that
      // the person at the screen is its holder.
      const service = proofs.serviceOf(kind);
      if (service && !checkSatisfies(service.identityAssurance, session.identityCheck())) return fail(ErrorCode.identityCheckNeeded, IDENTITY_CHECK_NEEDED);
      return proofs.issue(identity, kind);
    },
    'proof:print': async ({ ticket, copies }) => {
      if (!session.current()?.identity) return fail('no-identity', NO_IDENTITY);
      return proofs.print(ticket, copies);
    },
  };
}
