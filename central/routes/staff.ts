import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { CENTRAL_PATHS, StaffSignInBody, type StaffSignInResponse } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import { tokenHash } from '../http/console.js';
import { HttpError, route, type Route } from '../http/routes.js';
import type { StaffRecord } from '../store/store.js';

const STAFF_LOCK_AFTER_FAILURES = 5;
const STAFF_LOCK_MS = 15 * 60_000;
const STAFF_TOKEN_MS = 30 * 60_000;

/** A staff account as configured: the PIN in clear, hashed here before it is stored. */
export interface StaffAccount {
  staffNumber: string;
  name: string;
  /** `manager` (e.g. a hall's manager) signs in to the consoles only, never on a terminal. */
  role: 'staff' | 'technician' | 'manager';
  pin: string;
}

/** The stored form of an account: the PIN as an scrypt hash (N=16384, r=8, p=1, 32 bytes) with a fresh salt. */
export function hashedAccount(account: StaffAccount): StaffRecord {
  const pinSalt = randomBytes(16).toString('hex');
  return { staffNumber: account.staffNumber, name: account.name, role: account.role, pinSalt, pinHash: scryptSync(account.pin, pinSalt, 32).toString('hex') };
}

/**
 * Staff on terminals (帮办代办, technicians): sign-in with a PIN check and a lockout after repeated
 * failures (等保: unique accounts, lock on failures). The accounts and the lockout are central's.
 */
/** A staff member whose 工号 and PIN checked out (the failure count cleared). */
export interface CheckedStaff {
  staffNumber: string;
  name: string;
  role: StaffRecord['role'];
}

/**
 * Checks a 工号 and PIN against central's accounts, with the lockout (等保: unique accounts, lock after
 * repeated failures): 401 for a wrong pair (an unknown 工号 costs the same scrypt), 423 while locked.
 * Each wrong PIN is counted by the store atomically, from any process.
 */
export async function checkStaffPin({ store, now }: CentralContext, staffNumber: string, pin: string): Promise<CheckedStaff> {
  const account = await store.staff.find(staffNumber);
  const refused = new HttpError(401, { code: 'staff-credentials', message: '工号或密码不正确' });
  if (account && account.lockedUntilMs > now().getTime()) {
    throw new HttpError(423, { code: 'staff-locked', message: '账号已锁定，请15分钟后再试或联系管理员' });
  }
  const given = scryptSync(pin, account?.pinSalt ?? DECOY_SALT, 32);
  if (!account || !timingSafeEqual(given, Buffer.from(account.pinHash, 'hex'))) {
    if (account) await store.staff.recordFailure(staffNumber, STAFF_LOCK_AFTER_FAILURES, now().getTime() + STAFF_LOCK_MS);
    throw refused;
  }
  await store.staff.clearFailures(staffNumber);
  return { staffNumber, name: account.name, role: account.role };
}

const DECOY_SALT = randomBytes(16).toString('hex');

/**
 * Staff on terminals (帮办代办, technicians): sign-in with a PIN check and a lockout after repeated
 * failures. The accounts and the lockout are central's; the token is kept (as a hash) so that anything
 * that later accepts it can check it.
 */
export function staffRoutes(context: CentralContext): Route[] {
  const { store, now } = context;
  return [
    route({
      method: 'POST',
      path: CENTRAL_PATHS.staffSignIn,
      body: StaffSignInBody,
      async handle({ body }) {
        const staff = await checkStaffPin(context, body.staffNumber, body.pin);
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
