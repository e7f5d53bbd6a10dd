import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import type { SubmissionOutcome } from '../../../contract/domain.js';
import { simpleDraft, startBridgedDemo, startCitizenSession, type BridgedDemo } from '../../support/bridge-client.js';
import { startCentralStandIn, type CentralStandIn } from '../../support/central-stand-in.js';

/**
 * Issue 10, kind 9: on a 400, a 404 or a malformed 201 the application goes to the staff list after one
 * attempt, yet the screen said 申请已保存，网络恢复后自动提交 and 您不用再来. What the outcome and the printed
 * receipt promise now follows the item's real state. Central is the reference one, behind a stand-in that
 * answers the application itself in each of those ways.
 */
type Answer = { status: number; body: string };
const ANSWERS: Record<string, Answer> = {
  '400 bad request': { status: 400, body: JSON.stringify({ code: 'bad-request', message: '请求内容不符合接口定义' }) },
  '404 not found': { status: 404, body: JSON.stringify({ code: 'not-found', message: '接口不存在' }) },
  'a malformed 201': { status: 201, body: JSON.stringify({ case: 'TA1' }) },
};

let demo: BridgedDemo | null = null;
let standIn: CentralStandIn | null = null;
afterEach(async () => {
  await demo?.close();
  demo = null;
  await standIn?.close();
  standIn = null;
});

describe('the outcome of a submission central refuses for good', () => {
  it.each(Object.keys(ANSWERS))('says staff will handle it after %s, on screen and on the receipt, never 自动提交', async (name) => {
    const answer = ANSWERS[name] as Answer;
    standIn = await startCentralStandIn({ method: 'POST', path: '/v1/applications' }, answer);
    const { url, central } = standIn;
    demo = await startBridgedDemo({
      submitWaitMs: 5_000,
      centralUrlFor: (started) => {
        central.port = started.port;
        return url;
      },
    });
    const draft = simpleDraft(loadCatalog().services);
    await startCitizenSession(demo.bridge, draft.serviceId);
    const outcome = (await demo.bridge.call('application:submit', draft)).value as SubmissionOutcome;
    expect(outcome).toMatchObject({ status: 'queued', caseNumber: null, needsStaff: true });
    expect(demo.stack.host.outbox.get(outcome.localNumber)?.state).toBe('needs-staff');
    const receipt = demo.stack.host.devices.simulators?.receiptPrinter?.receipts.at(-1)?.join('\n') ?? '';
    expect(receipt).toContain('工作人员将尽快处理');
    expect(receipt).not.toContain('自动提交');
  });

  it('keeps saying 网络恢复后自动提交 while it is only the network', async () => {
    demo = await startBridgedDemo({ submitWaitMs: 1_000, centralUrlFor: () => 'http://127.0.0.1:9' });
    const draft = simpleDraft(loadCatalog().services);
    await startCitizenSession(demo.bridge, draft.serviceId);
    const outcome = (await demo.bridge.call('application:submit', draft)).value as SubmissionOutcome;
    expect(outcome.status).toBe('queued');
    expect(outcome.needsStaff).toBeUndefined();
    expect(demo.stack.host.devices.simulators?.receiptPrinter?.receipts.at(-1)?.join('\n')).toContain('网络恢复后自动提交');
  });
});
