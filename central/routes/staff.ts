import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { CENTRAL_PATHS, StaffSignInBody, type StaffSignInResponse } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import { HttpError, route, type Route } from '../http/routes.js';
import type { StaffRecord } from '../store/store.js';

const STAFF_LOCK_AFTER_FAILURES = 5;
const STAFF_LOCK_MS = 15 * 60_000;
const STAFF_TOKEN_MS = 30 * 60_000;

/** A staff account as configured: the PIN in clear, hashed here before it is stored. */
export interface StaffAccount {
  staffNumber: string;
  name: string;
  role: 'staff' | 'technician';
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
export function staffRoutes({ store, now }: CentralContext): Route[] {
  return [
    route({
      method: 'POST',
      path: CENTRAL_PATHS.staffSignIn,
      body: StaffSignInBody,
      async handle({ body }) {
        const account = await store.staff.find(body.staffNumber);
        const refused = new HttpError(401, { code: 'staff-credentials', message: '工号或密码不正确' });
        if (!account) throw refused;
        if (account.lockedUntilMs > now().getTime()) {
          throw new HttpError(423, { code: 'staff-locked', message: '账号已锁定，请15分钟后再试或联系管理员' });
        }
        const given = scryptSync(body.pin, account.pinSalt, 32);
        if (!timingSafeEqual(given, Buffer.from(account.pinHash, 'hex'))) {
          await store.staff.recordFailure(body.staffNumber, STAFF_LOCK_AFTER_FAILURES, now().getTime() + STAFF_LOCK_MS);
          throw refused;
        }
        await store.staff.clearFailures(body.staffNumber);
        const signedIn: StaffSignInResponse = {
          staffNumber: body.staffNumber,
          name: account.name,
          role: account.role,
          token: randomBytes(24).toString('base64url'),
          expiresAt: new Date(now().getTime() + STAFF_TOKEN_MS).toISOString(),
        };
        return { status: 200, body: signedIn };
      },
    }),
  ];
}
