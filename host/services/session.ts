import { randomUUID } from 'node:crypto';
import type { SessionView } from '../../contract/channels.js';
import type { IdentityCard, IdentitySource, SessionEndReason } from '../../contract/domain.js';
import { INITIAL_CHECK, afterFaceAttempt, afterStaffCheck, type CheckState, type FaceAttemptOutcome, type IdentityCheckRecord } from '../../contract/identity-assurance.js';
import { monotonicMs, timerDelay } from './clock.js';
import type { Logger } from './log.js';
import type { AgencyAuthorisation, AgencyRelationship, AgencyView, PrincipalSource } from '../../contract/agency.js';
import { maskIdNumber, maskName } from '../../contract/validators/gb11643.js';

/**
 * The citizen session: the only place the host holds who is being served. It begins with a chosen
 * service or an identity, and ends on completion, cancel or idle timeout; ending wipes every trace it
 * holds (identity, photo bytes) and tells every registered wiper (print spool, temp files, UI) to do
 * the same (剩余信息保护, DOMAIN.md §7). The host's idle timer is the authority; the UI only reports
 * activity and shows the countdown.
 *
 * A session that has submitted is finished (issue 9 item 3: 返回 twice after the rating brought the confirm
 * page back, and 确认提交 made a second case): it may rate and query, never submit or start another
 * application (`finished`), and once its rating is in it ends a short grace later whatever the UI does
 * (`conclude`): the thanks screen's own countdown is not the only thing standing between the next person
 * and this one's data.
 */
interface Session {
  id: string;
  serviceId: string | null;
  identity: IdentityCard | null;
  identitySource: IdentitySource | null;
  photoWlt: Uint8Array | null;
  startedAt: string;
  /** Local numbers submitted in this session, so the same session can rate them. */
  submitted: Set<string>;
  /** When the session ends regardless of activity (monotonic ms, `monotonicMs`), once concluded; null while open. */
  concludesAt: number | null;
  /** 人证核验 of this identity so far (issue 14): face attempts counted, passed by face or staff. */
  check: CheckState;
  /** The 工号 that confirmed the identity in person (人工核验), when that is how it passed. */
  checkStaffNumber: string | null;
  /** 帮办 (issue 12): 工号 of the signed-in assistant working beside the citizen, or null. */
  assistedBy: string | null;
  /**
   * Central's answer to the last face comparison of this identity (`identity:verify-face`), not yet taken
   * by `identity:face-outcome`: a page can report a match or no-match only when central gave it.
   */
  faceVerdict: 'match' | 'no-match' | 'unavailable' | null;
  /**
   * Face attempts closed so far for this identity: one more each time the page reports an attempt's outcome
   * (`takeFaceVerdict`) or the identity changes. A comparison remembers the round it began in and its
   * answer is kept only if no report came meanwhile (the kiosk compares during the liveness check: a
   * liveness failure reported before central's answer must not leave that answer usable).
   */
  faceRound: number;
  /**
   * 代办 (issue 12): `identity` stays the agent at the screen (their card binds the session, their 人证核验
   * applies); `principal` is the citizen the case is for. Null for 本人办理. Wiped with the session.
   */
  agency: SessionAgency | null;
}

/** 代办 as the session holds it, step by step: the principal first, then relationship and authorisation. */
export interface SessionAgency {
  /** Waiting for the principal's card: the agent lifts their own (no countdown) and lays the principal's. */
  awaitingCard: boolean;
  principal: IdentityCard | null;
  principalSource: PrincipalSource | null;
  relationship: AgencyRelationship | null;
  authorisation: AgencyAuthorisation | null;
}

/** What the screen may see of a session's 代办 (masked), or null outside 代办 and before the principal is named. */
function agencyViewOf(session: Session): AgencyView | null {
  const agency = session.agency;
  const agent = session.identity;
  if (!agency?.principal || !agency.principalSource || !agent) return null;
  const person = (card: IdentityCard) => ({ nameMasked: maskName(card.name || card.englishName || ''), idMasked: maskIdNumber(card.idNumber) });
  return {
    agent: person(agent),
    principal: { ...person(agency.principal), source: agency.principalSource },
    relationship: agency.relationship,
    authorisation: agency.authorisation?.kind ?? null,
  };
}

export interface SessionOptions {
  idleTimeoutMs: number;
  idleWarningMs: number;
  /** How long a card-read session outlives its card leaving the reader (a re-seat), ms. */
  cardAbsentGraceMs?: number;
  log: Logger;
  onIdleWarning: (secondsLeft: number) => void;
  /** Seconds until a card-read session ends for want of its card; null when the card is back. */
  onCardAbsent?: (secondsLeft: number | null) => void;
  onEnded: (reason: SessionEndReason) => void;
  /** How long a concluded session (rated, thanks on screen) lives on; 15 s by default. */
  concludeGraceMs?: number;
}

/** The longest a help call holds the idle timer, ms. */
export const IDLE_HOLD_MAX_MS = 15 * 60_000;

/** The thanks screen counts down 10 s; the host allows a little more, then ends the session itself. */
export const CONCLUDE_GRACE_MS = 15_000;

export class SessionService {
  private session: Session | null = null;
  private warningTimer: NodeJS.Timeout | null = null;
  private endTimer: NodeJS.Timeout | null = null;
  private countdown: NodeJS.Timeout | null = null;
  private cardAbsentTimer: NodeJS.Timeout | null = null;
  private cardAbsentDeadline = 0;
  /** On the monotonic clock: a wall-clock step must not end a session early or stretch its countdown. */
  private idleDeadline = 0;
  private readonly wipers = new Set<() => void | Promise<void>>();
  /** While a help call is open the idle timer is held; this ends the hold at its bound. */
  private holdTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SessionOptions) {}

  /** New idle times (remote configuration): from the next activity on; a countdown under way runs out as it began. */
  setIdleTimes(idleTimeoutMs: number, idleWarningMs: number): void {
    this.options.idleTimeoutMs = idleTimeoutMs;
    this.options.idleWarningMs = idleWarningMs;
  }

  /** Something else holding session data (print spool, temp files) registers its wipe here. */
  onWipe(wiper: () => void | Promise<void>): () => void {
    this.wipers.add(wiper);
    return () => this.wipers.delete(wiper);
  }

  view(): SessionView | null {
    const session = this.session;
    if (!session) return null;
    return {
      sessionId: session.id,
      serviceId: session.serviceId,
      identity: session.identity,
      identitySource: session.identitySource,
      startedAt: session.startedAt,
      assistedBy: session.assistedBy,
      agency: agencyViewOf(session),
    };
  }

  current(): Readonly<Session> | null {
    return this.session;
  }

  /** Starts a session for a service, or moves the current one to another service keeping its identity. */
  start(serviceId: string | null): SessionView {
    if (!this.session) {
      this.session = {
        id: randomUUID(),
        serviceId,
        identity: null,
        identitySource: null,
        photoWlt: null,
        startedAt: new Date().toISOString(),
        submitted: new Set(),
        concludesAt: null,
        check: INITIAL_CHECK,
        checkStaffNumber: null,
        assistedBy: null,
        faceVerdict: null,
        faceRound: 0,
        agency: null,
      };
      this.options.log.log('info', 'session.started', { sessionId: this.session.id, serviceId });
    } else {
      this.session.serviceId = serviceId;
    }
    this.touch();
    return this.view() as SessionView;
  }

  /**
   * 帮办 (issue 12): a signed-in assistant starts working beside the citizen. A fresh session begins (a
   * previous citizen's is never carried into it), marked with the assistant's 工号: the citizen's own
   * card still establishes the identity; the case, its receipt and its 好差评 name the assistant.
   */
  async startAssisted(staffNumber: string): Promise<SessionView> {
    await this.end('staff');
    this.start(null);
    const session = this.session as Session;
    session.assistedBy = staffNumber;
    this.options.log.log('info', 'session.assisted', { sessionId: session.id, staffNumber });
    return this.view() as SessionView;
  }

  setIdentity(identity: IdentityCard, source: IdentitySource, photoWlt: Uint8Array | null): SessionView {
    if (!this.session) this.start(null);
    const session = this.session as Session;
    if (session.photoWlt) session.photoWlt.fill(0);
    // Another person's identity starts the check afresh; the same card laid back keeps it.
    if (session.identity?.idNumber !== identity.idNumber) {
      session.check = INITIAL_CHECK;
      session.checkStaffNumber = null;
      session.faceVerdict = null;
      session.faceRound += 1;
      // 代办 is bound to the agent who began it: another person at the screen starts as 本人办理.
      this.wipeAgency(session);
    }
    session.identity = identity;
    session.identitySource = source;
    session.photoWlt = photoWlt;
    this.options.log.log('info', 'session.identity', { sessionId: session.id, applicant: this.options.log.pseudonym(identity.idNumber), source });
    this.touch();
    return this.view() as SessionView;
  }

  /**
   * The card the session's identity was read from left the reader (issue 10, kind 6: a second citizen
   * who laid their card within the idle time got the first one's session). A session whose identity came
   * from a card ends `cardAbsentGraceMs` later unless the same card comes back (`cardReturned`): a card
   * nudged off the reader and laid back continues, anything else is a person who left. Other sessions
   * (no identity yet, QR code, staff-entered) are not bound to a card.
   */
  cardRemoved(): void {
    const session = this.session;
    if (!session?.identity || session.identitySource !== 'id-card' || this.cardAbsentTimer) return;
    // 代办: the agent lifts their card to lay the principal's; the countdown starts if that card is lifted in turn.
    if (session.agency?.awaitingCard) return;
    const graceMs = this.options.cardAbsentGraceMs ?? 15_000;
    this.cardAbsentDeadline = monotonicMs() + graceMs;
    const tick = () => {
      const left = Math.max(0, Math.ceil((this.cardAbsentDeadline - monotonicMs()) / 1000));
      if (left > 0) {
        this.options.onCardAbsent?.(left);
        return;
      }
      void this.end('card-removed');
    };
    tick();
    this.cardAbsentTimer = setInterval(tick, 1000);
  }

  /** The session's own card is back on the reader: the session goes on. */
  cardReturned(): void {
    if (!this.cardAbsentTimer) return;
    this.clearCardAbsent();
    this.options.onCardAbsent?.(null);
  }

  /** One face-check attempt's outcome for the session's identity (contract/identity-assurance.ts); null without one. */
  /**
   * The face attempt now open for the session's identity, to pass back to {@link noteFaceVerdict} when
   * central answers (a number that changes when the page reports an outcome or the identity changes);
   * null without an identity.
   */
  faceRound(): number | null {
    return this.session?.identity ? this.session.faceRound : null;
  }

  /**
   * Keeps central's answer to a face comparison of the session's identity (host/face-handlers.ts), begun in
   * `round` ({@link faceRound}). Dropped (false) when that attempt has been reported meanwhile (e.g. the
   * liveness check failed while central was comparing) or the identity changed: such an answer must never
   * back a later report of `match`.
   */
  noteFaceVerdict(verdict: 'match' | 'no-match' | 'unavailable', round: number): boolean {
    if (!this.session?.identity || this.session.faceRound !== round) return false;
    this.session.faceVerdict = verdict;
    return true;
  }

  /**
   * Takes (and clears) central's last face answer for this identity, or null when there is none, and
   * closes the attempt: an answer still on its way is dropped when it comes ({@link noteFaceVerdict}).
   * Called on EVERY report of an attempt's outcome, so a liveness failure after an early match consumes it.
   */
  takeFaceVerdict(): 'match' | 'no-match' | 'unavailable' | null {
    const verdict = this.session?.faceVerdict ?? null;
    if (this.session) {
      this.session.faceVerdict = null;
      this.session.faceRound += 1;
    }
    return verdict;
  }

  recordFaceOutcome(outcome: FaceAttemptOutcome): CheckState | null {
    const session = this.session;
    if (!session?.identity) return null;
    session.check = afterFaceAttempt(session.check, outcome);
    this.touch();
    return session.check;
  }

  /** A staff member confirmed the session's identity in person (人工核验); false without an identity. */
  recordStaffCheck(staffNumber: string): boolean {
    const session = this.session;
    if (!session?.identity) return false;
    session.check = afterStaffCheck(session.check);
    session.checkStaffNumber = staffNumber;
    this.touch();
    return true;
  }

  /** The passed check as the case records it, or null while none has passed. */
  identityCheck(): IdentityCheckRecord | null {
    const check = this.session?.check;
    if (check?.status !== 'passed') return null;
    if (check.method === 'face') return { method: 'face', outcome: 'passed' };
    const staffNumber = this.session?.checkStaffNumber;
    return staffNumber ? { method: 'staff', staffNumber, outcome: 'passed' } : null;
  }

  /**
   * 代办 begins (issue 12): the person whose identity the session holds acts for someone else. The principal,
   * relationship and authorisation follow (`setPrincipal`, `setAuthorisation`). False without an identity.
   */
  beginAgency(): boolean {
    const session = this.session;
    if (!session?.identity) return false;
    if (!session.agency) session.agency = { awaitingCard: false, principal: null, principalSource: null, relationship: null, authorisation: null };
    this.options.log.log('info', 'session.agency', { sessionId: session.id, step: 'begun' });
    this.touch();
    return true;
  }

  /**
   * 代办: the next card laid that is not the agent's names the principal (`offerPrincipalCard`), and lifting the
   * agent's card meanwhile starts no countdown. False outside 代办.
   */
  awaitPrincipalCard(awaiting: boolean): boolean {
    const agency = this.session?.agency;
    if (!agency) return false;
    agency.awaitingCard = awaiting;
    this.touch();
    return true;
  }

  /**
   * A card read while 代办 waits for the principal's: taken as the principal (`taken`), refused when expired
   * (`expired`, nothing set), or not for 代办 (`no`: the agent's own card, or nobody waiting) — the caller then
   * treats it as any card. The agent's card stays the session's: lifting the principal's card afterwards counts
   * down until the agent's comes back, as for any card-read session.
   */
  offerPrincipalCard(card: IdentityCard): 'taken' | 'expired' | 'no' {
    const session = this.session;
    const agency = session?.agency;
    if (!session?.identity || !agency?.awaitingCard || card.idNumber === session.identity.idNumber) return 'no';
    if (card.expired) return 'expired';
    agency.awaitingCard = false;
    this.setPrincipal(card, 'id-card');
    return 'taken';
  }

  /** The 委托人 for 代办 (card or population check); replaces an earlier one and the authorisation given for it. */
  setPrincipal(principal: IdentityCard, source: PrincipalSource): boolean {
    const agency = this.session?.agency;
    if (!agency) return false;
    agency.principal = principal;
    agency.principalSource = source;
    agency.relationship = null;
    agency.authorisation = null;
    this.options.log.log('info', 'session.agency', { sessionId: this.session?.id, step: 'principal', principal: this.options.log.pseudonym(principal.idNumber), source });
    this.touch();
    return true;
  }

  /** Relationship and authorisation for the principal set before; false without one. */
  setAuthorisation(relationship: AgencyRelationship, authorisation: AgencyAuthorisation): boolean {
    const agency = this.session?.agency;
    if (!agency?.principal) return false;
    agency.relationship = relationship;
    agency.authorisation = authorisation;
    this.options.log.log('info', 'session.agency', { sessionId: this.session?.id, step: 'authorised', relationship, authorisation: authorisation.kind });
    this.touch();
    return true;
  }

  /** Back to 本人办理: everything of 代办 is dropped (the authorisation photo's text overwritten first). */
  clearAgency(): void {
    if (this.session) this.wipeAgency(this.session);
  }

  /** 代办 complete: principal, relationship and authorisation all given; null otherwise. */
  agency(): Readonly<{ [K in Exclude<keyof SessionAgency, 'awaitingCard'>]: NonNullable<SessionAgency[K]> }> | null {
    const agency = this.session?.agency;
    if (!agency?.principal || !agency.principalSource || !agency.relationship || !agency.authorisation) return null;
    return { principal: agency.principal, principalSource: agency.principalSource, relationship: agency.relationship, authorisation: agency.authorisation };
  }

  /**
   * Who the application is for: the principal in a 代办 session once named, else the identity read. Prefill,
   * e-licences, shared data and the case use this; 人证核验 and the card's presence stay with `identity`.
   */
  applicant(): IdentityCard | null {
    return this.session?.agency?.principal ?? this.session?.identity ?? null;
  }

  recordSubmission(localNumber: string): void {
    this.session?.submitted.add(localNumber);
  }

  /** Has this session submitted an application? Then it is finished: rating and queries only. */
  finished(): boolean {
    return (this.session?.submitted.size ?? 0) > 0;
  }

  /** Was this local number submitted in the current session? */
  submittedHere(localNumber: string): boolean {
    return this.session?.submitted.has(localNumber) ?? false;
  }

  /**
   * The citizen has done what they came for (submitted, and rated or declined to): the session ends
   * `concludeGraceMs` from now, and activity no longer extends it. Does nothing without a session.
   */
  conclude(): void {
    const session = this.session;
    if (!session || session.concludesAt !== null) return;
    session.concludesAt = monotonicMs() + (this.options.concludeGraceMs ?? CONCLUDE_GRACE_MS);
    this.options.log.log('info', 'session.concluded', { sessionId: session.id });
    this.touch();
  }

  /**
   * A help call is open (issue 12): the citizen waits for staff and must not lose their progress, so
   * the idle timer stops — for at most `maxMs` (default 15 minutes: a call nobody answers must not keep
   * a citizen's data on screen for ever), after which the normal idle timer and its countdown run again.
   * A concluded session keeps its end. Calling it again restarts the bound.
   */
  holdIdle(maxMs = IDLE_HOLD_MAX_MS): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      this.options.log.log('info', 'session.idle-hold-expired', { sessionId: this.session?.id ?? null });
      this.touch();
    }, timerDelay(maxMs));
    this.touch();
  }

  /** The help call ended: the idle timer runs again from now, its countdown warning before the end as usual. */
  releaseIdle(): void {
    if (!this.holdTimer) return;
    clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.touch();
  }

  /** Whether the idle timer is held for a help call. */
  idleHeld(): boolean {
    return this.holdTimer !== null;
  }

  /** Restarts the idle timer (a concluded session keeps its end); returns the deadline. */
  touch(): string {
    this.clearTimers();
    if (!this.session) return new Date().toISOString();
    if (this.holdTimer && this.session.concludesAt === null) {
      // Held for a help call: no countdown (the UI hides it while a call is open); the hold's bound restarts the timer.
      return new Date(Date.now() + IDLE_HOLD_MAX_MS).toISOString();
    }
    if (this.session.concludesAt !== null) {
      this.idleDeadline = this.session.concludesAt;
      const left = timerDelay(this.idleDeadline - monotonicMs());
      this.endTimer = setTimeout(() => void this.end('completed'), left);
      return new Date(Date.now() + left).toISOString();
    }
    const { idleTimeoutMs, idleWarningMs } = this.options;
    this.idleDeadline = monotonicMs() + idleTimeoutMs;
    this.warningTimer = setTimeout(() => {
      const tick = () => this.options.onIdleWarning(Math.max(0, Math.round((this.idleDeadline - monotonicMs()) / 1000)));
      tick();
      this.countdown = setInterval(tick, 1000);
    }, idleTimeoutMs - idleWarningMs);
    this.endTimer = setTimeout(() => void this.end('idle-timeout'), idleTimeoutMs);
    return new Date(Date.now() + idleTimeoutMs).toISOString();
  }

  /** Ends and wipes. Safe to call when no session exists (still runs the wipers: nothing may linger). */
  async end(reason: SessionEndReason): Promise<boolean> {
    this.clearTimers();
    this.clearCardAbsent();
    const session = this.session;
    this.session = null;
    if (session) {
      session.photoWlt?.fill(0);
      session.photoWlt = null;
      session.identity = null;
      this.wipeAgency(session);
      session.submitted.clear();
      this.options.log.log('info', 'session.ended', { sessionId: session.id, reason });
    }
    for (const wiper of this.wipers) {
      try {
        await wiper();
      } catch (error) {
        this.options.log.log('error', 'session.wipe-failed', { error });
      }
    }
    this.options.onEnded(reason);
    return true;
  }

  dispose(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.clearTimers();
    this.clearCardAbsent();
    this.session = null;
  }

  private wipeAgency(session: Session): void {
    const agency = session.agency;
    session.agency = null;
    if (!agency) return;
    agency.principal = null;
    agency.authorisation = null;
    agency.relationship = null;
    agency.awaitingCard = false;
  }

  private clearCardAbsent(): void {
    if (this.cardAbsentTimer) clearInterval(this.cardAbsentTimer);
    this.cardAbsentTimer = null;
  }

  private clearTimers(): void {
    if (this.warningTimer) clearTimeout(this.warningTimer);
    if (this.endTimer) clearTimeout(this.endTimer);
    if (this.countdown) clearInterval(this.countdown);
    this.warningTimer = this.endTimer = this.countdown = null;
  }
}
