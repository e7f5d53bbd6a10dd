import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { extname, join, sep } from 'node:path';
import { CONSOLE_ACTIVITY_HEADER, ConsoleRole } from '../../contract/central/console.js';
import type { CentralContext } from '../context.js';
import { HttpError, type ConsoleUser } from './routes.js';

/**
 * The web consoles' side of the HTTP core: who is asking (a bearer token that central issued at sign-in
 * and keeps as a SHA-256, with an idle limit), and the built console app's files.
 */

/** SHA-256 of a console or terminal staff token, as stored: a stolen database holds no usable token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const signedOut = () => new HttpError(401, { code: 'console-signed-out', message: '登录已失效（长时间未操作或已退出），请重新登录' });

/**
 * The user of a console request, or 401 (no, unknown, idle or expired token) / 403 (role not allowed).
 * A request the console made by itself (`x-console-activity: background`) does not extend the idle time.
 */
export async function consoleUser(request: IncomingMessage, context: CentralContext, idleMs: number, roles?: readonly ConsoleRole[]): Promise<ConsoleUser> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && /^Bearer [A-Za-z0-9_-]{16,128}$/.test(header) ? header.slice(7) : null;
  if (!token) throw signedOut();
  const nowMs = context.now().getTime();
  const background = request.headers[CONSOLE_ACTIVITY_HEADER] === 'background';
  const session = await context.store.sessions.use(tokenHash(token), nowMs, background ? null : nowMs + idleMs);
  if (!session) throw signedOut();
  const role = ConsoleRole.safeParse(session.role);
  if (!role.success) throw signedOut();
  if (roles && !roles.includes(role.data)) throw new HttpError(403, { code: 'console-role', message: '您的账号没有使用此功能的权限' });
  return { staffNumber: session.staffNumber, role: role.data, tokenHash: session.tokenHash, expiresAtMs: session.expiresAtMs };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/** The page may load only its own files, show data: screenshots and play a recording it fetched (blob:, 视频帮办录像); it may call only its own origin. */
const CONSOLE_CSP = "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * A file of the built console app (`dist/consoles`) for `/console/…`: `/console/` is its index.html;
 * only regular files inside the folder are served, never anything a path or a link leads out to.
 */
export async function consoleFile(dir: string | null, pathname: string): Promise<{ status: number; headers: Record<string, string>; body: string | Buffer }> {
  const notFound = { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '控制台页面不存在' };
  if (!dir) return notFound;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.replace(/^\/console\/?/, '')) || 'index.html';
  } catch {
    return notFound;
  }
  if (relative.includes('\0')) return notFound;
  try {
    const root = await realpath(dir);
    const file = await realpath(join(root, relative));
    if (!file.startsWith(root + sep) || !(await stat(file)).isFile()) return notFound;
    const type = CONTENT_TYPES[extname(file)];
    if (!type) return notFound;
    return {
      status: 200,
      headers: {
        'content-type': type,
        'content-security-policy': CONSOLE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': relative === 'index.html' ? 'no-store' : 'max-age=3600',
      },
      body: await readFile(file),
    };
  } catch {
    return notFound;
  }
}
