import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import type { HelpCall, KioskHelpCall } from '../../../contract/help-call.js';
import type { CallOutcome } from '../../../host/services/central-client.js';
import { HelpCallService, type HelpCentral } from '../../../host/services/help-calls.js';
import { createLogger } from '../../../host/services/log.js';
import { SessionService } from '../../../host/services/session.js';
import { until } from '../../support/until.js';

/**
 * A central that keeps calls in memory and can be unreachable: what the kiosk's help-call service talks
 * to. It answers like the real routes (central/routes/help-calls.ts): file by id, long-poll, cancel.
 */
class FakeCentral implements HelpCentral {
  online = true;
  calls = new Map<string, HelpCall>();
  requests: string[] = [];
  private revision = 0;
  private waiters: Array<() => void> = [];

  async call<T extends z.ZodType>(method: 'GET' | 'POST', path: string, _schema: T, body?: unknown): Promise<CallOutcome<z.output<T>>> {
    this.requests.push(`${method} ${path}`);
    if (!this.online) return { kind: 'retry', reason: 'network: TypeError', retryAfterMs: null };
    const answer = (call: HelpCall, status = 200) => ({ kind: 'ok' as const, status, value: call as z.output<T> });
    const id = /\/v1\/help-calls\/([^/?]+)/.exec(path)?.[1];
    if (method === 'POST' && path === '/v1/help-calls') {
      const filed = body as { id: string; screen: string; serviceId: string | null; createdAt: string };
      const known = this.calls.get(filed.id);
      if (known) return answer(known);
      const call: HelpCall = { ...filed, terminalId: 'TA-1', hall: '大厅', serviceName: null, state: 'new', acceptedAt: null, acceptedBy: null, endedAt: null, queuePosition: 1, revision: ++this.revision };
      this.calls.set(call.id, call);
      return answer(call, 201);
    }
    const call = id ? this.calls.get(id) : undefined;
    if (!call) return { kind: 'permanent', reason: 'unknown-help-call', status: 404 };
    if (method === 'POST' && path.endsWith('/cancel')) {
      if (call.state === 'new' || call.state === 'accepted') this.change(call, { state: 'cancelled', queuePosition: null });
      return answer(call);
    }
    const after = Number(new URL(path, 'http://x').searchParams.get('after') ?? -1);
    if (call.revision <= after) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (!this.online) return { kind: 'retry', reason: 'network: TypeError', retryAfterMs: null };
    return answer(this.calls.get(call.id) as HelpCall);
  }

  /** Staff act at central: the call changes and every long-poll answers. */
  change(call: HelpCall, patch: Partial<HelpCall>): void {
    Object.assign(call, patch, { revision: ++this.revision });
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Ends open long-polls (as a network cut does). */
  release(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

describe('HelpCallService', () => {
  let dir: string;
  let central: FakeCentral;
  let seen: Array<KioskHelpCall | null>;
  let holds: string[];
  const services: HelpCallService[] = [];
  const log = createLogger({ dataDir: null, minLevel: 'error' });

  const open = () => {
    const service = new HelpCallService({
      file: join(dir, 'help-call.json'),
      client: central,
      log,
      onChange: (call) => seen.push(call),
      onOpen: () => holds.push('hold'),
      onEnded: () => holds.push('release'),
      backoff: { baseMs: 5, capMs: 20 },
      firstAnswerMs: 500,
    });
    services.push(service);
    service.start();
    return service;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'help-call-'));
    central = new FakeCentral();
    seen = [];
    holds = [];
  });
  afterEach(() => {
    for (const service of services.splice(0)) service.stop();
    central.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a call at once, then shows acceptance and closing, and releases the idle hold at the end', async () => {
    const help = open();
    const answer = await help.call('form', 'senior-preferential-card');
    expect(answer).toMatchObject({ state: 'new', delivered: true, queuePosition: 1 });
    expect(holds).toEqual(['hold']);
    const call = [...central.calls.values()][0] as HelpCall;
    expect(call).toMatchObject({ screen: 'form', serviceId: 'senior-preferential-card' });
    central.change(call, { state: 'accepted', acceptedBy: '0001', queuePosition: null });
    await until(async () => help.view()?.state === 'accepted', 'the acceptance');
    expect(help.view()).toMatchObject({ acceptedBy: '0001' });
    central.change(call, { state: 'closed' });
    await until(async () => help.view() === null, 'the call to end');
    expect(seen.at(-1)).toMatchObject({ state: 'closed' });
    expect(holds).toEqual(['hold', 'release']);
    expect(JSON.parse(readFileSync(join(dir, 'help-call.json'), 'utf8'))).toEqual({ call: null });
  });

  it('answers a second tap with the open call instead of calling twice', async () => {
    const help = open();
    const first = await help.call('form', null);
    const second = await help.call('home', null);
    expect(second.id).toBe(first.id);
    expect(central.calls.size).toBe(1);
  });

  it('keeps a call made while central is unreachable and sends it when the network returns', async () => {
    central.online = false;
    const help = open();
    const answer = await help.call('materials', null);
    expect(answer).toMatchObject({ state: 'new', delivered: false });
    expect(central.calls.size).toBe(0);
    central.online = true;
    help.networkChanged(true);
    await until(async () => help.view()?.delivered === true, 'the call to arrive');
    expect([...central.calls.values()].map((call) => call.id)).toEqual([answer.id]);
  });

  it('survives a restart: a call not yet sent is sent by the next start, under the same id', async () => {
    central.online = false;
    const first = open();
    const answer = await first.call('form', null);
    first.stop();
    central.online = true;
    const second = open();
    expect(second.view()).toMatchObject({ id: answer.id, delivered: false });
    await until(async () => second.view()?.delivered === true, 'the kept call to arrive');
    expect([...central.calls.keys()]).toEqual([answer.id]);
    expect(holds).toEqual(['hold', 'hold']);
  });

  it('never sends a call cancelled before it left, and sends the cancel of one that may have arrived', async () => {
    central.online = false;
    const help = open();
    const unsent = help.call('form', null);
    // Cancelled while the first send is refused: it may have arrived, so the cancel is kept and sent.
    await until(async () => central.requests.length > 0, 'the first send');
    expect(help.cancel()).toBe(true);
    await unsent;
    expect(help.view()).toBeNull();
    expect(holds).toEqual(['hold', 'release']);
    central.online = true;
    help.networkChanged(true);
    // Central never had it: the cancel's 404 ends it, and nothing is filed afterwards.
    await until(async () => (JSON.parse(readFileSync(join(dir, 'help-call.json'), 'utf8')) as { call: unknown }).call === null, 'the cancel to be confirmed');
    expect(central.calls.size).toBe(0);
    expect(central.requests.filter((request) => request === 'POST /v1/help-calls')).toHaveLength(1);
  });

  it('cancels a delivered call at central, where staff see it cancelled', async () => {
    const help = open();
    const answer = await help.call('form', null);
    expect(help.cancel()).toBe(true);
    expect(seen.at(-1)).toBeNull();
    await until(async () => central.calls.get(answer.id)?.state === 'cancelled', 'the cancel at central');
    expect(help.cancel()).toBe(false);
  });

  it('sets a damaged state file aside and starts without a call', () => {
    writeFileSync(join(dir, 'help-call.json'), '{"call": {"id": 1');
    const help = open();
    expect(help.view()).toBeNull();
  });
});

describe('SessionService idle hold for a help call', () => {
  let warnings: number[];
  let ended: string[];
  let session: SessionService;
  beforeEach(() => {
    vi.useFakeTimers();
    warnings = [];
    ended = [];
    session = new SessionService({
      idleTimeoutMs: 60_000,
      idleWarningMs: 20_000,
      log: createLogger({ dataDir: null, minLevel: 'error' }),
      onIdleWarning: (secondsLeft) => warnings.push(secondsLeft),
      onEnded: (reason) => ended.push(reason),
    });
  });
  afterEach(() => {
    session.dispose();
    vi.useRealTimers();
  });

  it('does not count down or end the session while help is on the way, and resumes with its warning after', () => {
    session.start('senior-preferential-card');
    vi.advanceTimersByTime(30_000);
    session.holdIdle();
    vi.advanceTimersByTime(10 * 60_000);
    session.touch();
    expect(warnings).toEqual([]);
    expect(ended).toEqual([]);
    expect(session.view()).not.toBeNull();
    session.releaseIdle();
    vi.advanceTimersByTime(40_000);
    expect(warnings[0]).toBe(20);
    vi.advanceTimersByTime(20_000);
    expect(ended).toEqual(['idle-timeout']);
  });

  it('holds for at most its bound, then the normal countdown runs', () => {
    session.start(null);
    session.holdIdle(5 * 60_000);
    vi.advanceTimersByTime(5 * 60_000 + 40_000);
    expect(warnings[0]).toBe(20);
    vi.advanceTimersByTime(20_000);
    expect(ended).toEqual(['idle-timeout']);
  });
});
