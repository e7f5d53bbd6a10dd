import { CONSOLE_PATHS, ConsoleSession } from '../../contract/central/console.js';

/** A console user's HTTP calls to central's /console/api/, as the console app makes them (bearer token). */
export interface ConsoleCaller {
  token: string;
  call(method: 'GET' | 'POST', path: string, body?: unknown, background?: boolean): Promise<{ status: number; body: unknown }>;
}

export async function consoleRequest(baseUrl: string, method: 'GET' | 'POST', path: string, token: string | null, body?: unknown, background = false): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(background ? { 'x-console-activity': 'background' } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Signs in with 工号 + PIN and answers a caller holding the token. */
export async function signInToConsole(baseUrl: string, staffNumber: string, pin: string): Promise<ConsoleCaller> {
  const answer = await consoleRequest(baseUrl, 'POST', CONSOLE_PATHS.signIn, null, { staffNumber, pin });
  if (answer.status !== 200) throw new Error(`console sign-in failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  const token = ConsoleSession.parse(answer.body).token ?? '';
  return { token, call: (method, path, body, background) => consoleRequest(baseUrl, method, path, token, body, background) };
}
