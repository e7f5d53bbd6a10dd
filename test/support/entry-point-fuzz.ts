import fc from 'fast-check';
import { encodeFrame, rawRequest, rawWebSocket, type RawFrame } from './raw-http.js';

/**
 * Fuzzing of an HTTP (and WebSocket) entry point at the byte level: random request targets (percent
 * encodings valid and not, raw bytes ≥ 0x80, dot segments, NULs, very long), methods, headers (missing,
 * foreign or non-ASCII Host, oversized), upgrade targets, and WebSocket frames (every opcode, FIN and RSV
 * bits, masked or not, invalid UTF-8, announced lengths up to 2^40). fast-check draws the inputs from a
 * seed, so a failing run replays.
 *
 * What must hold for every input: the server answers with a status below 500, or closes the connection
 * (for WebSocket: a close frame or a TCP close), and never hangs on a complete request; and the process
 * stays up: `alive()` is asked after every batch, and a known-good request must still be answered.
 */
export interface FuzzTarget {
  name: string;
  port: number;
  /** The Host header the server accepts. */
  host: string;
  /** Extra headers a well-formed request carries (e.g. an Origin). */
  headers?: Record<string, string>;
  /** An authenticated WebSocket to fuzz frames on; omitted when the target has none. */
  websocket?: { target: string; headers: Record<string, string>; probe: string };
  /** A known-good check that the server still serves (e.g. GET / answers). */
  stillServes(): Promise<boolean>;
  /** The process behind the target is still running. */
  alive(): boolean;
  /**
   * Signature headers for a request (central: the terminal's HMAC), so that half the fuzzed requests get
   * past authentication to the body parser and the routes. Omitted for targets without request signing.
   */
  sign?(method: string, pathWithQuery: string, body: string): Record<string, string>;
  /** Paths worth aiming signed requests at (the API's own). */
  apiPaths?: readonly string[];
}

export interface FuzzReport {
  /** Inputs the server answered with a status, a close frame or a clean close. */
  answered: number;
  /** Inputs with a 5xx, a hang, or after which the process was gone. */
  failures: string[];
  byOutcome: Record<string, number>;
}

const hexDigit = fc.constantFrom(...'0123456789abcdefABCDEFgG'.split(''));
const percent = fc.oneof(
  fc.tuple(hexDigit, hexDigit).map(([a, b]) => `%${a}${b}`),
  fc.constantFrom('%', '%%', '%f', '%ff', '%c0%af', '%e4%b8', '%ed%a0%80', '%00', '%2e%2e%2f', '%5c', '%u4e00'),
);
const rawByte = fc.integer({ min: 0x80, max: 0xff }).map((byte) => String.fromCharCode(byte));
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/) },
  { weight: 2, arbitrary: fc.constantFrom('..', '.', '', 'index.html', 'bridge', 'api', 'v1', 'cases', 'assets', '%2e%2e', '..;', '\\..\\') },
  // Percent-encodings alone get through the HTTP parser to the application: the cases that killed the bridge.
  { weight: 3, arbitrary: fc.array(fc.oneof(percent, fc.stringMatching(/^[a-z0-9]{0,3}$/)), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.array(fc.oneof(percent, rawByte, fc.constantFrom('?', '#', '&', '=', ';', '@', ':', '[', ']', '\t')), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')) },
);
/** A request target: an origin-form path most of the time, sometimes absolute or authority forms or garbage. */
const requestTarget = fc.oneof(
  { weight: 6, arbitrary: fc.array(segment, { minLength: 1, maxLength: 6 }).map((segments) => `/${segments.join('/')}`) },
  { weight: 1, arbitrary: fc.constantFrom('*', '//', '///etc/passwd', 'http://[', 'http://127.0.0.1/%', '127.0.0.1:80', '%', '/?%', `/${'a'.repeat(9_000)}`) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 40 }).map((text) => `/${text.replace(/[\s]/g, '')}`) },
);

const method = fc.oneof({ weight: 5, arbitrary: fc.constant('GET') }, fc.constantFrom('HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'BREW', 'G\u00e9T'));
const headerName = fc.oneof(fc.constantFrom('Accept', 'User-Agent', 'Cookie', 'X-Forwarded-For', 'Content-Type', 'Origin', 'Referer', 'Authorization', 'Range'), fc.stringMatching(/^[A-Za-z-]{1,16}$/));
const headerValue = fc.oneof(fc.stringMatching(/^[ -~]{0,40}$/), fc.array(rawByte, { minLength: 1, maxLength: 8 }).map((bytes) => bytes.join('')), fc.constantFrom('bytes=0-', 'bytes=99999999-', '\u00ff\u00fe', `${'x'.repeat(20_000)}`));

interface HttpCase {
  method: string;
  target: string;
  hostHeader: 'own' | 'foreign' | 'missing' | 'garbage';
  extra: Array<[string, string]>;
  body: string;
  /** Sign it (targets with `sign`), aimed at one of `apiPaths` by index when `apiPath` is set. */
  signed: boolean;
  apiPath: number | null;
}

/** Bodies for signed requests: JSON of the wrong shape, escapes of lone surrogates, deep nesting, not JSON at all. */
const jsonBody = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(
    '{"staffNumber":"0001","pin":"\\ud800"}',
    '{"localNumber":"K\\udfff","serviceId":"x"}',
    '{"ref":"\\ud83d"}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    '{"__proto__":{"admin":true}}',
    '{"staffNumber":1e309,"pin":null}',
    '\u00ff\u00fe',
  ),
);
const httpCase: fc.Arbitrary<HttpCase> = fc.record({
  method,
  target: requestTarget,
  hostHeader: fc.constantFrom('own', 'own', 'own', 'foreign', 'missing', 'garbage'),
  extra: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
  body: fc.oneof(fc.constant(''), fc.string({ maxLength: 64 }), jsonBody, fc.constantFrom('{"a":"\\ud800"}', '{', '\u00ff\u00fe\u0000')),
  signed: fc.boolean(),
  apiPath: fc.option(fc.nat(20), { freq: 2 }),
});

function requestBytes(target: FuzzTarget, input: HttpCase, upgrade: boolean): Buffer {
  const apiPaths = target.apiPaths ?? [];
  const path = input.apiPath !== null && apiPaths.length > 0 ? (apiPaths[input.apiPath % apiPaths.length] ?? input.target) : input.target;
  const lines = [`${input.method} ${path} HTTP/1.1`];
  if (target.sign && input.signed) {
    for (const [name, value] of Object.entries(target.sign(input.method, path, input.body))) lines.push(`${name}: ${value}`);
  }
  if (input.hostHeader === 'own') lines.push(`Host: ${target.host}`);
  if (input.hostHeader === 'foreign') lines.push('Host: evil.example');
  if (input.hostHeader === 'garbage') lines.push('Host: \u00ff\u0001:%');
  for (const [name, value] of Object.entries(target.headers ?? {})) lines.push(`${name}: ${value}`);
  for (const [name, value] of input.extra) lines.push(`${name}: ${value}`);
  if (upgrade) lines.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
  const body = Buffer.from(input.body, 'utf8');
  lines.push(`Content-Length: ${body.length}`, 'Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

interface FrameCase {
  frames: RawFrame[];
}

const payload = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0xfd]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from('{"id":1,"channel":"outbox:get-depth","request":{}}'),
    Buffer.from('{"id":2,"channel":"catalog:get-service","request":{"serviceId":"\\ud800"}}'),
    Buffer.from('{"id":"x"}'),
    Buffer.from('[]'),
    Buffer.from('null'),
    Buffer.from('{"id":3,"channel":"__proto__","request":{"__proto__":{"x":1}}}'),
  ),
);
const frame: fc.Arbitrary<RawFrame> = fc.record({
  fin: fc.boolean(),
  rsv: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 7 })),
  opcode: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0x1, 0x2, 0x0, 0x8, 0x9, 0xa) }, fc.integer({ min: 0, max: 15 })),
  payload,
  masked: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, fc.constant(false)),
  declaredLength: fc.option(fc.constantFrom(126, 65_535, 65_536, 9_000_000, 2 ** 24, 2 ** 40), { freq: 6 }).map((value) => value ?? undefined),
});
const frameCase: fc.Arbitrary<FrameCase> = fc.record({ frames: fc.array(frame, { minLength: 1, maxLength: 3 }) });

async function oneHttp(target: FuzzTarget, input: HttpCase, upgrade: boolean): Promise<string> {
  const answer = await rawRequest(target.port, requestBytes(target, input, upgrade), 3_000);
  if (answer.status !== null) return answer.status >= 500 ? `fail:${answer.status}` : `status:${Math.floor(answer.status / 100)}xx`;
  if (answer.closed) return 'closed';
  return 'fail:hang';
}

async function oneFrameCase(target: FuzzTarget, input: FrameCase): Promise<string> {
  const websocket = target.websocket;
  if (!websocket) return 'skipped';
  const opened = await rawWebSocket(target.port, websocket.target, websocket.headers, 3_000);
  if (!('ws' in opened)) return `fail:handshake ${opened.status}`;
  const ws = opened.ws;
  try {
    for (const item of input.frames) ws.send(encodeFrame(item));
    // A frame announced longer than sent leaves the server waiting for the rest: legitimate, nothing to probe.
    const unfinished = input.frames.some((item) => (item.declaredLength ?? item.payload.length) > item.payload.length);
    const closedFirst = await Promise.race([ws.closed.then((closed) => closed), new Promise<null>((resolve) => setTimeout(() => resolve(null), unfinished ? 150 : 60))]);
    if (closedFirst) return closedFirst.code === null ? 'ws:closed' : `ws:close ${closedFirst.code}`;
    if (unfinished) return 'ws:waiting';
    // Still open: a well-formed call must now be answered, or the server must close (e.g. after an unfinished fragment).
    ws.send(encodeFrame({ opcode: 0x1, payload: Buffer.from(websocket.probe) }));
    const started = Date.now();
    while (Date.now() - started < 3_000) {
      if (ws.messages().some((message) => message.includes('"id":424242'))) return 'ws:answered';
      const closed = await Promise.race([ws.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 20))]);
      if (closed) return closed.code === null ? 'ws:closed' : `ws:close ${closed.code}`;
    }
    return 'fail:ws-hang';
  } finally {
    ws.destroy();
  }
}

/**
 * Runs `count` HTTP requests, `count` upgrade attempts and (with a WebSocket) `count` frame sequences
 * against `target`, checking after every batch of 25 that the process is alive and still serves.
 */
export async function fuzzEntryPoint(target: FuzzTarget, options: { count: number; seed: number }): Promise<FuzzReport> {
  const report: FuzzReport = { answered: 0, failures: [], byOutcome: {} };
  const record = (kind: string, outcome: string, input: unknown): void => {
    const key = `${kind} ${outcome}`;
    report.byOutcome[key] = (report.byOutcome[key] ?? 0) + 1;
    if (outcome.startsWith('fail')) report.failures.push(`${target.name} ${key}: ${JSON.stringify(input).slice(0, 300)}`);
    else report.answered += 1;
  };
  const checkAlive = async (after: string): Promise<boolean> => {
    if (target.alive() && (await target.stillServes())) return true;
    report.failures.push(`${target.name}: process down or not serving after ${after}`);
    return false;
  };
  const httpInputs = fc.sample(httpCase, { numRuns: options.count, seed: options.seed });
  const upgradeInputs = fc.sample(
    fc.record({ input: httpCase, bridge: fc.boolean() }).map(({ input, bridge }) => (bridge && target.websocket ? { ...input, method: 'GET', target: `${target.websocket.target}${input.target.replace(/^\//, '&x=')}` } : input)),
    { numRuns: options.count, seed: options.seed + 1 },
  );
  const frameInputs = target.websocket ? fc.sample(frameCase, { numRuns: options.count, seed: options.seed + 2 }) : [];

  for (const [kind, inputs, run] of [
    ['http', httpInputs, (input: HttpCase) => oneHttp(target, input, false)],
    ['upgrade', upgradeInputs, (input: HttpCase) => oneHttp(target, input, true)],
    ['frames', frameInputs, (input: FrameCase) => oneFrameCase(target, input)],
  ] as const) {
    for (let index = 0; index < inputs.length; index++) {
      const input = inputs[index];
      record(kind, await (run as (value: unknown) => Promise<string>)(input), input);
      if ((index + 1) % 25 === 0 && !(await checkAlive(`${kind} #${index}`))) return report;
    }
  }
  await checkAlive('the last input');
  return report;
}
