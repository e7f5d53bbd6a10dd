import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { simpleDraft, connectBridge, type BridgeClient } from './bridge-client.js';
import { connectCdp, heapAfterGc, inspectorUrl, type CdpClient } from './cdp.js';
import { startTestCentral, temporaryDirectories } from './central-fixture.js';
import { startChildHost, writeChildConfig, type ChildHost } from './child-host.js';

/**
 * The host as a hall runs it (its own process, simulated reader and printer), driven through its bridge
 * one citizen session after another, its heap read through the V8 inspector after forced garbage
 * collections (issue 10, kind 11: 1,000 sessions grew the host heap by 7.1 MB). Shared by the soak bench
 * and the search for what retains memory.
 */
export interface HostSoak {
  bridge: BridgeClient;
  cdp: CdpClient;
  /** One citizen: lays a card, applies, submits, ends the session. */
  session(index: number): Promise<void>;
  heap(): Promise<number>;
  close(): Promise<void>;
}

const CARDS = ['resident-zhang', 'resident-li'] as const;

export async function startHostSoak(): Promise<HostSoak> {
  const directories = temporaryDirectories();
  const dir = directories.make('taian-soak-');
  const terminal = 'TA-SOAK-0001';
  const test = await startTestCentral(dir, { terminalId: terminal });
  const dataDir = join(dir, 'kiosk');
  mkdirSync(dataDir);
  const configFile = writeChildConfig(dir, {
    mode: 'demo',
    dataDir,
    terminal: { id: terminal, hallName: '泰安市政务服务中心（浸泡测试）', divisionCode: '370902' },
    central: { url: test.central.url, keyId: terminal, secret: test.key.secret, timeoutMs: 3_000 },
    devices: { idCardReader: { kind: 'simulated' }, scanner: { kind: 'none' }, receiptPrinter: { kind: 'simulated' }, documentPrinter: { kind: 'none' } },
  });
  const child: ChildHost = startChildHost(configFile, { nodeArgs: ['--expose-gc', '--inspect=127.0.0.1:0'] });
  const ready = await child.ready;
  if (!ready) throw new Error(`host did not start: ${child.stderr()}`);
  const cdp = await connectCdp(await inspectorUrl(child.stderr));
  const bridge = await connectBridge(ready);
  const draft = simpleDraft(test.catalog.services);
  return {
    bridge,
    cdp,
    async session(index) {
      bridge.events.splice(0);
      const read = bridge.waitForEvent('identity:read', 15_000);
      await bridge.call('simulator:place-card', { cardId: CARDS[index % CARDS.length] ?? CARDS[0] });
      await read;
      await bridge.call('session:start', { serviceId: draft.serviceId });
      await bridge.call('application:prefill', { serviceId: draft.serviceId });
      const submitted = await bridge.call('application:submit', draft);
      if (!submitted.ok) throw new Error(`submit refused: ${JSON.stringify(submitted.error)}`);
      await bridge.call('session:end', { reason: 'completed' });
    },
    heap: () => heapAfterGc(cdp),
    async close() {
      bridge.close();
      cdp.close();
      child.process.kill('SIGTERM');
      await child.exited;
      await test.central.close();
      directories.cleanup();
    },
  };
}
