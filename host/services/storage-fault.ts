import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonState, syncDirectory, writeFileAtomic } from './state-file.js';

/**
 * A storage fault outlives a restart until a technician has seen it (issue 10, kind 2): the kiosk stays out
 * of service, because what it would promise ("已提交") may not be kept, and because the applications it
 * lost need a person. Kept in `<dataDir>/storage-fault.json`; no personal data (local numbers only).
 */
export const StorageFaultRecord = z.object({
  /** When the fault was first seen (ISO). */
  since: z.string(),
  /** What was found, for the technician: `quick_check` words, `outbox file missing`, `disk full` … */
  problems: z.array(z.string()).min(1),
  /** Damaged files moved aside (sealed; removed only by a technician). */
  setAside: z.array(z.string()),
  salvagedRows: z.number().int().nonnegative(),
  unreadableRows: z.number().int().nonnegative(),
  /** Local numbers of acknowledged applications whose record was lost: on the staff list. */
  lost: z.array(z.string()),
});
export type StorageFaultRecord = z.infer<typeof StorageFaultRecord>;

export class StorageFaultFile {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'storage-fault.json');
  }

  /**
   * The fault on record, or null. A record that cannot be read is itself a fault: the kiosk must not
   * reopen because the note saying it should not was damaged.
   */
  load(): StorageFaultRecord | null {
    const saved = readJsonState(this.file, StorageFaultRecord);
    if (saved.problem === 'missing') return null;
    return saved.value ?? { since: new Date().toISOString(), problems: [`storage-fault record ${saved.problem}`], setAside: [], salvagedRows: 0, unreadableRows: 0, lost: [] };
  }

  /** Adds a fault to what is on record (several may pile up before a technician comes). */
  add(fault: Omit<StorageFaultRecord, 'since'>, now = new Date()): StorageFaultRecord {
    const current = this.load();
    const next: StorageFaultRecord = current
      ? {
          since: current.since,
          problems: [...current.problems, ...fault.problems].slice(-20),
          setAside: [...current.setAside, ...fault.setAside],
          salvagedRows: current.salvagedRows + fault.salvagedRows,
          unreadableRows: current.unreadableRows + fault.unreadableRows,
          lost: [...new Set([...current.lost, ...fault.lost])],
        }
      : { since: now.toISOString(), ...fault };
    try {
      writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    } catch {
      // A disk that refuses this write is the fault itself; the kiosk is out of service in memory anyway.
    }
    return next;
  }

  /** A technician has seen it. */
  clear(): void {
    rmSync(this.file, { force: true });
    syncDirectory(join(this.file, '..'));
  }
}
