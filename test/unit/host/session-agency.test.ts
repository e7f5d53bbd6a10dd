import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityCard } from '../../../contract/domain.js';
import { createLogger } from '../../../host/services/log.js';
import { SessionService } from '../../../host/services/session.js';

const card = (name: string, idNumber: string): IdentityCard => ({
  cardType: 'resident',
  name,
  sex: 'male',
  nation: '汉',
  birthDate: '1968-03-15',
  address: '山东省泰安市泰山区东岳大街128号',
  idNumber,
  issuingAuthority: '泰安市公安局泰山分局',
  validFrom: '2015-06-10',
  validTo: null,
  expired: false,
  hasPhoto: true,
});
const agent = card('张建华', '370902196803151236');
const principal = card('刘建国', '370911195209300031');
const photo = { kind: '委托书' as const, mimeType: 'image/jpeg' as const, base64: '/9j/4AAQSkZJRgABAQ==' };

describe('SessionService 代办', () => {
  let session: SessionService;
  let lines: string[];

  beforeEach(() => {
    lines = [];
    const log = createLogger({ dataDir: null });
    const original = log.log.bind(log);
    log.log = (level, event, fields) => {
      lines.push(JSON.stringify({ level, event, fields }));
      original(level, event, fields);
    };
    session = new SessionService({ idleTimeoutMs: 60_000, idleWarningMs: 20_000, log, onIdleWarning: () => {}, onEnded: () => {} });
    session.start('senior-preferential-card');
    session.setIdentity(agent, 'id-card', null);
  });
  afterEach(() => session.dispose());

  it('keeps the agent as the identity and makes the principal the applicant, masked in the view', () => {
    expect(session.beginAgency()).toBe(true);
    expect(session.agency()).toBeNull();
    expect(session.applicant()).toBe(agent);
    session.setPrincipal(principal, 'population-check');
    expect(session.applicant()).toBe(principal);
    expect(session.current()?.identity).toBe(agent);
    expect(session.agency()).toBeNull();
    expect(session.setAuthorisation('子女', photo)).toBe(true);
    expect(session.agency()).toEqual({ principal, principalSource: 'population-check', relationship: '子女', authorisation: photo });
    expect(session.view()?.agency).toEqual({
      agent: { nameMasked: '张*华', idMasked: '370***********1236' },
      principal: { nameMasked: '刘*国', idMasked: '370***********0031', source: 'population-check' },
      relationship: '子女',
      authorisation: '委托书',
    });
    // Logs carry pseudonyms and kinds, never a name, a number or the photo.
    const logged = lines.join('\n');
    for (const secret of [agent.idNumber, principal.idNumber, agent.name, principal.name, photo.base64]) expect(logged).not.toContain(secret);
  });

  it('refuses an authorisation before the principal, and 代办 without an identity', () => {
    session.beginAgency();
    expect(session.setAuthorisation('配偶', photo)).toBe(false);
    const fresh = new SessionService({ idleTimeoutMs: 60_000, idleWarningMs: 20_000, log: createLogger({ dataDir: null }), onIdleWarning: () => {}, onEnded: () => {} });
    fresh.start(null);
    expect(fresh.beginAgency()).toBe(false);
    fresh.dispose();
  });

  it('wipes 代办 at the end of the session, and when another person’s card is read', async () => {
    session.beginAgency();
    session.setPrincipal(principal, 'population-check');
    session.setAuthorisation('子女', photo);
    const held = session.current()?.agency;
    await session.end('completed');
    expect(session.agency()).toBeNull();
    expect(session.applicant()).toBeNull();
    expect(held).toMatchObject({ principal: null, authorisation: null, relationship: null });

    session.start('senior-preferential-card');
    session.setIdentity(agent, 'id-card', null);
    session.beginAgency();
    session.setPrincipal(principal, 'population-check');
    session.setIdentity(card('李秀英', '370911199008224021'), 'id-card', null);
    expect(session.current()?.agency).toBeNull();
    expect(session.applicant()?.name).toBe('李秀英');
  });

  it('takes a waited-for principal card without a countdown for the agent’s lifted card, then counts down for the principal’s', () => {
    const absent: Array<number | null> = [];
    const waiting = new SessionService({ idleTimeoutMs: 60_000, idleWarningMs: 20_000, cardAbsentGraceMs: 5_000, log: createLogger({ dataDir: null }), onIdleWarning: () => {}, onCardAbsent: (left) => absent.push(left), onEnded: () => {} });
    waiting.start('senior-preferential-card');
    waiting.setIdentity(agent, 'id-card', null);
    expect(waiting.offerPrincipalCard(principal)).toBe('no');
    expect(waiting.awaitPrincipalCard(true)).toBe(false);
    waiting.beginAgency();
    waiting.awaitPrincipalCard(true);
    waiting.cardRemoved();
    expect(absent).toEqual([]);
    expect(waiting.offerPrincipalCard(agent)).toBe('no');
    expect(waiting.offerPrincipalCard({ ...principal, expired: true })).toBe('expired');
    expect(waiting.offerPrincipalCard(principal)).toBe('taken');
    expect(waiting.view()?.agency?.principal).toEqual({ nameMasked: '刘*国', idMasked: '370***********0031', source: 'id-card' });
    expect(waiting.current()?.identity).toBe(agent);
    // The principal's card lifted: the agent's card must come back, as for any card-read session.
    waiting.cardRemoved();
    expect(absent).toEqual([5]);
    waiting.dispose();
  });

  it('goes back to 本人办理 when 代办 is cleared', () => {
    session.beginAgency();
    session.setPrincipal(principal, 'population-check');
    session.clearAgency();
    expect(session.applicant()).toBe(agent);
    expect(session.view()?.agency).toBeNull();
  });
});
