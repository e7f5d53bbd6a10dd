import { describe, expect, it } from 'vitest';
import type { IdentityCard } from '../../../contract/domain.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { createFaceHandlers, type FaceServices } from '../../../host/face-handlers.js';
import { createIdentityHandlers, type IdentityServices } from '../../../host/identity-handlers.js';
import type { CallOutcome } from '../../../host/services/central-client.js';
import { createLogger } from '../../../host/services/log.js';
import { SessionService } from '../../../host/services/session.js';

/**
 * Issue 14, the face check's overlap: the kiosk sends the frame to central after the FIRST action and
 * runs the second action meanwhile, so central may say `match` for an attempt whose liveness check then
 * fails. The host's real SessionService and its two handlers (identity:verify-face, identity:face-outcome)
 * must leave no verified state from such an attempt, whether central answered before the failure was
 * reported or after.
 */
const LI = '37091119900822402' + gb11643CheckChar('37091119900822402');
const CARD: IdentityCard = {
  cardType: 'resident',
  name: '李秀英',
  sex: 'female',
  nation: '汉',
  birthDate: '1990-08-22',
  address: '山东省泰安市岱岳区长城路1号',
  idNumber: LI,
  issuingAuthority: '泰安市公安局岱岳分局',
  validFrom: '2016-01-01',
  validTo: null,
  expired: false,
  hasPhoto: true,
};
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]).toString('base64');
const CONTEXT = { audiences: new Set(['citizen']) } as never;

/** A session holding 李秀英's card, the two handlers, and central's answers released one at a time by the test. */
function setUp() {
  const log = createLogger({ dataDir: null });
  const session = new SessionService({ idleTimeoutMs: 600_000, idleWarningMs: 60_000, log, onIdleWarning: () => {}, onEnded: () => {} });
  session.setIdentity(CARD, 'id-card', null);
  const pending: Array<(outcome: CallOutcome<{ outcome: string }>) => void> = [];
  const client = {
    key: { keyId: 'TA-TEST-0001', secret: 's'.repeat(32), algorithm: 'hmac-sha256' as const },
    call: () => new Promise<CallOutcome<{ outcome: string }>>((resolve) => pending.push(resolve)),
  };
  const audit = { append: () => undefined };
  const face = createFaceHandlers({ session, client, audit, log } as unknown as FaceServices);
  const identity = createIdentityHandlers({ auth: {}, session, audit, log, client, showToScanner: null } as unknown as IdentityServices);
  return {
    session,
    /** identity:verify-face as the page calls it; resolves once the test answers for central. */
    verify: () => face['identity:verify-face']({ imageBase64: JPEG }, CONTEXT),
    /** Central answers the oldest comparison still waiting. */
    central: async (outcome: 'match' | 'no-match') => {
      while (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      pending.shift()?.({ kind: 'ok', status: 200, value: { outcome } });
    },
    report: (outcome: 'match' | 'no-match' | 'liveness-failed' | 'unavailable') => identity['identity:face-outcome']({ outcome }, CONTEXT),
  };
}

describe('an early comparison and a liveness check that fails afterwards', () => {
  it('passes the check when central said match and the page reports match (liveness passed too)', async () => {
    const { session, verify, central, report } = setUp();
    const answer = verify();
    await central('match');
    expect(await answer).toEqual({ ok: true, value: { outcome: 'match' } });
    expect(await report('match')).toEqual({ ok: true, value: { passed: true, failures: 0 } });
    expect(session.identityCheck()).toEqual({ method: 'face', outcome: 'passed' });
  });

  it('counts 未能确认是本人 and leaves no usable match when liveness fails after central said match', async () => {
    const { session, verify, central, report } = setUp();
    const answer = verify();
    await central('match');
    expect(await answer).toEqual({ ok: true, value: { outcome: 'match' } });
    expect(await report('liveness-failed')).toEqual({ ok: true, value: { passed: false, failures: 1 } });
    // Central's match was consumed by that report: a later claim of match is refused.
    expect(await report('match')).toMatchObject({ ok: false, error: { code: 'not-verified' } });
    expect(session.identityCheck()).toBeNull();
  });

  it('drops central’s match when it arrives after the liveness failure was reported', async () => {
    const { session, verify, central, report } = setUp();
    const answer = verify();
    expect(await report('liveness-failed')).toEqual({ ok: true, value: { passed: false, failures: 1 } });
    await central('match');
    expect(await answer).toEqual({ ok: true, value: { outcome: 'match' } });
    expect(await report('match')).toMatchObject({ ok: false, error: { code: 'not-verified' } });
    expect(session.identityCheck()).toBeNull();
    // The next attempt is judged on its own comparison.
    const next = verify();
    await central('match');
    await next;
    expect(await report('match')).toEqual({ ok: true, value: { passed: true, failures: 1 } });
    expect(session.identityCheck()).toEqual({ method: 'face', outcome: 'passed' });
  });

  it('drops central’s answer for a card that has left: another person’s card starts afresh', async () => {
    const { session, verify, central, report } = setUp();
    const answer = verify();
    session.setIdentity({ ...CARD, idNumber: '370902196803151236', name: '张建华' }, 'id-card', null);
    await central('match');
    await answer;
    expect(await report('match')).toMatchObject({ ok: false, error: { code: 'not-verified' } });
    expect(session.identityCheck()).toBeNull();
  });
});
