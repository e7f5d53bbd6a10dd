import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, ChannelRequest, ChannelResponse } from '../../contract/channels.js';
import type { Result } from '../../contract/result.js';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';

/**
 * 今日办件 (issue 12) through the real host (demo stack: simulated reader and ESC/POS printer, real
 * outbox and print journal in SQLite, real central over HTTP), called the way the bridge calls it.
 */
const SUN_ID = '370921194406102625';
const SUN_NAME = '孙桂兰';

let stack: DemoStack;

async function call<Name extends ChannelName>(name: Name, request: ChannelRequest<Name> = {} as ChannelRequest<Name>): Promise<Result<ChannelResponse<Name>>> {
  return (await stack.host.dispatch(name, request, stack.host.context())) as Result<ChannelResponse<Name>>;
}

async function value<Name extends ChannelName>(name: Name, request?: ChannelRequest<Name>): Promise<ChannelResponse<Name>> {
  const result = await call(name, request);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function until<T>(probe: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  stack = await startDemoStack({ bridge: 'none', serveRenderer: false, submitWaitMs: 3_000 });
});

afterAll(async () => {
  await stack?.close();
});

describe('今日办件 (staff:list-today)', () => {
  it('is for signed-in staff only, and lists a citizen application of today with its 本机编号, state, masked name and 补打', async () => {
    expect(await call('staff:list-today', { filter: 'all' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const printer = stack.host.devices.simulators?.receiptPrinter;
    if (!printer) throw new Error('demo printer missing');
    printer.setPaper('out');
    await value('session:start', { serviceId: 'senior-preferential-card' });
    stack.host.devices.simulators?.idCard?.placeCard('resident-sun');
    await until(async () => ((await value('session:get'))?.identity ? true : null), 10_000, 'the card to be read');
    await value('identity:staff-check', { number: '0001', pin: '246810' });
    const form = await value('application:prefill', { serviceId: 'senior-preferential-card' });
    const [licence] = await value('licence:lookup', { licenceType: 'household-register' });
    const outcome = await value('application:submit', {
      serviceId: 'senior-preferential-card',
      answers: {},
      form: { ...form, division: '370921' },
      materials: { 'id-card': { kind: 'shared-data' }, photo: { kind: 'shared-data' }, 'household-register': { kind: 'e-licence', licenceId: licence?.licenceId ?? '' } },
    });
    await value('session:end', { reason: 'completed' });
    stack.host.devices.simulators?.idCard?.removeCard();
    printer.setPaper('ok');

    await value('staff:sign-in', { number: '0001', pin: '246810' });
    const today = await value('staff:list-today', { filter: 'all' });
    const row = today.cases.find((item) => item.localNumber === outcome.localNumber);
    expect(row).toMatchObject({ caseNumber: outcome.caseNumber, applicantMasked: '孙*兰', reprintWaiting: '受理回执' });
    expect(row?.serviceName).toContain('优待证');
    // The desk shows the state the citizen's screen showed: central's decision once it answered.
    const expected = outcome.caseNumber === null ? '未提交（等待自动提交）' : outcome.reasons?.length ? '转工作人员审核' : outcome.status === 'approved' ? '已办结' : '已受理';
    expect(row?.stateText).toBe(expected);
    expect(JSON.stringify(today)).not.toContain(SUN_NAME);
    expect(JSON.stringify(today)).not.toContain(SUN_ID);

    // A filter keeps only its cases; the counts stay those of the whole day.
    const unsent = await value('staff:list-today', { filter: 'unsent' });
    expect(unsent.counts).toEqual(today.counts);
    expect(unsent.cases.every((item) => item.state === 'unsent')).toBe(true);
    expect(unsent.cases.some((item) => item.localNumber === outcome.localNumber)).toBe(row?.state === 'unsent');

    const audit = stack.host.outbox.audit.entries().filter((entry) => entry.event === 'staff.list-today');
    expect(audit.map((entry) => [entry.actor, entry.outcome.split(':')[0]])).toEqual([
      ['staff:0001', 'filter all'],
      ['staff:0001', 'filter unsent'],
    ]);
    expect(stack.host.outbox.audit.verify()).toMatchObject({ intact: true });
    await value('staff:sign-out');
  });
});
