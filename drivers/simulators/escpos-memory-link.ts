import type { ByteDuplex } from '../devices/printer-types.js';

/**
 * Two connected in-memory byte links: what one end writes, the other receives, asynchronously (as from
 * a real port) and in order. For demo mode and unit tests; integration tests use a pty instead.
 */
export function createMemoryLinkPair(): [ByteDuplex, ByteDuplex] {
  const listeners: [Set<(bytes: Uint8Array) => void>, Set<(bytes: Uint8Array) => void>] = [new Set(), new Set()];
  let closed = false;
  const end = (self: 0 | 1): ByteDuplex => ({
    async write(bytes: Uint8Array): Promise<void> {
      if (closed) throw Object.assign(new Error('link closed'), { disconnected: true });
      const copy = Uint8Array.from(bytes);
      setImmediate(() => {
        if (!closed) for (const listener of listeners[self === 0 ? 1 : 0]) listener(copy);
      });
    },
    onData(listener: (bytes: Uint8Array) => void): () => void {
      listeners[self].add(listener);
      return () => listeners[self].delete(listener);
    },
    async close(): Promise<void> {
      closed = true;
    },
  });
  return [end(0), end(1)];
}
