import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskInfo } from '../../../contract/channels.js';
import { CONSOLE_PATHS, TerminalDetail } from '../../../contract/central/console.js';
import { startHost, type Host } from '../../../host/main.js';
import { startDemoStack, type DemoStack } from '../../../scripts/demo-stack.js';
import { signInToConsole, type ConsoleCaller } from '../../support/console-client.js';
import { until } from '../../support/until.js';

/**
 * The kiosk's side of the fleet through the real host (demo stack: simulated devices on their real
 * drivers, real outbox and audit chain, real central over HTTP, heartbeat every 2 s): remote
 * configuration applied live, kept across a restart and rolled back when it cannot apply; the audit
 * head anchored at central and a truncated chain detected; console commands run once and reported.
 */
const TERMINAL = 'TA-DEMO-0001';
const stacks: DemoStack[] = [];
const hosts: Host[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  for (const stack of stacks.splice(0)) await stack.close();
});

async function demo(): Promise<{ stack: DemoStack; technician: ConsoleCaller }> {
  const stack = await startDemoStack({ bridge: 'none', serveRenderer: false, config: { fleet: { heartbeatSeconds: 2 } } });
  stacks.push(stack);
  return { stack, technician: await signInToConsole(stack.central.url, '9001', '135790') };
}

async function info(host: Host): Promise<KioskInfo> {
  const result = (await host.dispatch('kiosk:get-info', {}, host.context())) as { ok: true; value: KioskInfo };
  return result.value;
}

const detailOf = async (technician: ConsoleCaller) => TerminalDetail.parse((await technician.call('GET', CONSOLE_PATHS.terminal(TERMINAL))).body);

/** Starts the host again on the same data directory (as after a power cut), closing the running one. */
async function restart(stack: DemoStack, running: Host): Promise<Host> {
  await running.close();
  const host = await startHost({ config: stack.config, rendererDir: null, bridge: 'none' });
  hosts.push(host);
  return host;
}

const auditEvents = (host: Host) => host.outbox.audit.entries().map((entry) => `${entry.event} ${entry.outcome}`);

describe('Fleet on the kiosk', () => {
  it('applies a pushed configuration without restarting, keeps it across a restart, and rolls back versions it cannot apply', async () => {
    const { stack, technician } = await demo();
    const put = (scope: string, scopeId: string, settings: unknown) => technician.call('POST', CONSOLE_PATHS.configLayer(scope, scopeId), { settings });
    expect((await put('master', '', { session: { idleTimeoutSeconds: 90, idleWarningSeconds: 25 } })).status).toBe(201);
    await until(async () => (await info(stack.host)).idleTimeoutSeconds === 90, 'idle timeout 90 s in force');
    expect(await info(stack.host)).toMatchObject({ idleTimeoutSeconds: 90, idleWarningSeconds: 25 });
    await until(async () => (await detailOf(technician)).heartbeat?.config.appliedVersion === 1, 'applied version 1 reported');

    // Central cannot know this kiosk prints on 80 mm rolls only: the kiosk refuses and says why.
    expect((await put('terminal', TERMINAL, { receipt: { paperWidthMm: 58 } })).status).toBe(201);
    const rejected = await until(async () => (await detailOf(technician)).summary.alerts.find((alert) => alert.kind === 'config-rejected'), 'config-rejected alert');
    expect(rejected.message).toBe('终端未能应用配置版本 2，已恢复上一版：receipt: 本机凭条模板只支持 80 mm 纸宽，不支持 58 mm');
    expect(stack.host.fleet.remote.appliedVersion).toBe(1);

    // Nor its own configuration file's 120 s timeout (the master no longer sets one): its schema refuses a 150 s countdown.
    expect((await put('master', '', { voice: { volume: 0.5 } })).status).toBe(201);
    expect((await put('terminal', TERMINAL, { session: { idleWarningSeconds: 150 } })).status).toBe(201);
    await until(async () => stack.host.fleet.remote.rejected?.version === 4, 'version 4 rejected');
    expect(stack.host.fleet.remote.rejected?.reason).toMatch(/session\.idleWarningSeconds/);
    expect(await info(stack.host)).toMatchObject({ idleTimeoutSeconds: 90, idleWarningSeconds: 25 });
    expect(auditEvents(stack.host)).toEqual(expect.arrayContaining(['config.applied version 1: session', expect.stringMatching(/^config\.rejected version 2: receipt/), expect.stringMatching(/^config\.rejected version 4: /)]));

    // The last good version is kept on disk and in force again at once after a restart, offline or not.
    const restarted = await restart(stack, stack.host);
    expect(restarted.fleet.remote.appliedVersion).toBe(1);
    expect(await info(restarted)).toMatchObject({ idleTimeoutSeconds: 90 });
  });

  it('anchors the audit head at central, and raises audit-truncated when the chain on the kiosk loses its tail', async () => {
    const { stack, technician } = await demo();
    for (let index = 0; index < 5; index++) stack.host.outbox.audit.append({ actor: 'host', event: 'test.entry', outcome: String(index) });
    const head = stack.host.outbox.audit.head().sequence;
    // Two heartbeats after the entries: the first anchors the head, the second is checked against it.
    const seen = (await detailOf(technician)).history.length;
    await until(async () => (await detailOf(technician)).history.length >= seen + 2, 'two heartbeats after the entries');
    expect((await detailOf(technician)).summary.alerts).toEqual([]);

    await stack.host.close();
    const outbox = new Database(join(stack.config.dataDir, 'outbox.sqlite'));
    outbox.exec('DROP TRIGGER audit_no_delete');
    outbox.prepare('DELETE FROM audit WHERE sequence > ?').run(head - 3);
    outbox.close();
    const host = await startHost({ config: stack.config, rendererDir: null, bridge: 'none' });
    hosts.push(host);
    stacks.splice(0);
    stacks.push({ ...stack, host, close: () => stack.central.close() });
    expect(host.outbox.audit.verify().intact).toBe(true);
    const alert = await until(async () => (await detailOf(technician)).summary.alerts.find((entry) => entry.kind === 'audit-truncated'), 'audit-truncated alert');
    expect(alert.message).toMatch(/已被截断|被截断后重写/);
  });

  it('runs the console’s commands once and reports them: self-test, pseudonymised logs, out of service and back', async () => {
    const { stack, technician } = await demo();
    const selfTest = (await technician.call('POST', CONSOLE_PATHS.commands(TERMINAL), { kind: 'run-self-test' })).body as { id: string };
    const logs = (await technician.call('POST', CONSOLE_PATHS.commands(TERMINAL), { kind: 'fetch-logs' })).body as { id: string };
    await until(async () => (await detailOf(technician)).commands.every((command) => command.outcome === 'done'), 'both commands done');
    // The command's report and the heartbeat that carries the self-test's results travel separately: on a
    // busy machine the report came first and the heartbeat still held the self-test run at start.
    const detail = await until(async () => {
      const latest = await detailOf(technician);
      return latest.heartbeat?.selfTest?.trigger === 'on-demand' ? latest : undefined;
    }, 'the on-demand self-test in a heartbeat');
    expect(detail.heartbeat?.selfTest?.trigger).toBe('on-demand');
    expect(detail.heartbeat?.selfTest?.checks.map((check) => check.id)).toEqual(['reader', 'sam', 'receipt-printer', 'document-printer', 'camera', 'disk', 'clock', 'central', 'outbox', 'key-protection']);
    expect(detail.heartbeat?.selfTest?.checks.find((check) => check.id === 'reader')?.outcome).toBe('pass');
    const uploaded = await technician.call('GET', CONSOLE_PATHS.logs(logs.id));
    expect(uploaded.status).toBe(200);
    const text = JSON.stringify(uploaded.body);
    expect(text).toContain('host.started');
    expect(text).not.toMatch(/\d{17}[\dX]/);
    // Each command ran once, though later heartbeats carried on until central had the results.
    const ran = readFileSync(join(stack.config.dataDir, 'logs', 'host.log'), 'utf8').split('\n').filter((line) => line.includes('"fleet.command"'));
    expect(ran.map((line) => (JSON.parse(line) as { id: string }).id).sort()).toEqual([selfTest.id, logs.id].sort());

    expect((await technician.call('POST', CONSOLE_PATHS.outOfService(TERMINAL), { message: '设备检修，暂停服务' })).status).toBe(204);
    await until(async () => (await info(stack.host)).outOfService === '设备检修，暂停服务', 'out of service on the kiosk');
    await until(async () => (await detailOf(technician)).summary.state === 'out-of-service', 'out-of-service at central');
    expect((await technician.call('POST', CONSOLE_PATHS.outOfService(TERMINAL), { message: null })).status).toBe(204);
    await until(async () => (await info(stack.host)).outOfService === null, 'back in service');
  });
});
