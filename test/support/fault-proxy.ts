import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP fault proxy between the kiosk and central, built on node:net so faults happen where a hall's
 * network makes them: on the byte stream, below HTTP. Each new connection takes the faults in force when
 * it is accepted, so a test can change them between requests.
 *
 * - latencyMs: every chunk, either way, arrives this much later.
 * - bytesPerSecond: bandwidth cap per direction (0 = none).
 * - sliceBytes: chunks are cut into slices of at most this many bytes (0 = as received), exercising
 *   parsers that must reassemble headers and bodies.
 * - refuse: connections are closed at once (central unreachable, RST from a firewall).
 * - blackhole: connections are accepted and read, but nothing is forwarded or answered (a timeout).
 * - resetRate: share of connections reset (RST) at a random moment within `resetWithinMs`.
 * - closeResponseAfterBytes / closeRate: share of connections closed after that many bytes of the
 *   answer (a cut body; with a small number, the request was processed and the acknowledgement lost).
 */
export interface ProxyFaults {
  latencyMs: number;
  bytesPerSecond: number;
  sliceBytes: number;
  refuse: boolean;
  blackhole: boolean;
  resetRate: number;
  resetWithinMs: number;
  closeResponseAfterBytes: number | null;
  closeRate: number;
}

export const NO_PROXY_FAULTS: ProxyFaults = {
  latencyMs: 0,
  bytesPerSecond: 0,
  sliceBytes: 0,
  refuse: false,
  blackhole: false,
  resetRate: 0,
  resetWithinMs: 200,
  closeResponseAfterBytes: null,
  closeRate: 1,
};

export interface ProxyStats {
  connections: number;
  refused: number;
  blackholed: number;
  resets: number;
  cutResponses: number;
}

export interface FaultProxy {
  url: string;
  port: number;
  setFaults(faults: Partial<ProxyFaults>): void;
  /** Back to a clean pipe (and cut every open connection, so old faults do not linger). */
  heal(): void;
  stats(): ProxyStats;
  /** Destroys every open connection now (a cable pulled). */
  cutAll(): void;
  close(): Promise<void>;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Moves bytes one way with the connection's latency, bandwidth and slicing, stopping at `limit` bytes. */
function forward(from: Socket, to: Socket, faults: ProxyFaults, limit: number | null, onLimit: () => void): void {
  const queue: Array<{ data: Buffer; due: number }> = [];
  let pumping = false;
  let sent = 0;
  let ended = false;
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    while (queue.length > 0 && !to.destroyed) {
      const head = queue[0];
      if (!head) break;
      const wait = head.due - Date.now();
      if (wait > 0) await delay(wait);
      let size = head.data.length;
      if (faults.sliceBytes > 0) size = Math.min(size, faults.sliceBytes);
      // Under a cap, bytes leave in 50 ms worth at a time, each only after its transmission time.
      if (faults.bytesPerSecond > 0) size = Math.min(size, Math.max(1, Math.floor(faults.bytesPerSecond / 20)));
      if (limit !== null) size = Math.min(size, limit - sent);
      const piece = head.data.subarray(0, size);
      head.data = head.data.subarray(size);
      if (head.data.length === 0) queue.shift();
      if (faults.bytesPerSecond > 0) await delay((piece.length / faults.bytesPerSecond) * 1000);
      if (!to.destroyed && piece.length > 0) to.write(piece);
      sent += piece.length;
      if (limit !== null && sent >= limit) {
        onLimit();
        return;
      }
      if (faults.sliceBytes > 0 && faults.bytesPerSecond === 0) await delay(1);
    }
    pumping = false;
    if (ended && queue.length === 0 && !to.destroyed) to.end();
  };
  from.on('data', (data: Buffer) => {
    queue.push({ data, due: Date.now() + faults.latencyMs });
    void pump();
  });
  from.on('end', () => {
    ended = true;
    void pump();
  });
}

export async function startFaultProxy(target: { host?: string; port: number }, initial: Partial<ProxyFaults> = {}, random: () => number = Math.random): Promise<FaultProxy> {
  let faults: ProxyFaults = { ...NO_PROXY_FAULTS, ...initial };
  const stats: ProxyStats = { connections: 0, refused: 0, blackholed: 0, resets: 0, cutResponses: 0 };
  const open = new Set<Socket>();

  const server: Server = createServer((client) => {
    stats.connections++;
    const current = { ...faults };
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (current.refuse) {
      stats.refused++;
      client.resetAndDestroy();
      return;
    }
    if (current.blackhole) {
      stats.blackholed++;
      client.resume();
      return;
    }
    const upstream = connect(target.port, target.host ?? '127.0.0.1');
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const cutBoth = () => {
      client.resetAndDestroy();
      upstream.destroy();
    };
    const cut = current.closeResponseAfterBytes !== null && random() < current.closeRate ? current.closeResponseAfterBytes : null;
    forward(client, upstream, current, null, () => undefined);
    forward(upstream, client, current, cut, () => {
      stats.cutResponses++;
      // A clean FIN after a partial body: the client sees a truncated response, as from a dying router.
      client.end();
      upstream.destroy();
    });
    if (random() < current.resetRate) {
      setTimeout(() => {
        if (client.destroyed) return;
        stats.resets++;
        cutBoth();
      }, random() * current.resetWithinMs);
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const cutAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setFaults: (next) => {
      faults = { ...faults, ...next };
    },
    heal: () => {
      faults = { ...NO_PROXY_FAULTS };
      cutAll();
    },
    stats: () => ({ ...stats }),
    cutAll,
    close: async () => {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A fault proxy in front of the demo stack's central, whose port is known only once the stack has started
 * it: pass `centralUrlFor` to startDemoStack and the kiosk talks to central through the proxy (the proxy
 * reads its target's port on each new connection).
 */
export async function proxyForDemoCentral(): Promise<{ proxy: FaultProxy; centralUrlFor: (central: { port: number }) => string }> {
  const target = { port: 0 };
  const proxy = await startFaultProxy(target);
  return {
    proxy,
    centralUrlFor: (central) => {
      target.port = central.port;
      return proxy.url;
    },
  };
}
