import type { HeartbeatAnswer, HeartbeatBody } from '../../contract/central/fleet.js';
import type { CentralStore } from '../store/store.js';
import { storeHeartbeats } from './heartbeat.js';

/**
 * Group commit for heartbeats: a fleet of 10,000 kiosks sends ~170 a second, and one transaction per
 * heartbeat would spend the database on commits. Heartbeats arriving while earlier batches are being
 * stored wait and go together in the next transaction (up to `maxBatch`); at low load each goes at
 * once, alone. Every caller's promise settles after its batch committed, so a kiosk is answered only
 * for what is stored. A batch that fails (a deadlock between processes, a lost connection) is retried
 * once whole; after that its callers get the error (answered 503, the kiosk sends again next time).
 */
export interface BatcherOptions {
  /** Most heartbeats in one transaction. */
  maxBatch?: number;
  /** Transactions in flight at once (connections the batcher may hold). */
  concurrency?: number;
}

interface Waiting {
  terminalId: string;
  body: HeartbeatBody;
  receivedAtMs: number;
  resolve: (answer: HeartbeatAnswer | null) => void;
  reject: (error: unknown) => void;
}

export class HeartbeatBatcher {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;

  constructor(
    private readonly store: CentralStore,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 250;
    this.concurrency = options.concurrency ?? 2;
  }

  /** Stores one heartbeat with whatever else is waiting; answers null for an unknown terminal. */
  submit(terminalId: string, body: HeartbeatBody, receivedAtMs: number): Promise<HeartbeatAnswer | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ terminalId, body, receivedAtMs, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    const attempt = () => this.store.transaction((tx) => storeHeartbeats(tx, batch));
    try {
      const answers = await attempt().catch(() => attempt());
      batch.forEach((waiting, index) => waiting.resolve(answers[index] ?? null));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
