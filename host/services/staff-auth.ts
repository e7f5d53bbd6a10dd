import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { ChannelDefinition } from '../../contract/define.js';
import { fail, ok, type Result } from '../../contract/result.js';
import type { StaffRole, StaffSignOutReason, StaffView } from '../../contract/staff.js';
import { MemoryLockoutStore, type LockoutStore } from './staff-lockout-store.js';

/**
 * Staff and technician sign-in on the kiosk (DOMAIN.md §7: unique accounts, locked after repeated
 * failures, idle logout; every sign-in, failure and sign-out audited).
 *
 * - PINs are stored as scrypt hashes with a per-account salt (`scrypt$N$r$p$salt$hash`, base64), made
 *   with `npm run hash-pin` (scripts/hash-pin.ts); a PIN never reaches the log or the audit.
 * - After `maxFailures` wrong PINs in a row a 工号 is locked for `lockoutMs`; a correct PIN does not
 *   open it early. Unknown 工号 count and answer exactly like known ones (same message, same scrypt
 *   work), so the pad cannot be used to find out which numbers exist. Counters and locks outlive a
 *   restart (SqliteLockoutStore): the host restarts itself after any crash, and a lock must not.
 * - One person is signed in at a time (one screen); `idleMs` without a staff call signs them out.
 * - A technician may also do what staff do (reprint); staff may not touch device set-up.
 */
export interface StaffAccount {
  number: string;
  name: string;
  role: StaffRole;
  pinHash: string;
}

/** Where audit entries go: the outbox's hash-chained audit (host/services/audit-chain.ts). */
export interface AuditSink {
  append(entry: { actor: string; event: string; subject?: string; outcome: string }): unknown;
}

type Audience = ChannelDefinition['audience'];

const ROLE_AUDIENCES: Record<StaffRole, readonly Audience[]> = {
  staff: ['staff'],
  technician: ['technician', 'staff'],
};

// N = 2^14 (≈ 16 MiB, ≈ 50 ms): slow enough to make a stolen configuration file expensive to search
// (a 6-digit PIN space is small), fast enough for a sign-in on a kiosk CPU.
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

function scrypt(pin: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(pin, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPin(pin: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await scrypt(pin, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const PIN_HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export function isPinHash(text: string): boolean {
  return PIN_HASH.test(text);
}

/** Constant-time comparison of a PIN against its stored hash; false for a malformed hash. */
export async function verifyPin(pin: string, pinHash: string): Promise<boolean> {
  const match = PIN_HASH.exec(pinHash);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Hashed once per process, for unknown 工号: they cost the same scrypt work as known ones. */
let decoyHash: Promise<string> | null = null;

export interface StaffAuthOptions {
  accounts: readonly StaffAccount[];
  audit: AuditSink;
  idleMs: number;
  maxFailures?: number;
  lockoutMs?: number;
  /** Where wrong-PIN counts and locks are kept; give the kiosk a store on disk (SqliteLockoutStore). */
  lockouts?: LockoutStore;
  now?: () => number;
  /** The sign-in ended (sign-out, idle, another person signed in): the UI leaves staff screens. */
  onSignedOut?: (reason: StaffSignOutReason) => void;
}

interface Signed {
  account: StaffAccount;
  signedInAt: number;
  idleDeadline: number;
}

export class StaffAuth {
  private readonly accounts: Map<string, StaffAccount>;
  private readonly failures: LockoutStore;
  private readonly now: () => number;
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private signed: Signed | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: StaffAuthOptions) {
    this.accounts = new Map(options.accounts.map((account) => [account.number, account]));
    if (this.accounts.size !== options.accounts.length) throw new Error('staff accounts: 工号 must be unique');
    this.now = options.now ?? Date.now;
    this.failures = options.lockouts ?? new MemoryLockoutStore();
    this.maxFailures = options.maxFailures ?? 5;
    this.lockoutMs = options.lockoutMs ?? 5 * 60_000;
  }

  /**
   * Replaces the accounts (remote configuration). Someone signed in whose account is gone is signed out
   * at once; the lockout counts stay (they belong to the 工号, not the list).
   */
  setAccounts(accounts: readonly StaffAccount[]): void {
    const next = new Map(accounts.map((account) => [account.number, account]));
    if (next.size !== accounts.length) throw new Error('staff accounts: 工号 must be unique');
    this.accounts.clear();
    for (const [number, account] of next) this.accounts.set(number, account);
    if (this.signed && !this.accounts.has(this.signed.account.number)) this.signOut('replaced');
  }

  async signIn(number: string, pin: string): Promise<Result<StaffView>> {
    const actor = `staff:${number}`;
    const before = this.failures.get(number);
    if (before && this.lockEnd(number, before) > this.now()) return this.refuseLocked(actor, this.lockEnd(number, before));
    const account = this.accounts.get(number);
    const matches = account ? await verifyPin(pin, account.pinHash) : (await verifyPin(pin, await (decoyHash ??= hashPin('decoy-pin'))), false);
    // Attempts overlap (each waits for scrypt): read the store again after the wait. Counting from what was
    // read before it, N guesses sent at once would cost one failure, and a lock set meanwhile would not hold.
    const failures = this.failures.get(number);
    if (failures && this.lockEnd(number, failures) > this.now()) return this.refuseLocked(actor, this.lockEnd(number, failures));
    if (!account || !matches) {
      // A lock that has run out starts the count afresh.
      const count = (failures?.lockedUntil === 0 ? failures.count : 0) + 1;
      const lockedUntil = count >= this.maxFailures ? this.now() + this.lockoutMs : 0;
      this.failures.set(number, { count: lockedUntil ? 0 : count, lockedUntil });
      this.options.audit.append({ actor, event: 'staff.sign-in', outcome: account ? 'wrong-pin' : 'unknown-account' });
      if (lockedUntil) {
        this.options.audit.append({ actor, event: 'staff.locked', outcome: `until ${new Date(lockedUntil).toISOString()}` });
        return fail('locked', lockedMessage(this.lockoutMs));
      }
      return fail('wrong-pin', `工号或密码不正确，请重新输入（再错 ${this.maxFailures - count} 次将锁定 ${Math.round(this.lockoutMs / 60_000)} 分钟）`);
    }
    this.failures.delete(number);
    if (this.signed) this.end(this.signed.account.number === number ? 'signed-out' : 'replaced');
    const now = this.now();
    this.signed = { account, signedInAt: now, idleDeadline: now + this.options.idleMs };
    this.armIdle();
    this.options.audit.append({ actor, event: 'staff.sign-in', outcome: `ok ${account.role}` });
    return ok(this.view() as StaffView);
  }

  signOut(reason: StaffSignOutReason = 'signed-out'): boolean {
    if (!this.signed) return false;
    this.end(reason);
    return true;
  }

  view(): StaffView | null {
    const signed = this.signed;
    if (!signed) return null;
    const { number, name, role } = signed.account;
    return { number, name, role, signedInAt: new Date(signed.signedInAt).toISOString(), idleDeadline: new Date(signed.idleDeadline).toISOString() };
  }

  /** The signed-in account's 工号 for audit entries (`staff:0001`), or null. */
  actor(): string | null {
    return this.signed ? `staff:${this.signed.account.number}` : null;
  }

  /** Audiences the signed-in account adds to `base`; the dispatcher checks each call against them. */
  audiences(base: readonly Audience[]): ReadonlySet<Audience> {
    const signed = this.signed;
    // The timer may lag behind a suspended process: the deadline itself is the authority.
    if (signed && signed.idleDeadline <= this.now()) this.end('idle');
    return new Set([...base, ...(this.signed ? ROLE_AUDIENCES[this.signed.account.role] : [])]);
  }

  /** A staff action happened: the idle sign-out moves back. */
  touch(): void {
    if (!this.signed) return;
    this.signed.idleDeadline = this.now() + this.options.idleMs;
    this.armIdle();
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private armIdle(): void {
    this.dispose();
    const signed = this.signed;
    if (!signed) return;
    this.idleTimer = setTimeout(() => {
      if (this.signed === signed) this.end('idle');
    }, Math.max(0, signed.idleDeadline - this.now()));
    this.idleTimer.unref();
  }

  /**
   * When a stored lock ends. A lock is set `lockoutMs` ahead, so one further ahead than that was set under
   * a wall clock that has since stepped back (issue 10, kind 3): it is set again to end `lockoutMs` from
   * now, not after the step (a clock stepped back 30 days had locked the 工号 for 30 days).
   */
  private lockEnd(number: string, failures: { count: number; lockedUntil: number }): number {
    const latest = this.now() + this.lockoutMs;
    if (failures.lockedUntil <= latest) return failures.lockedUntil;
    this.failures.set(number, { count: failures.count, lockedUntil: latest });
    return latest;
  }

  private refuseLocked(actor: string, lockedUntil: number): Result<StaffView> {
    this.options.audit.append({ actor, event: 'staff.sign-in', outcome: 'refused-locked' });
    return fail('locked', lockedMessage(lockedUntil - this.now()));
  }

  private end(reason: StaffSignOutReason): void {
    const signed = this.signed;
    if (!signed) return;
    this.signed = null;
    this.dispose();
    this.options.audit.append({ actor: `staff:${signed.account.number}`, event: 'staff.sign-out', outcome: reason });
    this.options.onSignedOut?.(reason);
  }
}

function lockedMessage(remainingMs: number): string {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const left = minutes > 0 ? `${minutes} 分${rest > 0 ? ` ${rest} 秒` : '钟'}` : `${rest} 秒`;
  return `该工号密码输错次数过多，已暂时锁定。请 ${left}后再试，或联系管理员。`;
}
