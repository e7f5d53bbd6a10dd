import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planBridge, writeSplash } from '../../../scripts/browser-shell-launch.js';

describe('browser shell launch', () => {
  it('plans a free 127.0.0.1 port and a fresh token, the token only in the URL fragment', async () => {
    const first = await planBridge();
    const second = await planBridge();
    expect(first.token).not.toBe(second.token);
    expect(first.launchUrl).toBe(`http://127.0.0.1:${first.port}/#token=${first.token}`);
    // The port is free: the host can bind it.
    await new Promise<void>((resolve, reject) => {
      const server = createServer().once('error', reject).listen(first.port, '127.0.0.1', () => server.close(() => resolve()));
    });
  });

  it('writes a splash that says it is starting in Chinese, probes without the token and opens the kiosk page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'splash-'));
    try {
      const bridge = await planBridge();
      const url = writeSplash(dir, bridge);
      expect(url.startsWith('file://')).toBe(true);
      const file = fileURLToPath(url);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const html = readFileSync(file, 'utf8');
      expect(html).toContain('终端正在启动，请稍候');
      expect(html).toContain(`fetch("http://127.0.0.1:${bridge.port}/index.html",{mode:'no-cors'`);
      expect(html).toContain(`location.replace(${JSON.stringify(bridge.launchUrl)})`);
      expect(html.match(new RegExp(bridge.token, 'g'))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
