import type { IdentityCard } from '../../contract/domain.js';
import type { StaffCardRead } from '../../contract/staff.js';
import { hashIdCard, type AuditSink, type StaffAuth } from './staff-auth.js';

/** What the staff sign-in screen says when the card laid is no account's (issue 12, the brief's words). */
export const CARD_NOT_REGISTERED = '此身份证未登记为工作人员，请用工号和密码登录。';
/** The card was read: the PIN is asked next. */
export const CARD_REGISTERED = '已读取您的身份证，请输入密码。';
/** The PIN came without a card read (or after the card's 60 s). */
export const CARD_NEEDED = '请先将您的身份证放在读卡区，再输入密码。';

export interface StaffCardOptions {
  /** The deployment's card key (`staffCardKey`); null: card sign-in is off and no card is ever taken. */
  key: string | null;
  auth: StaffAuth;
  audit: AuditSink;
  /** Tells the sign-in screen a card was read (registered or not); nothing personal. */
  emit: (read: StaffCardRead) => void;
  /** How long a read card waits for its PIN, ms (default 60 s); then it is forgotten and must be laid again. */
  holdMs?: number;
  /**
   * How long the screen's wait for a card lasts, ms (default 2 minutes): a sign-in screen that went away without
   * saying so (the UI reloaded) must not leave the reader taking the next citizen's card.
   */
  waitMs?: number;
  now?: () => number;
}

/**
 * 刷身份证登录 on the kiosk (issue 12): while the staff sign-in screen waits for a card (`await(true)`), the next
 * card read is taken here instead of starting a citizen session. Only its HMAC (`hashIdCard`) is kept, for
 * `holdMs`, until the PIN comes; the photo bytes are zeroed at once and nothing else of the card is held.
 * Whether an account carries the card is answered to the screen (the brief's plain message for one that does
 * not), audited without the number; the sign-in itself (StaffAuth.signInWithCard) answers an unknown card like
 * a wrong PIN. Waiting ends with the read, the screen leaving (`await(false)`) or a sign-in.
 */
export class StaffCardSignIn {
  private waiting = false;
  private waitingSince = 0;
  private held: { hash: string; at: number } | null = null;
  private readonly now: () => number;

  constructor(private readonly options: StaffCardOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Whether this kiosk can sign staff in by card (a key is configured). */
  get available(): boolean {
    return this.options.key !== null;
  }

  get isWaiting(): boolean {
    return this.waiting;
  }

  /** The sign-in screen starts (true) or stops (false) waiting; stopping forgets a held card. Answers the state. */
  await(waiting: boolean): boolean {
    this.waiting = waiting && this.available;
    this.waitingSince = this.now();
    if (!waiting) this.held = null;
    return this.waiting;
  }

  /**
   * A card was read. True when it was taken for the sign-in (the caller then does nothing else with it);
   * false when nobody waits for a staff card. The card's photo bytes are zeroed before this returns.
   */
  offerCard(identity: IdentityCard, photoWlt: Uint8Array | null): boolean {
    if (this.waiting && (this.now() - this.waitingSince > (this.options.waitMs ?? 120_000) || this.now() < this.waitingSince)) this.waiting = false;
    if (!this.waiting || this.options.key === null) return false;
    this.waiting = false;
    const hash = hashIdCard(identity.idNumber, this.options.key);
    photoWlt?.fill(0);
    const registered = this.options.auth.hasCard(hash);
    this.held = { hash, at: this.now() };
    this.options.audit.append({ actor: 'terminal', event: 'staff.card-read', outcome: registered ? 'registered' : 'not-registered' });
    this.options.emit({ registered, message: registered ? CARD_REGISTERED : CARD_NOT_REGISTERED });
    return true;
  }

  /**
   * The hash of the card read last, if it was read within `holdMs`; null otherwise. It stays held until a
   * sign-in succeeds (`forget`), the screen leaves, or it expires, so a mistyped PIN can be typed again.
   */
  heldCard(): string | null {
    const held = this.held;
    if (!held) return null;
    if (this.now() - held.at > (this.options.holdMs ?? 60_000) || this.now() < held.at) {
      this.held = null;
      return null;
    }
    return held.hash;
  }

  /** Drops the held card (after a sign-in, a sign-out or the screen leaving). */
  forget(): void {
    this.held = null;
    this.waiting = false;
  }
}
