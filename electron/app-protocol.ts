import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './security.js';
import { RENDERER_CONTENT_TYPES } from '../contract/renderer-assets.js';

/**
 * The kiosk page is served from a privileged custom protocol, `app://kiosk/…`, not `file://`
 * (Electron security checklist item 18: "Avoid usage of the file:// protocol and prefer usage of custom
 * protocols"). A `file:` page shares its origin with every file on the disk; `app://kiosk` is one origin
 * that serves one folder. Main registers the scheme as standard and secure before `ready`
 * (protocol.registerSchemesAsPrivileged) and answers it with `serveAppRequest` (protocol.handle).
 *
 * Pure of Electron, so the resolution and its refusals are tested under plain Node.
 */
export const APP_SCHEME = 'app';
const APP_HOST = 'kiosk';
/** The one page the kiosk window shows. */
export const RENDERER_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** What to answer: a status, headers, and the bytes of the file (null for a refusal). */
export interface AppAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

const refusal = (status: number): AppAnswer => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: null });

/**
 * Answers one `app:` request from `root` (a real path: the built renderer folder). Refused: another host
 * (`app://attacker/…`), another scheme, a path that is not valid percent-encoded UTF-8 or holds a NUL, and
 * anything that is not a regular file whose real path (symlinks resolved) lies inside `root`. Every answer
 * carries the kiosk's CSP as a header, beside the `<meta>` copy in the page itself.
 */
export async function serveAppRequest(url: string, root: string): Promise<AppAnswer> {
  let target: URL;
  let pathname: string;
  try {
    target = new URL(url);
    pathname = decodeURIComponent(target.pathname);
  } catch {
    return refusal(400);
  }
  if (target.protocol !== `${APP_SCHEME}:` || target.host !== APP_HOST) return refusal(404);
  if (pathname.includes('\0')) return refusal(400);
  try {
    const file = await realpath(join(root, normalize(pathname === '/' ? '/index.html' : pathname)));
    if (!file.startsWith(root + sep) || !(await stat(file)).isFile()) return refusal(404);
    return {
      status: 200,
      headers: {
        'content-type': RENDERER_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
      body: await readFile(file),
    };
  } catch {
    return refusal(404);
  }
}
