import type { Handlers } from '../contract/derive.js';
import { fail, ok } from '../contract/result.js';
import type { SessionService } from './services/session.js';
import type { StaffAuth } from './services/staff-auth.js';
import { CARD_NEEDED, type StaffCardSignIn } from './services/staff-card.js';

/** The channels of 刷身份证登录 (issue 12); host/main.ts merges them with the rest. */
export type StaffCardChannel = 'staff:await-card' | 'staff:sign-in-card';

export interface StaffCardServices {
  auth: StaffAuth;
  card: StaffCardSignIn;
  session: SessionService;
}

/**
 * `staff:await-card` arms the card capture only from the staff sign-in screen and never over a citizen's
 * session that holds an identity (their card must not be taken for a sign-in); `staff:sign-in-card` checks
 * the PIN against the held card under StaffAuth's rules and, as `staff:sign-in` does, wipes the citizen
 * screen after a sign-in.
 */
export function createStaffCardHandlers({ auth, card, session }: StaffCardServices): Pick<Handlers, StaffCardChannel> {
  return {
    'staff:await-card': ({ waiting }) => {
      if (waiting && !card.available) return fail('card-sign-in-off', '本机未开通刷身份证登录，请用工号和密码登录。');
      if (waiting && session.current()?.identity) return fail('session-open', '当前有群众正在办理业务，请先结束办理，再刷身份证登录。');
      return ok({ waiting: card.await(waiting) });
    },
    'staff:sign-in-card': async ({ pin }) => {
      const held = card.heldCard();
      if (!held) return fail('no-card', CARD_NEEDED);
      const signedIn = await auth.signInWithCard(held, pin);
      if (signedIn.ok) {
        card.forget();
        await session.end('staff');
      }
      return signedIn;
    },
  };
}
