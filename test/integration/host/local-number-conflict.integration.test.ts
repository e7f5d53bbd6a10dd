import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import type { OutboxEntry, SubmissionOutcome } from '../../../contract/domain.js';
import type { StaffAlert } from '../../../contract/staff.js';
import { confirmInPerson, simpleDraft, startBridgedDemo, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';
import { temporaryDirectories } from '../../support/central-fixture.js';

/**
 * Issue 10, kind 1 through the whole kiosk, against the reference central: a kiosk whose data folder was
 * made anew (a technician's fix for a corrupt outbox, a reinstall) hands out its first local number again.
 * The citizen who gets it must not be given the case central filed under that number for the citizen
 * before: central refuses the application as a conflict, the kiosk lists it for staff (the citizen is told
 * staff will handle it) and alerts the technician.
 */
const directories = temporaryDirectories();
const demos: BridgedDemo[] = [];
afterEach(async () => {
  for (const demo of demos.splice(0)) await demo.close();
  directories.cleanup();
});

async function start(dataDir: string): Promise<BridgedDemo> {
  const demo = await startBridgedDemo({ dataDir, submitWaitMs: 5_000 });
  demos.push(demo);
  return demo;
}

/** Lays demo card `index` on the reader, starts a session with it and submits the simple application. */
async function apply(bridge: BridgeClient, index: number): Promise<SubmissionOutcome> {
  const draft = simpleDraft(loadCatalog().services);
  const cards = (await bridge.call('simulator:list-cards', {})) as { value: Array<{ id: string }> };
  const card = cards.value[index];
  if (!card) throw new Error(`no demo card ${index}`);
  const identity = bridge.waitForEvent('identity:read', 15_000);
  await bridge.call('simulator:place-card', { cardId: card.id });
  await identity;
  await confirmInPerson(bridge);
  const started = await bridge.call('session:start', { serviceId: draft.serviceId });
  if (!started.ok) throw new Error(JSON.stringify(started.error));
  const outcome = await bridge.call('application:submit', draft);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.value as SubmissionOutcome;
}

function centralCases(dataDir: string): Array<{ case_number: string; local_number: string; applicant_id: string }> {
  const db = new Database(join(dataDir, 'central', 'central.sqlite'), { readonly: true });
  try {
    return db.prepare<[], { case_number: string; local_number: string; applicant_id: string }>('SELECT case_number, local_number, applicant_id FROM cases').all();
  } finally {
    db.close();
  }
}

describe('a kiosk whose data folder was made anew', () => {
  it("lists the next citizen's application for staff and alerts the technician when central knows its local number as another citizen's (was: the other citizen's case number on the receipt, the application lost)", async () => {
    const dataDir = directories.make('taian-renumbered-');
    const before = await start(dataDir);
    const first = await apply(before.bridge, 0);
    expect(first.caseNumber).toMatch(/^TA\d{14}$/);
    await before.close();
    demos.splice(demos.indexOf(before), 1);

    // The technician's fix: the kiosk's whole folder (outbox, key, reserved numbers) goes; central stays.
    rmSync(join(dataDir, 'kiosk'), { recursive: true, force: true });
    const after = await start(dataDir);
    const second = await apply(after.bridge, 1);
    expect(second.localNumber).toBe(first.localNumber);
    expect(second.caseNumber).toBeNull();
    expect(second.needsStaff).toBe(true);

    const signed = await after.bridge.call('staff:sign-in', { number: '9001', pin: '135790' });
    expect(signed.ok).toBe(true);
    const listed = (await after.bridge.call('outbox:list-pending', {})).value as OutboxEntry[];
    expect(listed.find((entry) => entry.localNumber === second.localNumber)).toMatchObject({ lastError: 'needs-staff: local-number-conflict' });
    const alerts = (await after.bridge.call('staff:list-alerts', {})).value as StaffAlert[];
    expect(alerts.filter((alert) => alert.kind === 'local-number-conflict').map((alert) => alert.reference)).toEqual([second.localNumber]);
    // Central still has one case under the number, the first citizen's; the second citizen has none of it.
    const cases = centralCases(dataDir);
    expect(cases).toHaveLength(1);
    expect(cases[0]?.case_number).toBe(first.caseNumber);
  });
});
