import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCentralConfig } from '../../../central/main.js';
import { CENTRAL_PATHS, SubmitApplicationResponse } from '../../../contract/central/api.js';
import { HeartbeatAnswer } from '../../../contract/central/fleet.js';
import { CONSOLE_PATHS } from '../../../contract/central/console.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { submissionBody, temporaryDirectories } from '../../support/central-fixture.js';
import { signInToConsole } from '../../support/console-client.js';
import { sampleHeartbeat } from '../../support/fleet-fixture.js';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster.js';
import { until } from '../../support/until.js';

/**
 * central/main.ts as a hall runs it: a configuration file, key and PIN files beside it, two processes
 * on one port and one real PostgreSQL. A kiosk's signed requests and a console sign-in are served; a
 * killed process is replaced while the other keeps answering; SIGTERM ends it cleanly. A bad file is
 * refused with the key that is wrong.
 */
const MAIN = fileURLToPath(new URL('../../../central/main.ts', import.meta.url));
const directories = temporaryDirectories();
let cluster: PostgresCluster;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await cluster?.stop();
  directories.cleanup();
});

function writeConfig(config: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = directories.make('central-main-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  const file = join(dir, 'central.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** The central worker processes of a primary (its node children; tsx's esbuild service is another child). */
const workersOf = (pid: number) =>
  execFileSync('ps', ['--ppid', String(pid), '-o', 'pid=,comm='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, command]) => command === 'node')
    .map(([id]) => Number(id));

describe('central/main.ts', () => {
  it('serves kiosks and the console from two processes on one PostgreSQL, replaces a killed process and stops on SIGTERM', async () => {
    const secret = randomBytes(32).toString('hex');
    const file = writeConfig(
      {
        database: await cluster.createDatabase('main'),
        port: 0,
        workers: 2,
        consoleDir: null,
        terminals: [{ id: 'TA-HALL-0001', secretFile: 'terminal.key', hall: '泰山区政务服务中心', district: '370902' }],
        staff: [{ staffNumber: '9001', name: '运维', role: 'technician', pinFile: 'pin-9001' }],
      },
      { 'terminal.key': `${secret}\n`, 'pin-9001': '135790\n' },
    );
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, CENTRAL_CONFIG: file }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await until(async () => /listening on (http:\/\/\S+) \(2 processes, PostgreSQL\)/.exec(output)?.[1], `central to listen (${output})`, 60_000);

    const client = new CentralClient({ baseUrl: url, key: { keyId: 'TA-HALL-0001', secret, algorithm: 'hmac-sha256' }, timeoutMs: 10_000 });
    const heartbeat = await client.call('POST', CENTRAL_PATHS.heartbeat, HeartbeatAnswer, sampleHeartbeat({ terminal: { hallName: '泰山区政务服务中心', divisionCode: '370902' } }));
    expect(heartbeat.kind).toBe('ok');
    const technician = await signInToConsole(url, '9001', '135790');
    const list = await technician.call('GET', `${CONSOLE_PATHS.terminals}?page=1&pageSize=50`);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain('TA-HALL-0001');

    const [first, ...others] = workersOf(child.pid ?? 0);
    expect(others).toHaveLength(1);
    process.kill(first ?? 0, 'SIGKILL');
    // The other process answers meanwhile, and one application stays one case whichever process files it.
    const key = randomUUID();
    const submit = () => client.call('POST', CENTRAL_PATHS.applications, SubmitApplicationResponse, submissionBody('L-0001'), { idempotencyKey: key });
    const filed = await submit();
    const again = await submit();
    expect(filed.kind).toBe('ok');
    expect(again.kind === 'ok' && filed.kind === 'ok' && again.value.caseNumber === filed.value.caseNumber).toBe(true);
    await until(async () => output.includes('central: the new process serves'), 'a replacement process', 30_000);
    expect(output).toMatch(/a worker stopped \(SIGKILL\); starting another/);
    expect(workersOf(child.pid ?? 0).filter((pid) => pid !== first)).toHaveLength(2);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a configuration with the key that is wrong', () => {
    const sqlite = { database: 'central.sqlite', terminals: [] };
    expect(() => loadCentralConfig(writeConfig({ ...sqlite, workers: 2 }))).toThrow(/^workers: several workers need PostgreSQL/);
    expect(() => loadCentralConfig(writeConfig({ ...sqlite, port: 'eighty' }))).toThrow(/^port: /);
    expect(() => loadCentralConfig(writeConfig({ ...sqlite, terminals: [{ id: 'TA-1', secretFile: 'missing.key', hall: '大厅', district: '370902' }] }))).toThrow(/^terminals\.0\.secretFile: ENOENT/);
    expect(() => loadCentralConfig(writeConfig({ ...sqlite, staff: [{ staffNumber: '9001', name: '运维', role: 'technician', pinFile: 'pin' }] }, { pin: 'abc' }))).toThrow(
      /^staff\.0\.pinFile: .* does not hold a PIN/,
    );
    expect(() => loadCentralConfig(writeConfig({ ...sqlite, databse: 'x' }))).toThrow(/databse/);
    const { options } = loadCentralConfig(writeConfig(sqlite));
    expect(options.dbFile).toMatch(/central-main-.*\/central\.sqlite$/);
    // Where the QR on an e-licence PDF leads (issue 15): a URL, or the address central listens on.
    expect(options.publicUrl).toBeUndefined();
    expect(loadCentralConfig(writeConfig({ ...sqlite, publicUrl: 'https://zwfw.taian.gov.cn' })).options.publicUrl).toBe('https://zwfw.taian.gov.cn');
    expect(() => loadCentralConfig(writeConfig({ ...sqlite, publicUrl: 'zwfw' }))).toThrow(/^publicUrl: /);
  });

  it('says what is missing when started without a configuration file', () => {
    const env = { ...process.env };
    delete env.CENTRAL_CONFIG;
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, ['--import', 'tsx', MAIN], { env, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failure = error as { status?: number; stderr?: string };
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr).toContain('set CENTRAL_CONFIG');
  });
});
