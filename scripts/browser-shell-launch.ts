import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Opening the browser shell without waiting for the host: the launcher picks the bridge's port and
 * token, starts Chromium on a splash page at once (Chromium takes about a second to come up, the host
 * and central about as long), and the splash moves to the kiosk page as soon as the bridge answers.
 * After a crash the kiosk is back in the larger of the two times, not their sum.
 */
export interface PlannedBridge {
  port: number;
  token: string;
  /** The kiosk page, token in the fragment (never sent in a request). */
  launchUrl: string;
}

/** A free port on 127.0.0.1 (bound and released: the host binds it a moment later) and a fresh token. */
export async function planBridge(): Promise<PlannedBridge> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
  const token = randomBytes(24).toString('base64url');
  return { port, token, launchUrl: `http://127.0.0.1:${port}/#token=${token}` };
}

/**
 * Writes the splash page into `directory` (the browser profile's temporary folder) and returns its file:
 * URL. It says in plain Chinese that the kiosk is starting, asks the bridge every 50 ms, and opens the
 * kiosk page once it answers. The fetch is `no-cors` (it learns only that the server is up, never reads
 * it); the page is a file, not a `data:` URL, because Chromium's Private Network Access refuses requests
 * to 127.0.0.1 from a `data:` page (not a secure context) and allows them from a local file.
 */
export function writeSplash(directory: string, bridge: PlannedBridge): string {
  const target = JSON.stringify(bridge.launchUrl);
  const probe = JSON.stringify(`http://127.0.0.1:${bridge.port}/index.html`);
  const html = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>泰安市政务服务自助终端</title><body style="margin:0;display:grid;place-items:center;height:100vh;background:#f6f7fb;font:32px sans-serif;color:#1d2a44"><p>终端正在启动，请稍候……</p><script>(function poll(){fetch(${probe},{mode:'no-cors',cache:'no-store'}).then(function(){location.replace(${target})},function(){setTimeout(poll,50)})})()</script></body></html>`;
  const file = join(directory, 'splash.html');
  writeFileSync(file, html, { mode: 0o600 });
  return pathToFileURL(file).href;
}
