import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm test` on a machine without the system packages stops at once with one line naming the command
 * (scripts/system-packages.sh, npm's pretest), and .ci/run uses the same list. dpkg-query and id are
 * replaced by stand-ins on PATH so a missing package and a non-root user can be shown on this machine.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = join(root, 'scripts', 'system-packages.sh');
/** The list as the script declares it, so these cases follow it when a package joins. */
const LISTED = (/^SYSTEM_PACKAGES=\(([^)]*)\)/m.exec(readFileSync(script, 'utf8'))?.[1] ?? '').split(/\s+/).filter(Boolean);
const except = (...left: string[]): string[] => LISTED.filter((name) => !left.includes(name));

describe('scripts/system-packages.sh', () => {
  let bin: string;
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  function run(installed: string[], uid: number) {
    bin = mkdtempSync(join(tmpdir(), 'fake-bin-'));
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub('dpkg-query', `for p in ${installed.join(' ')}; do for a in "$@"; do [ "$a" = "$p" ] && { printf 'install ok installed'; exit 0; }; done; done; exit 1`);
    stub('id', `echo ${uid}`);
    stub('apt-get', 'echo "apt-get $*" >> "$(dirname "$0")/apt.log"');
    const result = spawnSync('bash', [script], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
    const aptLog = join(bin, 'apt.log');
    return { ...result, apt: existsSync(aptLog) ? readFileSync(aptLog, 'utf8') : '' };
  }

  it('stops with one line naming the install command when packages are missing and it is not root', () => {
    expect(LISTED).toContain('poppler-utils');
    const result = run(except('poppler-utils', 'printer-driver-cups-pdf'), 1000);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['system packages missing: poppler-utils printer-driver-cups-pdf — install them with: sudo apt-get install -y poppler-utils printer-driver-cups-pdf']);
    expect(result.apt).toBe('');
  });

  it('installs the missing packages with apt-get when run as root', () => {
    const result = run(except('espeak-ng'), 0);
    expect(result.status).toBe(0);
    expect(result.apt).toContain('apt-get install -y -qq espeak-ng');
  });

  it('does nothing when everything is installed', () => {
    const result = run(LISTED, 1000);
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
  });

  it('is the one list: npm test runs it first, and .ci/run sources it instead of keeping its own', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.pretest).toBe('bash scripts/system-packages.sh');
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
    expect(ci).toContain('source scripts/system-packages.sh');
    expect(ci).not.toMatch(/SYSTEM_PACKAGES=\(/);
  });
});
