import type { Handlers } from '../contract/derive.js';
import { fail, ok } from '../contract/result.js';
import type { ProofService } from './services/proofs.js';
import type { SessionService } from './services/session.js';

/** 查询打印's channels (issue 15), handled beside the proof service (services/proofs.ts). */
export type ProofChannel = 'proof:list-offers' | 'proof:issue' | 'proof:print';

const NO_IDENTITY = '请先将身份证放在读卡区核验身份';

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
      return proofs.issue(identity, kind);
    },
    'proof:print': async ({ ticket, copies }) => {
      if (!session.current()?.identity) return fail('no-identity', NO_IDENTITY);
      return proofs.print(ticket, copies);
    },
  };
}
