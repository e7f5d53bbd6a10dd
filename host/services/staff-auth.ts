import { createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { ChannelDefinition } from '../../contract/define.js';
import { fail, ok, type Result } from '../../contract/result.js';
import { normaliseIdNumber } from '../../contract/validators/gb11643.js';
import type { StaffRole, StaffSignOutReason, StaffView } from '../../contract/staff.js';
import { MemoryLockoutStore, TERMINAL_KEY, type LockoutStore, type SignInFailures } from './staff-lockout-store.js';

/**
 * Staff and technician sign-in on the kiosk (DOMAIN.md §7: unique accounts, locked after repeated
 * failures, idle logout; every sign-in, failure and sign-out audited).
 *
 * - PINs are stored as scrypt hashes with a per-account salt (`scrypt$N$r$p$salt$hash`, base64), made
 *   with `npm run hash-pin` (scripts/hash-pin.ts); a PIN never reaches the log or the audit.
 * - After `maxFailures` wrong PINs in a row (within `failureWindowMs`) a 工号 is locked for `lockoutMs`; a
 *   correct PIN does not open it early. Unknown 工号 count and answer exactly like known ones (same
 *   message, the same single scrypt with the same parameters, the decoy hash made at construction), so the
 *   pad cannot tell which numbers exist, not even by the time of the first attempt after start.
 * - Spraying one PIN over many 工号 is stopped per terminal: `terminalMaxFailures` failures of any 工号
 *   within `failureWindowMs` lock the pad for every 工号, and attempts beyond a burst of `burst` (one more
 *   every `refillMs`) are refused before any scrypt work. What unknown 工号 can write is bounded: each
 *   failure is one row and one audit entry, failures are bounded by the terminal budget, a row expires
 *   with its window (prune), and refused attempts write one audit entry per lock or throttle, not one each.
 * - Counters and locks outlive a restart (SqliteLockoutStore): the host restarts itself after any crash,
 *   and a lock must not.
 * - One person is signed in at a time (one screen); `idleMs` without a staff call signs them out.
 * - A technician may also do what staff do (reprint); staff may not touch device set-up.
 * - 刷身份证登录 (issue 12): an account may carry `idCardHash`, the HMAC of its holder's ID number; the card
 *   read on the sign-in screen then stands in for the typed 工号, and the PIN is still asked (two factors).
 *   The card path is the 工号 path: the same throttle, the account's own lockout count, the same audit; a
 *   card no account carries is checked against the decoy like an unknown 工号 and answers like a wrong PIN.
 */
export interface StaffAccount {
  number: string;
  name: string;
  role: StaffRole;
  pinHash: string;
  /** HMAC-SHA256 of the holder's ID number under the deployment's card key (`hashIdCard`), hex; absent: no card sign-in. */
  idCardHash?: string;
}

/**
 * The `idCardHash` of an ID number (GB 11643; 18 characters, the check character may be `x`/`X`): HMAC-SHA256
 * (RFC 2104) under the deployment's card key, lower-case hex. The number is normalised first (normaliseIdNumber), so
 * the reader's and the script's spellings agree. The key keeps a stolen configuration from being searched
 * through the small space of plausible ID numbers (a bare SHA-256 would be). Throws on an empty key.
 */
export function hashIdCard(idNumber: string, key: string): string {
  if (key.length === 0) throw new Error('staff card key is empty');
  return createHmac('sha256', key).update(normaliseIdNumber(idNumber), 'utf8').digest('hex');
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

/** scrypt cost parameters of a PIN hash (RFC 7914 N, r, p) and its key length in bytes. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** Hashes with node's scrypt on the libuv thread pool: the event loop (every other request) never waits for it. */
export async function hashPin(pin: string, salt: Buffer = randomBytes(16), cost: ScryptCost = SCRYPT): Promise<string> {
  const key = await scrypt(pin, salt, cost.keyLength, { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * 1024 * 1024 });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const PIN_HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** The cost a stored hash was made with, or null for a malformed hash. */
export function costOf(pinHash: string): ScryptCost | null {
  const match = PIN_HASH.exec(pinHash);
  if (!match) return null;
  return { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]), keyLength: Buffer.from(match[5] ?? '', 'base64').length };
}

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


export interface StaffAuthOptions {
  accounts: readonly StaffAccount[];
  audit: AuditSink;
  idleMs: number;
  maxFailures?: number;
  lockoutMs?: number;
  /** Where wrong-PIN counts and locks are kept; give the kiosk a store on disk (SqliteLockoutStore). */
  lockouts?: LockoutStore;
  /** A count older than this starts afresh, and its row is pruned (default 15 minutes). */
  failureWindowMs?: number;
  /** Failures of any 工号 on this terminal within the window that lock the pad for everyone (default 10). */
  terminalMaxFailures?: number;
  /** Attempts allowed back to back (default 5), and one more every `refillMs` (default 2 s). */
  burst?: number;
  refillMs?: number;
  now?: () => number;
  /** The sign-in ended (sign-out, idle, another person signed in): the UI leaves staff screens. */
  onSignedOut?: (reason: StaffSignOutReason) => void;
  /** Checks a PIN against a stored hash (default `verifyPin`); a test may wrap it to see the work each attempt does. */
  verify?: (pin: string, pinHash: string) => Promise<boolean>;
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
  private readonly failureWindowMs: number;
  private readonly terminalMaxFailures: number;
  private readonly burst: number;
  private readonly refillMs: number;
  /** The hash unknown 工号 are checked against: same cost as the accounts' own, made once at construction. */
  private readonly decoy: Promise<string>;
  private signed: Signed | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Token bucket of attempts (in memory: a restart is slow enough not to matter). */
  private tokens: number;
  private tokensAt: number;
  /** The throttle or a lock was already audited: further refusals of the same kind add no entry. */
  private refusalAudited: 'throttled' | `locked:${string}` | null = null;

  constructor(private readonly options: StaffAuthOptions) {
    this.accounts = new Map(options.accounts.map((account) => [account.number, account]));
    if (this.accounts.size !== options.accounts.length) throw new Error('staff accounts: 工号 must be unique');
    this.now = options.now ?? Date.now;
    this.failures = options.lockouts ?? new MemoryLockoutStore();
    this.maxFailures = options.maxFailures ?? 5;
    this.lockoutMs = options.lockoutMs ?? 5 * 60_000;
    this.failureWindowMs = options.failureWindowMs ?? 15 * 60_000;
    this.terminalMaxFailures = options.terminalMaxFailures ?? 10;
    this.burst = options.burst ?? 5;
    this.refillMs = options.refillMs ?? 2_000;
    this.tokens = this.burst;
    this.tokensAt = this.now();
    const cost = options.accounts.map((account) => costOf(account.pinHash)).find((found) => found !== null) ?? SCRYPT;
    this.decoy = hashPin(randomBytes(8).toString('hex'), randomBytes(16), cost);
    this.decoy.catch(() => undefined);
    this.failures.prune(this.now(), this.now() - this.failureWindowMs);
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
    const checked = await this.checkPin(number, pin, 'staff.sign-in');
    if (!checked.ok) return checked;
    return ok(this.begin(checked.value, `ok ${checked.value.role}`));
  }

  /** True when an account carries this card hash (`hashIdCard`); a map lookup, the same for every card. */
  hasCard(idCardHash: string): boolean {
    return this.byCard().has(idCardHash);
  }

  /**
   * 刷身份证登录: card (as its `idCardHash`) + PIN. The account the card names is checked exactly as a typed
   * 工号 would be (same throttle, the account's lockout count shared with the 工号 path, audited under its
   * 工号 as `staff.sign-in` with `via id-card`). A card no account carries costs the same one scrypt against
   * the decoy, counts a failure under a key made from its hash (`card-` and 16 hex: no number) and the
   * terminal's, and answers what a wrong PIN answers. Messages say 密码 (the 工号 came from the card).
   */
  async signInWithCard(idCardHash: string, pin: string): Promise<Result<StaffView>> {
    const account = this.byCard().get(idCardHash);
    const number = account?.number ?? `card-${idCardHash.slice(0, 16)}`;
    const checked = await this.checkPin(number, pin, 'staff.sign-in');
    if (!checked.ok) return fail(checked.error.code, checked.error.message.replace('工号或密码不正确', '密码不正确'));
    return ok(this.begin(checked.value, `ok ${checked.value.role} via id-card`));
  }

  private byCard(): Map<string, StaffAccount> {
    return new Map([...this.accounts.values()].filter((account) => account.idCardHash).map((account) => [account.idCardHash as string, account]));
  }

  /** The account whose PIN was just checked is signed in (replacing whoever was); audited with `outcome`. */
  private begin(account: StaffAccount, outcome: string): StaffView {
    if (this.signed) this.end(this.signed.account.number === account.number ? 'signed-out' : 'replaced');
    const now = this.now();
    this.signed = { account, signedInAt: now, idleDeadline: now + this.options.idleMs };
    this.armIdle();
    this.options.audit.append({ actor: `staff:${account.number}`, event: 'staff.sign-in', outcome });
    return this.view() as StaffView;
  }

  /**
   * 人工核验 (issue 14): a staff member confirms a citizen's identity in person by typing 工号 + PIN on the
   * citizen's screen. The PIN is checked exactly as for a sign-in (the same throttle, per-工号 and terminal
   * lockouts, the same failure counts: a vouch is no side door for guessing), but nobody is signed in:
   * the kiosk stays the citizen's, and staff mode's channels stay closed. Only a `staff` account may vouch
   * (a technician's account is for devices, not for identities). Audited as `staff.vouch` under the 工号.
   * Resolves with the account's 工号 and name; fails `wrong-pin`, `locked`, `throttled` or `not-staff`.
   */
  async vouch(number: string, pin: string): Promise<Result<{ number: string; name: string }>> {
    const checked = await this.checkPin(number, pin, 'staff.vouch');
    if (!checked.ok) return checked;
    const account = checked.value;
    if (account.role !== 'staff') {
      this.options.audit.append({ actor: `staff:${number}`, event: 'staff.vouch', outcome: 'refused-not-staff' });
      return fail('not-staff', '该工号不是大厅工作人员账号，不能进行人工核验。请大厅工作人员输入本人工号和密码。');
    }
    return ok({ number: account.number, name: account.name });
  }

  /**
   * One PIN attempt under every rule of the file's comment: locks answered before any work, the token
   * bucket, one scrypt for known and unknown 工号 alike, failures counted and audited under `event`.
   */
  private async checkPin(number: string, pin: string, event: string): Promise<Result<StaffAccount>> {
    const actor = `staff:${number}`;
    const refused = this.refusal(actor, number, event);
    if (refused) return refused;
    // Refilled by time, spent by attempts that reach scrypt: a burst for a person who mistypes, not a stream.
    this.refill();
    if (this.tokens < 1) {
      this.auditRefusal(actor, 'throttled', 'refused-throttled', event);
      return fail('throttled', '操作过于频繁，请稍等几秒后再输入。');
    }
    this.tokens -= 1;
    const account = this.accounts.get(number);
    // One scrypt either way, with the same cost: a known and an unknown 工号 take the same time.
    const hash = account?.pinHash ?? (await this.decoy);
    const matches = (await (this.options.verify ?? verifyPin)(pin, hash)) && account !== undefined;
    // Attempts overlap (each waits for scrypt): read the store again after the wait. Counting from what was
    // read before it, N guesses sent at once would cost one failure, and a lock set meanwhile would not hold.
    const refusedNow = this.refusal(actor, number, event);
    if (refusedNow) return refusedNow;
    if (!account || !matches) return this.failed(actor, number, account !== undefined, event);
    // The throttle is for guesses: a right PIN gives its attempt back, so staff who sign in and out all day
    // (and a technician's several visits in a minute) are never slowed.
    this.tokens = Math.min(this.burst, this.tokens + 1);
    this.failures.delete(number);
    this.refusalAudited = null;
    return ok(account);
  }

  /** A lock in force for the terminal or this 工号, answered before any work; null when none. */
  private refusal(actor: string, number: string, event: string): Result<never> | null {
    const now = this.now();
    const terminal = this.failures.get(TERMINAL_KEY);
    const terminalUntil = terminal ? this.lockEnd(TERMINAL_KEY, terminal) : 0;
    if (terminalUntil > now) {
      this.auditRefusal(actor, `locked:${TERMINAL_KEY}`, 'refused-terminal-locked', event);
      return fail('locked', terminalLockedMessage(terminalUntil - now));
    }
    const own = this.failures.get(number);
    const ownUntil = own ? this.lockEnd(number, own) : 0;
    if (ownUntil > now) {
      this.auditRefusal(actor, `locked:${number}`, 'refused-locked', event);
      return fail('locked', lockedMessage(ownUntil - now));
    }
    return null;
  }

  /** Counts a failure for the 工号 and for the terminal, locking either when its budget is spent. */
  private failed(actor: string, number: string, known: boolean, event: string): Result<never> {
    const now = this.now();
    const count = (key: string): number => {
      const failures = this.failures.get(key);
      // A lock that has run out, or a last failure older than the window, starts the count afresh.
      return failures && failures.lockedUntil === 0 && failures.lastFailureAt > now - this.failureWindowMs ? failures.count : 0;
    };
    const own = count(number) + 1;
    const lockedUntil = own >= this.maxFailures ? now + this.lockoutMs : 0;
    this.failures.set(number, { count: lockedUntil ? 0 : own, lockedUntil, lastFailureAt: now });
    const terminal = count(TERMINAL_KEY) + 1;
    const terminalLockedUntil = terminal >= this.terminalMaxFailures ? now + this.lockoutMs : 0;
    this.failures.set(TERMINAL_KEY, { count: terminalLockedUntil ? 0 : terminal, lockedUntil: terminalLockedUntil, lastFailureAt: now });
    this.failures.prune(now, now - this.failureWindowMs);
    this.options.audit.append({ actor, event, outcome: known ? 'wrong-pin' : 'unknown-account' });
    if (terminalLockedUntil) {
      this.options.audit.append({ actor: 'terminal', event: 'staff.terminal-locked', outcome: `until ${new Date(terminalLockedUntil).toISOString()} after ${this.terminalMaxFailures} failures` });
      return fail('locked', terminalLockedMessage(this.lockoutMs));
    }
    if (lockedUntil) {
      this.options.audit.append({ actor, event: 'staff.locked', outcome: `until ${new Date(lockedUntil).toISOString()}` });
      return fail('locked', lockedMessage(this.lockoutMs));
    }
    return fail('wrong-pin', `工号或密码不正确，请重新输入（再错 ${this.maxFailures - own} 次将锁定 ${Math.round(this.lockoutMs / 60_000)} 分钟）`);
  }

  private refill(): void {
    const now = this.now();
    // The wall clock stepped back (issue 10, kind 3): how long has passed is unknown, so the burst is whole
    // again; counting from the old instant would throttle every attempt until the clock caught up.
    if (now < this.tokensAt) {
      this.tokens = this.burst;
      this.tokensAt = now;
    }
    const earned = Math.floor((now - this.tokensAt) / this.refillMs);
    if (earned <= 0) return;
    this.tokens = Math.min(this.burst, this.tokens + earned);
    this.tokensAt = this.tokens === this.burst ? now : this.tokensAt + earned * this.refillMs;
    if (this.refusalAudited === 'throttled') this.refusalAudited = null;
  }

  /** One audit entry per throttle or lock, however many attempts it refuses: refusals cannot fill the audit. */
  private auditRefusal(actor: string, kind: NonNullable<StaffAuth['refusalAudited']>, outcome: string, event: string): void {
    if (this.refusalAudited === kind) return;
    this.refusalAudited = kind;
    this.options.audit.append({ actor, event, outcome });
  }

  /** The cost of the hash unknown 工号 are checked against (equal to the accounts'), once it is made. */
  async decoyCost(): Promise<ScryptCost | null> {
    return costOf(await this.decoy);
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
  private lockEnd(key: string, failures: SignInFailures): number {
    const latest = this.now() + this.lockoutMs;
    if (failures.lockedUntil <= latest) return failures.lockedUntil;
    this.failures.set(key, { ...failures, lockedUntil: latest });
    return latest;
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

function terminalLockedMessage(remainingMs: number): string {
  return `本机工作人员登录错误次数过多，已暂时锁定。请 ${duration(remainingMs)}后再试，或联系管理员。`;
}

function duration(remainingMs: number): string {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes > 0 ? `${minutes} 分${rest > 0 ? ` ${rest} 秒` : '钟'}` : `${rest} 秒`;
}

function lockedMessage(remainingMs: number): string {
  return `该工号密码输错次数过多，已暂时锁定。请 ${duration(remainingMs)}后再试，或联系管理员。`;
}
