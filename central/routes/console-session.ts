import { randomBytes } from 'node:crypto';
import { CONSOLE_PATHS, ConsoleSignInBody, type ConsoleSession } from '../../contract/central/console.js';
import type { CentralContext } from '../context.js';
import { tokenHash } from '../http/console.js';
import { CONSOLE_IDLE_MS } from '../http/core.js';
import { HttpError, route, type Route } from '../http/routes.js';
import { checkStaffPin } from './staff.js';

/** A console sign-in ends after 12 hours whatever happens (a working day), and earlier when idle. */
const CONSOLE_SESSION_MS = 12 * 3600_000;

/**
 * Signing in to central's web consoles with 工号 + PIN against central's staff accounts: the same PIN
 * check and lockout as on terminals (routes/staff.ts); the token is random, handed out once and kept
 * at central only as its SHA-256, with an idle limit that every user action moves on.
 */
export function consoleSessionRoutes(context: CentralContext, idleMs = CONSOLE_IDLE_MS): Route[] {
  const { store, now } = context;
  return [
    route({
      method: 'POST',
      auth: 'public',
      path: CONSOLE_PATHS.signIn,
      body: ConsoleSignInBody,
      async handle({ body }) {
        const staff = await checkStaffPin(context, body.staffNumber, body.pin);
        const token = randomBytes(24).toString('base64url');
        const nowMs = now().getTime();
        await store.sessions.create({ tokenHash: tokenHash(token), staffNumber: staff.staffNumber, role: staff.role, createdAtMs: nowMs, idleUntilMs: nowMs + idleMs, expiresAtMs: nowMs + CONSOLE_SESSION_MS });
        const session: ConsoleSession = { staffNumber: staff.staffNumber, name: staff.name, role: staff.role, token, idleSeconds: Math.round(idleMs / 1000), expiresAt: new Date(nowMs + CONSOLE_SESSION_MS).toISOString() };
        return { status: 200, body: session };
      },
    }),
    route({
      method: 'GET',
      auth: 'console',
      path: CONSOLE_PATHS.me,
      async handle({ user }) {
        if (!user) throw new HttpError(401, { code: 'console-signed-out', message: '请先登录' });
        const account = await store.staff.find(user.staffNumber);
        const session: ConsoleSession = { staffNumber: user.staffNumber, name: account?.name ?? user.staffNumber, role: user.role, idleSeconds: Math.round(idleMs / 1000), expiresAt: new Date(user.expiresAtMs).toISOString() };
        return { status: 200, body: session };
      },
    }),
    route({
      method: 'POST',
      auth: 'console',
      path: CONSOLE_PATHS.signOut,
      async handle({ user }) {
        if (user) await store.sessions.revoke(user.tokenHash);
        return { status: 204, body: null };
      },
    }),
  ];
}
