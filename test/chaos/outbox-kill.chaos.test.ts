import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ID_CARD_DECK } from '../../drivers/simulators/id-card-deck.js';
import { connectBridge, nextCitizenSession, simpleDraft } from '../support/bridge-client.js';
import { startTestCentral, temporaryDirectories } from '../support/central-fixture.js';
import { startChildHost, writeChildConfig, type ChildHost } from '../support/child-host.js';
import { startFaultProxy, type ProxyFaults } from '../support/fault-proxy.js';
import type { Faults } from '../../central/server.js';
import { mulberry32 } from '../support/seeded-random.js';

/**
 * The promise behind "已提交": a child host process enqueues and drains while it is SIGKILLed at random
 * moments (during start-up, mid-enqueue, mid-request, mid-commit) and restarted on the same data
 * directory, while the fault proxy and central's own switches break the network in a different way each
 * round. At the end every submission the host acknowledged to the "citizen" (its submit call returned)
 * is on central exactly once. CHAOS_KILLS sets the number of kills (CI uses a bounded count).
 */
const KILLS = Number(process.env.CHAOS_KILLS ?? 40);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const TERMINAL = 'TA-CHAOS-0001';

const PROFILES: Array<{ name: string; proxy: Partial<ProxyFaults>; central: Partial<Faults> }> = [
  { name: 'clean', proxy: {}, central: {} },
  { name: 'latency', proxy: { latencyMs: 80 }, central: { latencyMs: 60 } },
  { name: 'lost-acks', proxy: {}, central: { resetAfterProcessingRate: 0.4 } },
  { name: 'cut-bodies', proxy: { closeResponseAfterBytes: 120, closeRate: 0.4 }, central: {} },
  { name: 'resets', proxy: { resetRate: 0.4, resetWithinMs: 60 }, central: {} },
  { name: 'offline', proxy: { refuse: true }, central: {} },
  { name: 'timeouts', proxy: { blackhole: true }, central: {} },
  { name: 'sliced-slow', proxy: { sliceBytes: 7, bytesPerSecond: 4_000 }, central: { slowBodyBytesPerSecond: 2_000 } },
  { name: 'busy', proxy: {}, central: { errorRate: 0.4, retryAfterSeconds: 1 } },
];

/** 0 … n-1 in a seeded random order (Fisher–Yates). */
function shuffled(n: number, random: () => number): number[] {
  const items = Array.from({ length: n }, (_, index) => index);
  for (let index = n - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other] as number, items[index] as number];
  }
  return items;
}

const directories = temporaryDirectories();
afterAll(() => directories.cleanup());

describe('Outbox under SIGKILL and network faults', () => {
  it('keeps every acknowledged submission and delivers it to central exactly once', async () => {
    const random = mulberry32(SEED);
    const dir = directories.make('taian-chaos-');
    const test = await startTestCentral(dir, { terminalId: TERMINAL });
    const proxy = await startFaultProxy({ port: test.central.port });
    const dataDir = join(dir, 'kiosk');
    mkdirSync(dataDir);
    const configFile = writeChildConfig(dir, {
      mode: 'demo',
      dataDir,
      terminal: { id: TERMINAL, hallName: '泰安市政务服务中心（混沌测试）', divisionCode: '370902' },
      central: { url: proxy.url, keyId: TERMINAL, secret: test.key.secret, timeoutMs: 1_500 },
      devices: { idCardReader: { kind: 'simulated' }, scanner: { kind: 'none' }, receiptPrinter: { kind: 'none' }, documentPrinter: { kind: 'none' } },
    });
    const draft = simpleDraft(test.catalog.services);
    const acknowledged = new Set<string>();
    const profilesUsed = new Map<string, number>();
    let kills = 0;
    let order: number[] = [];
    let killedBeforeReady = 0;
    let child: ChildHost | null = null;

    try {
      while (kills < KILLS) {
        // Profiles in a seeded order, each once per PROFILES.length kills: a bounded CI run still meets every fault.
        if (kills % PROFILES.length === 0) order = shuffled(PROFILES.length, random);
        const profile = PROFILES[order[kills % PROFILES.length] ?? 0];
        if (!profile) throw new Error('no profile');
        profilesUsed.set(profile.name, (profilesUsed.get(profile.name) ?? 0) + 1);
        proxy.heal();
        proxy.setFaults(profile.proxy);
        test.central.setFaults({ latencyMs: 0, errorRate: 0, resetAfterProcessingRate: 0, resetBeforeProcessingRate: 0, slowBodyBytesPerSecond: 0, ...profile.central });

        const current = startChildHost(configFile);
        child = current;
        // One kill in five lands during start-up: recovery itself must survive being interrupted.
        const early = random() < 0.2;
        const killAfterMs = early ? random() * 1_200 : 300 + random() * 2_700;
        let killTimer: NodeJS.Timeout | null = null;
        const kill = () => {
          if (current.process.exitCode === null && current.process.signalCode === null) current.process.kill('SIGKILL');
        };
        if (early) killTimer = setTimeout(kill, killAfterMs);
        const ready = await current.ready;
        if (ready && !early) killTimer = setTimeout(kill, killAfterMs);
        if (ready) {
          try {
            const bridge = await connectBridge(ready);
            for (;;) {
              // One application per session (the host refuses a second): each is the next citizen's.
              await nextCitizenSession(bridge, draft.serviceId);
              const outcome = await bridge.call('application:submit', draft);
              const value = outcome.value as { localNumber?: string } | undefined;
              if (outcome.ok && value?.localNumber) acknowledged.add(value.localNumber);
              else if (!outcome.ok) throw new Error(`submit refused: ${JSON.stringify(outcome.error)}`);
            }
          } catch (error) {
            // The kill closes the bridge mid-call: expected. Anything else is a failure of the host.
            if (!/bridge closed|ECONNREFUSED|ECONNRESET|socket hang up|no identity:read|timed out|session:start failed/.test(String(error))) throw error;
          }
        } else {
          killedBeforeReady++;
        }
        kill();
        if (killTimer) clearTimeout(killTimer);
        await current.exited;
        if (current.process.signalCode !== 'SIGKILL') throw new Error(`host exited by itself (${current.process.exitCode}): ${current.stderr()}`);
        kills++;
      }

      // Network healed, host restarted: everything acknowledged must now reach central.
      proxy.heal();
      test.central.setFaults({ latencyMs: 0, errorRate: 0, resetAfterProcessingRate: 0, resetBeforeProcessingRate: 0, slowBodyBytesPerSecond: 0 });
      const final = startChildHost(configFile);
      child = final;
      const ready = await final.ready;
      if (!ready) throw new Error(`final host did not start: ${final.stderr()}`);
      const bridge = await connectBridge(ready);
      const deadline = Date.now() + 180_000;
      let depth = { pending: -1, needsStaff: -1 };
      while (Date.now() < deadline) {
        depth = ((await bridge.call('outbox:get-depth', {})).value ?? depth) as typeof depth;
        if (depth.pending === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      bridge.close();
      final.process.kill('SIGTERM');
      await final.exited;

      const central = new Database(test.dbFile, { readonly: true });
      const rows = central
        .prepare<[string], { local_number: string; copies: number; case_number: string }>(
          'SELECT local_number, COUNT(*) AS copies, MIN(case_number) AS case_number FROM cases WHERE terminal_id = ? GROUP BY local_number',
        )
        .all(TERMINAL);
      central.close();
      // The kiosk's side: every item it ever enqueued, with the case number central answered.
      const kiosk = new Database(join(dataDir, 'outbox.sqlite'), { readonly: true });
      const items = kiosk.prepare<[], { local_number: string; state: string; case_number: string | null }>("SELECT local_number, state, case_number FROM outbox WHERE kind = 'application'").all();
      kiosk.close();
      const onCentral = new Map(rows.map((row) => [row.local_number, row.copies]));
      const lost = [...acknowledged].filter((localNumber) => !onCentral.has(localNumber));
      const duplicated = rows.filter((row) => row.copies > 1).map((row) => row.local_number);
      const stats = test.central.stats();
      const absorbed = stats.idempotentReplays + stats.localNumberReplays + stats.inFlightConflicts;

      process.stdout.write(
        `\nchaos (seed ${SEED}): ${acknowledged.size} acknowledged submissions, ${onCentral.size} cases on central; ` +
          `profiles ${JSON.stringify(Object.fromEntries(profilesUsed))}; ${killedBeforeReady} kills during start-up\n` +
          `${kills} kills, ${lost.length} lost, ${duplicated.length} duplicated, ${absorbed} redeliveries absorbed ` +
          `(${stats.idempotentReplays} replayed, ${stats.inFlightConflicts} in flight, ${stats.localNumberReplays} by local number)\n`,
      );

      expect(kills).toBe(KILLS);
      expect(profilesUsed.size).toBe(Math.min(KILLS, PROFILES.length));
      expect(acknowledged.size).toBeGreaterThan(0);
      expect(lost).toEqual([]);
      expect(duplicated).toEqual([]);
      expect(depth).toEqual({ pending: 0, needsStaff: 0, online: true });
      // One case per enqueued item and no other: a second case for one submission (a duplicate under a
      // new local number, or a lost mapping) would show here; and each local number maps to the case
      // number central gave it, which the receipt's progress QR and 办件查询 rely on.
      expect(items.every((item) => item.state === 'delivered')).toBe(true);
      expect(new Map(items.map((item) => [item.local_number, item.case_number]))).toEqual(new Map(rows.map((row) => [row.local_number, row.case_number])));

      // DOMAIN.md §7: after all that, no plaintext ID number or name in the outbox files or the logs.
      const card = ID_CARD_DECK[0];
      const idNumber = card && 'idNumber' in card.fields ? String(card.fields.idNumber) : '';
      const name = card && 'name' in card.fields ? String(card.fields.name) : '';
      expect(idNumber).toMatch(/^\d{17}[\dX]$/);
      const files = filesUnder(dataDir).filter((file) => /outbox\.sqlite|\.log$/.test(file));
      expect(files.some((file) => file.endsWith('outbox.sqlite'))).toBe(true);
      for (const file of files) {
        const text = readFileSync(file).toString('latin1');
        expect(text.includes(idNumber), file).toBe(false);
        expect(readFileSync(file).includes(Buffer.from(name, 'utf8')), file).toBe(false);
      }
    } finally {
      if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await proxy.close();
      await test.central.close();
    }
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
