import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * HTTP and WebSocket at the byte level, for sending what no well-behaved client would: request targets
 * that are not URLs, broken headers, WebSocket frames with bad opcodes, reserved bits, invalid UTF-8 or
 * a length larger than the server accepts. Every call is bounded in time and never throws on what the
 * server does; it reports what came back.
 */

/** What a server did with one raw HTTP request. */
export interface RawAnswer {
  /** Status code of the first response line, or null when the server closed without one. */
  status: number | null;
  /** The server closed (or reset) the connection. */
  closed: boolean;
  /** Nothing at all within the time limit. */
  timedOut: boolean;
}

/** Sends `bytes` as-is on a fresh connection; resolves at the first status line, a close, or `timeoutMs`. */
export function rawRequest(port: number, bytes: Buffer | string, timeoutMs = 2_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let done = false;
    const finish = (answer: RawAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish({ status: statusOf(received), closed: false, timedOut: statusOf(received) === null }), timeoutMs);
    socket.on('error', () => finish({ status: statusOf(received), closed: true, timedOut: false }));
    socket.on('close', () => finish({ status: statusOf(received), closed: true, timedOut: false }));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = statusOf(received);
      if (status !== null) finish({ status, closed: false, timedOut: false });
    });
    socket.on('connect', () => socket.write(bytes));
  });
}

function statusOf(text: string): number | null {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return match ? Number(match[1]) : null;
}

/** One WebSocket frame as sent on the wire, any field settable to a value the protocol forbids. */
export interface RawFrame {
  fin?: boolean;
  /** RSV1–3 as a 3-bit number; anything but 0 is a protocol error without an extension. */
  rsv?: number;
  opcode: number;
  payload: Buffer;
  /** Clients must mask; an unmasked client frame is a protocol error (RFC 6455 §5.1). */
  masked?: boolean;
  /** The length to announce; defaults to the payload's. Larger than the payload leaves the frame unfinished. */
  declaredLength?: number;
}

export function encodeFrame(frame: RawFrame): Buffer {
  const length = frame.declaredLength ?? frame.payload.length;
  const masked = frame.masked ?? true;
  const head: number[] = [((frame.fin ?? true) ? 0x80 : 0) | (((frame.rsv ?? 0) & 7) << 4) | (frame.opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65_536) head.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), frame.payload]);
  const mask = randomBytes(4);
  const payload = Buffer.from(frame.payload);
  for (let index = 0; index < payload.length; index++) payload[index] = (payload[index] ?? 0) ^ (mask[index % 4] ?? 0);
  return Buffer.concat([Buffer.from(head), mask, payload]);
}

/** An upgraded raw connection: write frames, learn how (and whether) the server closed it. */
export interface RawWebSocket {
  socket: Socket;
  send(bytes: Buffer): void;
  /** Resolves when the server closes: the close code from its close frame, or null for a bare TCP close. */
  closed: Promise<{ code: number | null }>;
  /** Text frames received so far. */
  messages(): string[];
  destroy(): void;
}

/**
 * Performs the opening handshake with the given target and headers. Resolves with the upgraded socket,
 * or with the HTTP status the server refused it with (null: closed without a status).
 */
export function rawWebSocket(port: number, target: string, headers: Record<string, string>, timeoutMs = 2_000): Promise<{ ws: RawWebSocket } | { status: number | null }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    let settled = false;
    const texts: string[] = [];
    let closeCode: number | null = null;
    let resolveClosed!: (value: { code: number | null }) => void;
    const closed = new Promise<{ code: number | null }>((done) => (resolveClosed = done));
    const settle = (value: { ws: RawWebSocket } | { status: number | null }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      socket.destroy();
      settle({ status: null });
    }, timeoutMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      resolveClosed({ code: closeCode });
      settle({ status: statusOf(buffer.toString('latin1')) });
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = statusOf(buffer.toString('latin1'));
        if (status !== 101) {
          socket.destroy();
          settle({ status });
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        settle({
          ws: {
            socket,
            send: (bytes) => void (socket.writable && socket.write(bytes)),
            closed,
            messages: () => [...texts],
            destroy: () => socket.destroy(),
          },
        });
      }
      // Server frames are unmasked: read text and close frames as they complete.
      while (buffer.length >= 2) {
        const opcode = (buffer[0] ?? 0) & 0x0f;
        let length = (buffer[1] ?? 0) & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        if (opcode === 0x1) texts.push(payload.toString('utf8'));
        if (opcode === 0x8) {
          // The close handshake: the server has said its last word; answer it and report the code.
          closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          resolveClosed({ code: closeCode });
          if (socket.writable) socket.end(encodeFrame({ opcode: 0x8, payload: payload.subarray(0, 2) }));
        }
        buffer = buffer.subarray(offset + length);
      }
    });
    socket.on('connect', () => {
      const lines = [`GET ${target} HTTP/1.1`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13'];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}
