import WebSocket from 'ws';

/**
 * A minimal Chrome DevTools Protocol client over a WebSocket (the `ws` package): for a Node process started
 * with `--inspect=127.0.0.1:0` (its address is on stderr), or a Chromium page through playwright's own
 * CDP session. The heap figures come from V8 itself (HeapProfiler.collectGarbage, Runtime.getHeapUsage),
 * not from our code.
 */
export interface CdpClient {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Returns the listener's removal. */
  on(method: string, listener: (params: unknown) => void): () => void;
  close(): void;
}

export function inspectorUrl(stderr: () => string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = /Debugger listening on (ws:\/\/\S+)/.exec(stderr());
      if (match?.[1]) resolve(match[1]);
      else if (Date.now() > deadline) reject(new Error('no inspector address on stderr'));
      else setTimeout(look, 20);
    };
    look();
  });
}

export async function connectCdp(url: string): Promise<CdpClient> {
  const socket = new WebSocket(url, { maxPayload: 1024 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Array<(params: unknown) => void>>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
    if (typeof message.id === 'number') {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params);
    }
  });
  return {
    send: <T>(method: string, params: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    on: (method, listener) => {
      listeners.set(method, [...(listeners.get(method) ?? []), listener]);
      return () => listeners.set(method, (listeners.get(method) ?? []).filter((candidate) => candidate !== listener));
    },
    close: () => socket.close(),
  };
}

/** Used JS heap after a full garbage collection, in bytes, as V8 reports it. */
export async function heapAfterGc(cdp: CdpClient): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
}

/** A heap snapshot (JSON text), streamed in chunks by V8. */
export async function heapSnapshot(cdp: CdpClient): Promise<string> {
  const chunks: string[] = [];
  const stop = cdp.on('HeapProfiler.addHeapSnapshotChunk', (params) => chunks.push((params as { chunk: string }).chunk));
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    stop();
  }
  return chunks.join('');
}
