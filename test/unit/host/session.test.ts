import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IdentityCard, SessionEndReason } from '../../../contract/domain.js';
import { createLogger } from '../../../host/services/log.js';
import { SessionService } from '../../../host/services/session.js';

const identity: IdentityCard = {
  cardType: 'resident',
  name: '张建华',
  sex: 'male',
  nation: '汉',
  birthDate: '1968-03-15',
  address: '山东省泰安市泰山区东岳大街128号',
  idNumber: '370902196803151236',
  issuingAuthority: '泰安市公安局泰山分局',
  validFrom: '2015-06-10',
  validTo: null,
  expired: false,
  hasPhoto: true,
};

describe('SessionService', () => {
  let warnings: number[];
  let ended: SessionEndReason[];
  let absent: Array<number | null>;
  let session: SessionService;

  beforeEach(() => {
    vi.useFakeTimers();
    warnings = [];
    ended = [];
    absent = [];
    session = new SessionService({
      idleTimeoutMs: 60_000,
      idleWarningMs: 20_000,
      cardAbsentGraceMs: 5_000,
      log: createLogger({ dataDir: null }),
      onIdleWarning: (secondsLeft) => warnings.push(secondsLeft),
      onCardAbsent: (secondsLeft) => absent.push(secondsLeft),
      onEnded: (reason) => ended.push(reason),
    });
  });
  afterEach(() => {
    session.dispose();
    vi.useRealTimers();
  });

  it('counts down visibly before ending an idle session', () => {
    session.start('senior-preferential-card');
    vi.advanceTimersByTime(39_000);
    expect(warnings).toEqual([]);
    vi.advanceTimersByTime(3_000);
    expect(warnings).toEqual([20, 19, 18]);
    vi.advanceTimersByTime(18_000);
    expect(ended).toEqual(['idle-timeout']);
    expect(session.view()).toBeNull();
  });

  it('starts the idle clock again on activity', () => {
    session.start(null);
    vi.advanceTimersByTime(50_000);
    session.touch();
    vi.advanceTimersByTime(50_000);
    expect(ended).toEqual([]);
    vi.advanceTimersByTime(10_000);
    expect(ended).toEqual(['idle-timeout']);
  });

  it('starts a session when a card is read first and keeps the identity when a service is chosen', () => {
    session.setIdentity(identity, 'id-card', new Uint8Array(1024).fill(7));
    const view = session.start('birth-one-thing');
    expect(view.identity?.idNumber).toBe('370902196803151236');
    expect(view.serviceId).toBe('birth-one-thing');
  });

  it('zeroes the photo bytes, forgets the identity and runs every wiper when it ends', async () => {
    const photo = new Uint8Array(1024).fill(7);
    session.setIdentity(identity, 'id-card', photo);
    const wiped: string[] = [];
    session.onWipe(() => void wiped.push('spool'));
    session.onWipe(async () => void wiped.push('temp'));
    await session.end('completed');
    expect(photo.every((byte) => byte === 0)).toBe(true);
    expect(session.view()).toBeNull();
    expect(session.current()).toBeNull();
    expect(wiped).toEqual(['spool', 'temp']);
    expect(ended).toEqual(['completed']);
  });

  it('still wipes when one wiper fails', async () => {
    const wiped: string[] = [];
    session.onWipe(() => {
      throw new Error('disk busy');
    });
    session.onWipe(() => void wiped.push('after'));
    await session.end('cancelled');
    expect(wiped).toEqual(['after']);
  });

  it('does not end a finished session again when its old timer would have fired', async () => {
    session.start(null);
    await session.end('completed');
    vi.advanceTimersByTime(120_000);
    expect(ended).toEqual(['completed']);
  });

  it('ends a card-read session when its card stays off the reader past the grace, counting down (issue 10, kind 6)', async () => {
    session.setIdentity(identity, 'id-card', new Uint8Array(1024).fill(7));
    session.cardRemoved();
    expect(absent).toEqual([5]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(absent).toEqual([5, 4, 3, 2, 1]);
    expect(ended).toEqual(['card-removed']);
    expect(session.current()).toBeNull();
  });

  it('goes on when the same card is laid back within the grace (a re-seat)', async () => {
    session.setIdentity(identity, 'id-card', null);
    session.cardRemoved();
    await vi.advanceTimersByTimeAsync(2_000);
    session.cardReturned();
    expect(absent.at(-1)).toBeNull();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ended).toEqual([]);
    expect(session.current()?.identity?.name).toBe('张建华');
  });

  it('binds only sessions whose identity came from a card', async () => {
    session.start('senior-preferential-card');
    session.cardRemoved();
    session.setIdentity(identity, 'qr-code', null);
    session.cardRemoved();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(absent).toEqual([]);
    expect(ended).toEqual([]);
  });
});
