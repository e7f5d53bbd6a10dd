import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { CENTRAL_PATHS, StaffSignInBody, type StaffSignInResponse } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import { tokenHash } from '../http/console.js';
import { HttpError, route, type Route } from '../http/routes.js';
import type { StaffRecord } from '../store/store.js';

const STAFF_LOCK_AFTER_FAILURES = 5;
const STAFF_LOCK_MS = 15 * 60_000;
const STAFF_TOKEN_MS = 30 * 60_000;
const KEY_LENGTH = 32;

/** scrypt on the libuv thread pool (N=16384, r=8, p=1, node's defaults): a sign-in never blocks other requests. */
function scrypt(pin: string, salt: string): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(pin, salt, KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key))));
}

/** A staff account as configured: the PIN in clear, hashed here before it is stored. */
export interface StaffAccount {
  staffNumber: string;
  name: string;
  /** `manager` (e.g. a hall's manager) signs in to the consoles only, never on a terminal. */
  role: 'staff' | 'technician' | 'manager';
  pin: string;
}

/** The stored form of an account: the PIN as an scrypt hash (N=16384, r=8, p=1, 32 bytes) with a fresh salt. */
export async function hashedAccount(account: StaffAccount): Promise<StaffRecord> {
  const pinSalt = randomBytes(16).toString('hex');
  return { staffNumber: account.staffNumber, name: account.name, role: account.role, pinSalt, pinHash: (await scrypt(account.pin, pinSalt)).toString('hex') };
}

/** Limits of sign-in attempts, each over a fixed window (rate-limiter-flexible). */
export interface StaffLimits {
  /** Attempts one terminal may make (default 10 a minute). */
  perTerminal: { points: number; durationSeconds: number };
  /** Attempts from one network address, whatever terminal signed them (default 30 a minute). */
  perSource: { points: number; durationSeconds: number };
  /** Failures of any 工号 from one terminal before it may make no attempt for the lock time (default 20 per 15 minutes). */
  terminalFailures: { points: number; durationSeconds: number };
}

const DEFAULT_STAFF_LIMITS: StaffLimits = {
  perTerminal: { points: 10, durationSeconds: 60 },
  perSource: { points: 30, durationSeconds: 60 },
  terminalFailures: { points: 20, durationSeconds: 15 * 60 },
};

/** A staff member whose 工号 and PIN checked out (the failure count cleared). */
export interface CheckedStaff {
  staffNumber: string;
  name: string;
  role: StaffRecord['role'];
}

/** Checks a 工号 and PIN; `terminalId` is '' for a console sign-in (limited by source only). */
export type StaffPinCheck = (staffNumber: string, pin: string, from: { terminalId: string; source: string }) => Promise<CheckedStaff>;

/**
 * The one PIN check of central's staff accounts, for terminal sign-in and console sign-in alike (等保:
 * unique accounts, lock on failures). 401 for a wrong pair, 423 while locked, 429 (Retry-After) when
 * attempts come too fast.
 *
 * - The PIN is checked with asynchronous scrypt, once, at the same cost for a known and an unknown 工号:
 *   an unknown one is checked against a decoy hash made at start (answered 6 ms against 43 ms, which told
 *   which 工号 exist, and the synchronous hash blocked every other request).
 * - An unknown 工号 is locked after as many failures as a known one, and answered the same; its count is
 *   kept in memory only, bounded by the limits below and expiring with the lock window: unknown 工号 write
 *   nothing to the store. A known 工号's failures are counted by the store atomically, from any process.
 * - Spraying one PIN over many 工号 is stopped by limits per terminal and per network address (429 with
 *   Retry-After) and a failure budget per terminal (423 for all its attempts until it runs out).
 * Limits are per process (RateLimiterMemory); a central of several processes would give them a shared store
 * (rate-limiter-flexible has a PostgreSQL one).
 */
export function staffPinCheck({ store, now }: CentralContext, limits: StaffLimits = DEFAULT_STAFF_LIMITS): StaffPinCheck {
  const decoySalt = randomBytes(16).toString('hex');
  const decoyHash = scrypt(randomBytes(16).toString('hex'), decoySalt).then((key) => key.toString('hex'));
  decoyHash.catch(() => undefined);
  const perTerminal = new RateLimiterMemory({ keyPrefix: 'staff-terminal', points: limits.perTerminal.points, duration: limits.perTerminal.durationSeconds });
  const perSource = new RateLimiterMemory({ keyPrefix: 'staff-source', points: limits.perSource.points, duration: limits.perSource.durationSeconds });
  const terminalFailures = new RateLimiterMemory({ keyPrefix: 'staff-failures', points: limits.terminalFailures.points, duration: limits.terminalFailures.durationSeconds, blockDuration: STAFF_LOCK_MS / 1000 });
  // Unknown 工号: the same lock rule as a known account, in memory, forgotten with the window.
  const unknownFailures = new RateLimiterMemory({ keyPrefix: 'staff-unknown', points: STAFF_LOCK_AFTER_FAILURES, duration: STAFF_LOCK_MS / 1000 });

  const locked = () => new HttpError(423, { code: 'staff-locked', message: '账号已锁定，请15分钟后再试或联系管理员' });
  const refused = () => new HttpError(401, { code: 'staff-credentials', message: '工号或密码不正确' });

  /** Spends one attempt of the source and of the terminal (if any); 429 with Retry-After when either is spent. */
  async function admit(terminalId: string, source: string): Promise<void> {
    try {
      await perSource.consume(source);
      if (terminalId !== '') await perTerminal.consume(terminalId);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw new HttpError(429, { code: 'staff-throttled', message: '登录尝试过于频繁，请稍后再试' }, { 'retry-after': String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))) });
    }
  }

  return async (staffNumber, pin, { terminalId, source }) => {
    await admit(terminalId, source);
    const failureKey = terminalId === '' ? `console:${source}` : terminalId;
    const terminalBudget = await terminalFailures.get(failureKey);
    if (terminalBudget && terminalBudget.remainingPoints <= 0) throw locked();
    const account = await store.staff.find(staffNumber);
    const unknownCount = account ? null : await unknownFailures.get(staffNumber);
    const isLocked = account ? account.lockedUntilMs > now().getTime() : (unknownCount?.consumedPoints ?? 0) >= STAFF_LOCK_AFTER_FAILURES;
    if (isLocked) throw locked();
    // One scrypt either way, with the same parameters.
    const given = await scrypt(pin, account?.pinSalt ?? decoySalt);
    const expected = Buffer.from(account?.pinHash ?? (await decoyHash), 'hex');
    const matches = account !== null && timingSafeEqual(given, expected);
    if (!matches) {
      await terminalFailures.penalty(failureKey).catch(() => undefined);
      if (account) await store.staff.recordFailure(staffNumber, STAFF_LOCK_AFTER_FAILURES, now().getTime() + STAFF_LOCK_MS);
      else await unknownFailures.penalty(staffNumber);
      throw refused();
    }
    await store.staff.clearFailures(staffNumber);
    return { staffNumber, name: account.name, role: account.role };
  };
}

/**
 * Staff on terminals (帮办代办, technicians): sign-in with the shared PIN check (`check`, so console and
 * terminal attempts share one set of limits). The accounts and the lockout are central's; the token is
 * kept (as a hash) so that anything that later accepts it can check it.
 */
export function staffRoutes(context: CentralContext, check: StaffPinCheck = staffPinCheck(context)): Route[] {
  const { store, now } = context;
  return [
    route({
      method: 'POST',
      path: CENTRAL_PATHS.staffSignIn,
      body: StaffSignInBody,
      async handle({ body, terminalId, source }) {
        const staff = await check(body.staffNumber, body.pin, { terminalId, source });
        if (staff.role === 'manager') throw new HttpError(403, { code: 'staff-role', message: '该账号只能登录管理控制台，不能在终端上登录' });
        const token = randomBytes(24).toString('base64url');
        const nowMs = now().getTime();
        await store.sessions.create({ tokenHash: tokenHash(token), staffNumber: staff.staffNumber, role: staff.role, createdAtMs: nowMs, idleUntilMs: nowMs + STAFF_TOKEN_MS, expiresAtMs: nowMs + STAFF_TOKEN_MS });
        const signedIn: StaffSignInResponse = {
          staffNumber: staff.staffNumber,
          name: staff.name,
          role: staff.role,
          token,
          expiresAt: new Date(nowMs + STAFF_TOKEN_MS).toISOString(),
        };
        return { status: 200, body: signedIn };
      },
    }),
  ];
}
