import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, ChannelRequest, ChannelResponse } from '../../contract/channels.js';
import type { Result } from '../../contract/result.js';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { until } from '../support/until.js';

/**
 * 帮办 (issue 12) through the real host and central of the demo stack: a staff member signs in on the
 * kiosk and starts 帮办; the citizen's own card sets the identity; central's record of the case carries
 * the assistant's 工号, the receipt prints it, and the 好差评 of the case names the assistant. Called the
 * way the bridge calls the host (its own context, so staff sign-in opens the staff channels).
 */
let stack: DemoStack;

async function value<Name extends ChannelName>(name: Name, request: ChannelRequest<Name> = {} as ChannelRequest<Name>): Promise<ChannelResponse<Name>> {
  const result = (await stack.host.dispatch(name, request, stack.host.context())) as Result<ChannelResponse<Name>>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

function central<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(stack.centralDbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  stack = await startDemoStack({ bridge: 'none', serveRenderer: false, submitWaitMs: 5_000 });
});
afterAll(async () => {
  await stack?.close();
});

describe('帮办 on the kiosk', () => {
  it('refuses 帮办 without a staff sign-in', async () => {
    expect(await stack.host.dispatch('assist:start', {}, stack.host.context())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('records the assistant’s 工号 on central’s case, the receipt and the rating, with the citizen’s own identity', async () => {
    await value('staff:sign-in', { number: '0001', pin: '246810' });
    const started = await value('assist:start');
    expect(started.assistedBy).toBe('0001');
    await value('session:start', { serviceId: 'senior-preferential-card' });
    stack.host.devices.simulators?.idCard?.placeCard('resident-sun');
    await until(async () => (await value('session:get'))?.identity, 'the citizen’s card to be read', 10_000);
    expect((await value('session:get'))?.assistedBy).toBe('0001');
    // 帮办 does not skip 人证核验: the assistant confirms the citizen in person, under their 工号 (issue 14).
    expect(await value('identity:staff-check', { number: '0001', pin: '246810' })).toEqual({ staffNumber: '0001' });
    const form = await value('application:prefill', { serviceId: 'senior-preferential-card' });
    const [licence] = await value('licence:lookup', { licenceType: 'household-register' });
    const outcome = await value('application:submit', {
      serviceId: 'senior-preferential-card',
      answers: {},
      form: { ...form, division: '370921' },
      materials: { 'id-card': { kind: 'shared-data' }, photo: { kind: 'shared-data' }, 'household-register': { kind: 'e-licence', licenceId: licence?.licenceId ?? '' } },
    });
    const [record] = await until(
      async () => {
        const rows = central<{ assisted_by: string | null; applicant_id: string; case_number: string }>('SELECT assisted_by, applicant_id, case_number FROM cases WHERE local_number = ?', outcome.localNumber);
        return rows.length > 0 ? rows : null;
      },
      'central to hold the case',
      10_000,
    );
    expect(record).toMatchObject({ assisted_by: '0001', applicant_id: '370921194406102625' });
    const receipt = stack.host.devices.simulators?.receiptPrinter?.receipts.find((lines) => lines.some((line) => line.includes(outcome.localNumber)))?.join('\n') ?? '';
    expect(receipt).toContain('帮办人员');
    expect(receipt).toContain('工号 0001');
    expect(receipt).toContain('孙*兰');

    await value('rating:submit', { caseRef: outcome.caseNumber ?? outcome.localNumber, level: 'very-satisfied' });
    const [rating] = await until(
      async () => {
        const rows = central<{ staff_number: string | null }>('SELECT staff_number FROM ratings WHERE case_number = ?', record?.case_number ?? '');
        return rows.length > 0 ? rows : null;
      },
      'central to hold the rating',
      10_000,
    );
    expect(rating?.staff_number).toBe('0001');
  });
});
