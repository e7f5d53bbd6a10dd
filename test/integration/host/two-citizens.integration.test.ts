import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import type { SessionView } from '../../../contract/channels.js';
import { findDeckCard } from '../../../drivers/simulators/id-card-deck.js';
import { confirmInPerson, simpleDraft, startBridgedDemo, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';

/**
 * Issue 10, kind 6: removing a card did not end the session, so a second citizen who laid their card
 * within the idle time got the first one's session (name and ID number in the form) and could submit it;
 * the first receipt stayed in the print spool; a card left on the reader was never read for the next
 * session and nobody was told to take it. Two citizens, one reader, back to back.
 */
let demo: BridgedDemo;
let bridge: BridgeClient;
const draft = simpleDraft(loadCatalog().services);
const ZHANG = findDeckCard('resident-zhang')?.fields as { name: string; idNumber: string };
const LI = findDeckCard('resident-li')?.fields as { name: string; idNumber: string };

beforeEach(async () => {
  demo = await startBridgedDemo({ submitWaitMs: 3_000, config: { session: { idleTimeoutSeconds: 120, idleWarningSeconds: 30, cardAbsentGraceSeconds: 30 } } });
  bridge = demo.bridge;
});
afterEach(async () => {
  await demo.close();
});

/** Waits for the next `event` after this call (older ones of the same name do not count). */
function next(event: string, timeoutMs = 15_000): Promise<unknown> {
  bridge.events.splice(0);
  return bridge.waitForEvent(event, timeoutMs);
}

async function layCard(cardId: string): Promise<void> {
  const read = next('identity:read');
  expect((await bridge.call('simulator:place-card', { cardId })).ok).toBe(true);
  await read;
  // 人证核验 (issue 14) before the application, as hall staff do it in person.
  await confirmInPerson(bridge);
}

const spool = () => readdirSync(join(demo.stack.config.dataDir, 'spool'));
const session = async () => (await bridge.call('session:get', {})).value as SessionView | null;
function applicantOnCentral(localNumber: string) {
  const db = new Database(demo.stack.centralDbFile, { readonly: true });
  try {
    return db.prepare<[string], { applicant_id: string; applicant_name: string }>('SELECT applicant_id, applicant_name FROM cases WHERE local_number = ?').get(localNumber);
  } finally {
    db.close();
  }
}

async function firstCitizenSubmits(): Promise<string> {
  await layCard('resident-zhang');
  expect((await bridge.call('session:start', { serviceId: draft.serviceId })).ok).toBe(true);
  const submitted = await bridge.call('application:submit', draft);
  expect(submitted.ok).toBe(true);
  expect(spool().length).toBeGreaterThan(0);
  return (submitted.value as { localNumber: string }).localNumber;
}

async function secondCitizenIsAlone(firstLocalNumber: string): Promise<void> {
  expect((await session())?.identity?.name).toBe(LI.name);
  expect(spool()).toEqual([]);
  expect((await bridge.call('session:start', { serviceId: draft.serviceId })).ok).toBe(true);
  const prefill = JSON.stringify((await bridge.call('application:prefill', { serviceId: draft.serviceId })).value);
  expect(prefill).not.toContain(ZHANG.name);
  expect(prefill).not.toContain(ZHANG.idNumber);
  const submitted = await bridge.call('application:submit', draft);
  const localNumber = (submitted.value as { localNumber: string }).localNumber;
  expect(localNumber).not.toBe(firstLocalNumber);
  expect(applicantOnCentral(localNumber)).toEqual({ applicant_id: LI.idNumber, applicant_name: LI.name });
  expect(applicantOnCentral(firstLocalNumber)?.applicant_id).toBe(ZHANG.idNumber);
}

describe('two citizens at one reader', () => {
  it('gives the second, who lays their card within the idle time, a session of their own (was: the first one\'s, with name and ID number)', async () => {
    const first = await firstCitizenSubmits();
    const ended = next('session:ended');
    // The second citizen lifts the first card from the reader and lays their own.
    await bridge.call('simulator:place-card', { cardId: 'resident-li' });
    expect(await ended).toEqual({ reason: 'card-removed', cardOnReader: false });
    await bridge.waitForEvent('identity:read', 15_000);
    // The second citizen is confirmed in person too (人证核验, issue 14): nothing of the first one's check carries over.
    await confirmInPerson(bridge);
    await secondCitizenIsAlone(first);
  });

  it('counts the session down when its card is lifted, and goes on when the same card comes back', async () => {
    await layCard('resident-zhang');
    await bridge.call('session:start', { serviceId: draft.serviceId });
    const absent = next('session:card-absent');
    await bridge.call('simulator:remove-card', {});
    expect(((await absent) as { secondsLeft: number }).secondsLeft).toBeGreaterThan(0);
    // A re-seat: the same card, the same session.
    const back = next('session:card-absent');
    await bridge.call('simulator:place-card', { cardId: 'resident-zhang' });
    expect(await back).toEqual({ secondsLeft: null });
    expect((await session())?.identity?.name).toBe(ZHANG.name);
  });

  it('asks the next citizen to lift a card left on the reader, never giving them its identity, and reminds the first to take it', async () => {
    const first = await firstCitizenSubmits();
    const ended = next('session:ended');
    await bridge.call('session:end', { reason: 'completed' });
    expect(await ended).toEqual({ reason: 'completed', cardOnReader: true });
    // The next citizen starts without laying a card: the one lying there is not theirs to use.
    const rejected = next('identity:rejected');
    await bridge.call('session:start', { serviceId: draft.serviceId });
    expect(await rejected).toMatchObject({ code: 'card-left-on-reader', message: expect.stringMatching(/拿起来/) });
    expect((await session())?.identity).toBeNull();
    expect(await bridge.call('application:submit', draft)).toMatchObject({ ok: false, error: { code: 'no-identity' } });
    // They lift it and lay their own.
    await bridge.call('simulator:remove-card', {});
    await layCard('resident-li');
    await secondCitizenIsAlone(first);
  });

  it('announces the session\'s own card again when the session moves on to an application with the card still there', async () => {
    await layCard('resident-zhang');
    const read = next('identity:read');
    await bridge.call('session:start', { serviceId: draft.serviceId });
    expect(await read).toMatchObject({ identity: { name: ZHANG.name }, source: 'id-card' });
  });
});
