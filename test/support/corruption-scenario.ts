import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KioskInfo } from '../../contract/channels.js';
import type { OutboxEntry } from '../../contract/domain.js';
import { findDeckCard } from '../../drivers/simulators/id-card-deck.js';
import { connectBridge, simpleDraft, type BridgeClient } from './bridge-client.js';
import { startTestCentral, temporaryDirectories } from './central-fixture.js';
import { startChildHost, writeChildConfig, type ChildHost } from './child-host.js';
import { eventually } from './eventually.js';
import { checkpoint, corruptPage } from './storage-damage.js';

/**
 * Issue 10, kind 2, end to end with a real host process: applications are taken from several citizens
 * (some delivered, some queued while central is busy), the host is killed, the outbox is damaged (a random
 * page overwritten) or deleted, and the host starts again. Every acknowledged application must then be
 * delivered once, to its own case (the citizen whose card was read), or be listed for staff; the kiosk is
 * out of service until a technician acknowledges it, and the next application gets a number never used
 * before. Shared by the chaos test and the `chaos.corruption.*` bench.
 */
export type Damage = 'corrupt-page' | 'delete-outbox';

export interface ScenarioResult {
  damage: Damage;
  acknowledged: number;
  /** Delivered once, to a case whose applicant is the citizen whose card was read. */
  deliveredToOwnCase: number;
  /** On the staff list (lost, or needing a person). */
  listedForStaff: number;
  /** Neither: the figure that must be 0. */
  unaccounted: string[];
  /** On central more than once, or under another applicant. */
  misattributed: string[];
  outOfServiceAfterRestart: boolean;
  backInServiceAfterAcknowledgement: boolean;
  /** The application taken after the acknowledgement reuses an earlier number. */
  numberReused: boolean;
}

const CITIZENS = ['resident-zhang', 'resident-li', 'hk-mo-tw-chen'] as const;
const TECHNICIAN = { number: '9001', pin: '135790' };

function idNumberOf(cardId: string): string {
  const fields = findDeckCard(cardId)?.fields as { idNumber?: string } | undefined;
  if (!fields?.idNumber) throw new Error(`no ID number on ${cardId}`);
  return fields.idNumber;
}

/** One citizen at the kiosk: lays their card, picks the service, submits; the session ends. */
async function applyAs(bridge: BridgeClient, cardId: string, draft: ReturnType<typeof simpleDraft>): Promise<string> {
  await bridge.call('session:end', { reason: 'completed' });
  bridge.events.splice(0);
  const read = bridge.waitForEvent('identity:read', 15_000);
  if (!(await bridge.call('simulator:place-card', { cardId })).ok) throw new Error('card not placed');
  await read;
  if (!(await bridge.call('session:start', { serviceId: draft.serviceId })).ok) throw new Error('session not started');
  const outcome = await bridge.call('application:submit', draft);
  if (!outcome.ok) throw new Error(`submit refused: ${JSON.stringify(outcome.error)}`);
  return (outcome.value as { localNumber: string }).localNumber;
}

export async function runCorruptionScenario(damage: Damage, random: () => number, sizes = { delivered: 3, queued: 4 }): Promise<ScenarioResult> {
  const directories = temporaryDirectories();
  const dir = directories.make('taian-corruption-');
  const terminal = 'TA-CHAOS-0002';
  const test = await startTestCentral(dir, { terminalId: terminal });
  const dataDir = join(dir, 'kiosk');
  mkdirSync(dataDir);
  const configFile = writeChildConfig(dir, {
    mode: 'demo',
    dataDir,
    terminal: { id: terminal, hallName: '泰安市政务服务中心（存储故障测试）', divisionCode: '370902' },
    central: { url: test.central.url, keyId: terminal, secret: test.key.secret, timeoutMs: 2_000 },
    devices: { idCardReader: { kind: 'simulated' }, scanner: { kind: 'none' }, receiptPrinter: { kind: 'none' }, documentPrinter: { kind: 'none' } },
  });
  const draft = simpleDraft(test.catalog.services);
  const applicantOf = new Map<string, string>();
  let child: ChildHost | null = null;
  const startChild = async () => {
    child = startChildHost(configFile);
    const ready = await child.ready;
    if (!ready) throw new Error(`host did not start: ${child.stderr()}`);
    return connectBridge(ready);
  };
  try {
    let bridge = await startChild();
    let turn = 0;
    const apply = async () => {
      const cardId = CITIZENS[turn++ % CITIZENS.length] ?? CITIZENS[0];
      applicantOf.set(await applyAs(bridge, cardId, draft), idNumberOf(cardId));
    };
    for (let index = 0; index < sizes.delivered; index++) await apply();
    await eventually(async () => ((await bridge.call('outbox:get-depth', {})).value as { pending: number }).pending === 0, 20_000, 'the first applications delivered');
    test.central.setFaults({ errorRate: 1, retryAfterSeconds: 1 });
    for (let index = 0; index < sizes.queued; index++) await apply();
    bridge.close();
    const killed: ChildHost = child as unknown as ChildHost;
    killed.process.kill('SIGKILL');
    await killed.exited;

    const outboxFile = join(dataDir, 'outbox.sqlite');
    if (damage === 'corrupt-page') {
      checkpoint(outboxFile);
      const db = new Database(outboxFile, { readonly: true });
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      const pageCount = db.pragma('page_count', { simple: true }) as number;
      db.close();
      corruptPage(outboxFile, 2 + Math.floor(random() * (pageCount - 1)), pageSize, random);
    } else {
      for (const name of readdirSync(dataDir)) if (name.startsWith('outbox.sqlite')) rmSync(join(dataDir, name));
    }
    test.central.setFaults({ errorRate: 0 });

    bridge = await startChild();
    const outOfServiceAfterRestart = Boolean(((await bridge.call('kiosk:get-info', {})).value as KioskInfo).outOfService);
    const signed = await bridge.call('staff:sign-in', TECHNICIAN);
    if (!signed.ok) throw new Error('technician sign-in refused');
    // Settled: nothing left to send, and every lost record asked of central.
    const settled = async () => {
      const entries = ((await bridge.call('outbox:list-pending', {})).value ?? []) as OutboxEntry[];
      return entries.every((entry) => entry.state === 'needs-staff' && entry.lastError !== 'lost: record-damaged') ? entries : null;
    };
    const listed = new Set((await eventually(settled, 60_000, 'the outbox to settle')).map((entry) => entry.localNumber));

    const cases = new Database(test.dbFile, { readonly: true })
      .prepare<[string], { local_number: string; applicant_id: string }>('SELECT local_number, applicant_id FROM cases WHERE terminal_id = ?')
      .all(terminal);
    const onCentral = new Map<string, string[]>();
    for (const row of cases) onCentral.set(row.local_number, [...(onCentral.get(row.local_number) ?? []), row.applicant_id]);
    let deliveredToOwnCase = 0;
    const unaccounted: string[] = [];
    const misattributed: string[] = [];
    for (const [localNumber, applicant] of applicantOf) {
      const applicants = onCentral.get(localNumber) ?? [];
      if (applicants.length > 1 || applicants.some((id) => id !== applicant)) misattributed.push(localNumber);
      else if (applicants.length === 1) deliveredToOwnCase++;
      else if (!listed.has(localNumber)) unaccounted.push(localNumber);
    }

    const acknowledgedFault = await bridge.call('kiosk:acknowledge-storage-fault', {});
    const backInServiceAfterAcknowledgement = acknowledgedFault.ok && ((await bridge.call('kiosk:get-info', {})).value as KioskInfo).outOfService === null;
    await bridge.call('staff:sign-out', {});
    const before = new Set(applicantOf.keys());
    const next = await applyAs(bridge, CITIZENS[0], draft);
    bridge.close();
    return {
      damage,
      acknowledged: applicantOf.size,
      deliveredToOwnCase,
      listedForStaff: [...applicantOf.keys()].filter((localNumber) => listed.has(localNumber) && !onCentral.has(localNumber)).length,
      unaccounted,
      misattributed,
      outOfServiceAfterRestart,
      backInServiceAfterAcknowledgement,
      numberReused: before.has(next),
    };
  } finally {
    const last = child as ChildHost | null;
    if (last && last.process.exitCode === null && last.process.signalCode === null) {
      last.process.kill('SIGKILL');
      await last.exited;
    }
    await test.central.close();
    directories.cleanup();
  }
}
