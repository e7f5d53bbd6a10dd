import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import type { SubmitApplicationBody } from '../../../contract/central/api.js';
import { loadOrCreateKeyFile } from '../../../host/services/outbox-crypto.js';
import { Outbox } from '../../../host/services/outbox.js';
import { simpleDraft, startBridgedDemo, type BridgedDemo } from '../../support/bridge-client.js';
import { temporaryDirectories, testIdNumber } from '../../support/central-fixture.js';
import { eventually } from '../../support/eventually.js';

/**
 * Issue 10, kind 3: a kiosk whose clock was off sent every application to the staff list with
 * `signature-stale-timestamp`, and nothing retried them once the clock was right. The client now corrects
 * its clock from central's answers; items an older kiosk left on the staff list for this reason go back
 * to the queue when the host starts, and reach central without anyone's help.
 */
const directories = temporaryDirectories();
let demo: BridgedDemo | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
  directories.cleanup();
});

describe('host start-up', () => {
  it('sends items held for staff only because of a stale timestamp back to the queue, and delivers them', async () => {
    const dataDir = directories.make('taian-clock-');
    const kioskDir = join(dataDir, 'kiosk');
    mkdirSync(kioskDir, { recursive: true, mode: 0o700 });
    const draft = simpleDraft(loadCatalog().services);
    const outbox = new Outbox({ file: join(kioskDir, 'outbox.sqlite'), key: loadOrCreateKeyFile(join(kioskDir, 'outbox.key')).key, terminalId: 'TA-DEMO-0001' });
    const stale = outbox.enqueue({
      kind: 'application',
      serviceId: draft.serviceId,
      applicantPseudonym: 'p-1',
      payload: (localNumber): SubmitApplicationBody => ({
        localNumber,
        serviceId: draft.serviceId,
        draft,
        applicant: { cardType: 'resident', idNumber: testIdNumber(), name: '测试申请人', sex: 'female', birthDate: '1988-03-01', validTo: null, expired: false },
        identitySource: 'id-card',
        submittedAt: new Date().toISOString(),
      }),
    });
    outbox.markNeedsStaff(stale, 'needs-staff: signature-stale-timestamp');
    const other = outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-2', payload: () => ({}) });
    outbox.markNeedsStaff(other, 'permanent: bad-request');
    outbox.close();

    demo = await startBridgedDemo({ dataDir });
    const host = demo.stack.host;
    const delivered = await eventually(() => host.outbox.get(stale.localNumber)?.state === 'delivered' && host.outbox.get(stale.localNumber), 20_000, 'delivery');
    expect(delivered.caseNumber).toMatch(/^TA\d+/);
    // A request central refused for what it says stays for staff.
    expect(host.outbox.get(other.localNumber)?.state).toBe('needs-staff');
    expect(host.outbox.audit.entries().some((entry) => entry.actor === 'clock' && entry.event === 'outbox.requeued' && entry.subject === stale.localNumber)).toBe(true);
  });
});
