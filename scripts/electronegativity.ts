/**
 * `npm run audit:electron`: Electronegativity over electron/ (from tools/electronegativity, with its own
 * TypeScript 4.x), offline (the release-feed check needs the internet and is skipped). It exits 0 even when
 * it finds something, so this reads the CSV and fails on any finding not reviewed below.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const toolDir = join(root, 'tools', 'electronegativity');

/** Findings read and accepted, with the reason. Anything else fails the run. */
const REVIEWED: Record<string, string> = {
  ELECTRON_VERSION_JSON_CHECK: 'informational: reports the Electron version',
  PRELOAD_JS_CHECK: 'reviewed: the preload exposes only the contract-derived API via contextBridge, never ipcRenderer',
  CSP_GLOBAL_CHECK: 'the CSP is assembled in electron/security.ts (unit-tested), sent with every app://kiosk response and as a <meta> in the built page (vite.config.ts); the static parser reads neither',
};

if (!existsSync(join(toolDir, 'node_modules'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: toolDir, stdio: 'inherit' });
const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
cpSync(join(root, 'electron'), join(work, 'electron'), { recursive: true });
cpSync(join(root, 'package.json'), join(work, 'package.json'));
const csv = join(work, 'findings.csv');
execFileSync(join(toolDir, 'node_modules', '.bin', 'electronegativity'), ['-i', work, '-e', '45.5.0', '-x', 'AvailableSecurityFixesGlobalCheck', '-r', '-o', csv], {
  cwd: toolDir,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const findings = readFileSync(csv, 'utf8')
  .split('\n')
  .slice(1)
  .map((line) => /^([A-Z_]+),"([A-Z]+)"/.exec(line))
  .filter((match): match is RegExpExecArray => match !== null)
  .map((match) => ({ check: match[1] ?? '', severity: match[2] ?? '' }));
let unreviewed = 0;
for (const finding of findings) {
  const reason = REVIEWED[finding.check];
  process.stdout.write(`${reason ? 'reviewed ' : 'FINDING  '} ${finding.severity.padEnd(13)} ${finding.check}${reason ? ` — ${reason}` : ''}\n`);
  if (!reason) unreviewed++;
}
process.stdout.write(`electronegativity: ${findings.length} findings, ${unreviewed} not reviewed\n`);
process.exit(unreviewed === 0 ? 0 : 1);
