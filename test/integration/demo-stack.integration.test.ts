import { existsSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoStack } from '../../scripts/demo-stack.js';
import { scanTree } from '../support/personal-data-scan.js';
import { temporaryDirectories } from '../support/central-fixture.js';
import { simpleDraft, startBridgedDemo, startCitizenSession } from '../support/bridge-client.js';
import { loadCatalog } from '../../catalog/load.js';

/**
 * Issue 10, kind 10: each e2e run left `taian-kiosk-demo-*` folders in the temp directory, with central's
 * database holding names and ID numbers in clear and the outbox key beside the outbox, because
 * startDemoStack().close() never removed its folder. The stack removes what it made, on failure too.
 */
const directories = temporaryDirectories();
let previousTmp: string | undefined;
let tmp: string;

beforeEach(() => {
  // tmpdir() follows TMPDIR: the stack's folder lands where this test can see everything it made.
  previousTmp = process.env.TMPDIR;
  tmp = directories.make('taian-demo-stack-test-');
  process.env.TMPDIR = tmp;
});

afterEach(() => {
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  directories.cleanup();
});

describe('startDemoStack', () => {
  it('removes its data folder, with central\'s database and the outbox key, when closed after a submission', async () => {
    const demo = await startBridgedDemo({ submitWaitMs: 3_000 });
    const { dataDir } = demo.stack;
    const draft = simpleDraft(loadCatalog().services);
    await startCitizenSession(demo.bridge, draft.serviceId);
    expect((await demo.bridge.call('application:submit', draft)).ok).toBe(true);
    // The witness that there was something to remove: central holds the citizen in clear.
    expect(scanTree(dataDir).some((finding) => /central\.sqlite/.test(finding.file))).toBe(true);
    await demo.close();
    expect(existsSync(dataDir)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('removes its data folder when it fails half-way through starting', async () => {
    await expect(
      startDemoStack({
        bridge: 'none',
        serveRenderer: false,
        centralUrlFor: () => {
          throw new Error('no route to central');
        },
      }),
    ).rejects.toThrow('no route to central');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('leaves a folder it was given in place', async () => {
    const given = directories.make('taian-demo-given-');
    const stack = await startDemoStack({ dataDir: given, bridge: 'none', serveRenderer: false });
    await stack.close();
    expect(existsSync(given)).toBe(true);
  });
});
