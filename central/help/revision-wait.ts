import { EventEmitter } from 'node:events';
import { HttpError } from '../http/routes.js';
import type { CentralStore } from '../store/store.js';

/**
 * Long-polls on help calls (issue 12). A change made by this process wakes its waiters at once; a change
 * made by another central process on the same database is seen by polling the revision every
 * `POLL_MS`, so the console learns of it within that time however many processes serve the hall.
 */
const POLL_MS = 200;

const signals = new WeakMap<CentralStore, EventEmitter>();
/** Stores whose central is stopping: their long-polls end at once instead of reading a closed database. */
const stopping = new WeakSet<CentralStore>();

function signalOf(store: CentralStore): EventEmitter {
  let signal = signals.get(store);
  if (!signal) {
    signal = new EventEmitter();
    // Every open long-poll listens; a hall's consoles and kiosks easily pass the default of 10.
    signal.setMaxListeners(0);
    signals.set(store, signal);
  }
  return signal;
}

/** Tells this process's waiters that a help call changed (call after the change committed). */
export function helpCallsChanged(store: CentralStore): void {
  signalOf(store).emit('changed');
}

/** Central is stopping (server.ts close): every long-poll on `store` ends now with 503, and new ones at once. */
export function stopHelpWaits(store: CentralStore): void {
  stopping.add(store);
  signalOf(store).emit('changed');
}

const stoppingError = () => new HttpError(503, { code: 'central-stopping', message: '中心服务正在重启，请稍后重试' });

/**
 * Runs `read` until it answers non-null or `timeoutMs` passes, re-running it when this process changes
 * a help call and every `POLL_MS` (other processes). Answers the last non-null result, or null on timeout.
 * `read` errors end the wait with the error; a stopping central ends it with 503 (`stopHelpWaits`).
 */
export async function waitFor<T>(store: CentralStore, read: () => Promise<T | null>, timeoutMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  const signal = signalOf(store);
  for (;;) {
    if (stopping.has(store)) throw stoppingError();
    const value = await read();
    if (value !== null) return value;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.off('changed', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(POLL_MS, left));
      // A long-poll must not keep a stopping process alive.
      timer.unref();
      signal.on('changed', done);
    });
  }
}
