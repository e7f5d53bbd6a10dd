import type { z } from 'zod';
import { ApiError } from '../../contract/central/api.js';
import { CONSOLE_ACTIVITY_HEADER } from '../../contract/central/console.js';

/**
 * The consoles' one door to central: JSON over HTTP to /console/api/ with the sign-in's bearer token,
 * every answer parsed with its contract schema (contract/central/console.ts). A 401 means the sign-in
 * ended (idle, expired, signed out elsewhere): `onSignedOut` takes the person back to the sign-in page.
 */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let token: string | null = sessionStorage.getItem('console-token');
let signedOut: () => void = () => undefined;

export function setToken(value: string | null): void {
  token = value;
  if (value) sessionStorage.setItem('console-token', value);
  else sessionStorage.removeItem('console-token');
}

/** The sign-in's token, for the video signalling socket (offered as its subprotocol), or null. */
export function bearerToken(): string | null {
  return token;
}

export function hasToken(): boolean {
  return token !== null;
}

export function onSignedOut(listener: () => void): void {
  signedOut = listener;
}

/**
 * Calls central. `background`: the console asked by itself (a list refreshing), which does not count as
 * the person's activity, so an unattended console still signs out when idle.
 */
export async function consoleApi<T extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: T, body?: unknown, options: { background?: boolean } = {}): Promise<z.output<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.background ? { [CONSOLE_ACTIVITY_HEADER]: 'background' } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ConsoleApiError(0, 'network', '连不上中心服务，请检查网络后重试');
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ConsoleApiError(response.status, 'bad-response', '中心服务的回答无法读取，请稍后重试');
  }
  if (!response.ok) {
    const error = ApiError.safeParse(json);
    if (response.status === 401 && path !== '/console/api/sign-in') {
      setToken(null);
      signedOut();
    }
    throw new ConsoleApiError(response.status, error.success ? error.data.code : `http-${response.status}`, error.success ? error.data.message : '操作没有成功，请稍后重试');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ConsoleApiError(response.status, 'bad-response', '中心服务的回答与约定不符，请联系系统管理员');
  return parsed.data;
}
