import { z } from 'zod';
import { readJsonState, writeFileAtomic } from './state-file.js';

/**
 * Local numbers (`<terminal>-<day>-<sequence>`) must never repeat for a terminal (issue 10, kind 1):
 * central answers a known number with its case, so a repeated number gave a new applicant someone
 * else's case number, and their application was lost. The outbox alone cannot promise it: a technician
 * who recreates a corrupt outbox, or a torn WAL, takes its memory of the numbers with it.
 *
 * So the numbers are also reserved outside the outbox, in `<dataDir>/local-numbers.json`, a block at a
 * time: before a sequence number beyond the reserved block is handed out, the next block is written
 * durably (one small fsynced write per block, not per application). A new process, or a new outbox,
 * starts numbering above everything reserved before, whatever the outbox remembers; the cost is a gap in
 * the day's sequence after each restart, which no one relies on. Central's last-seen number raises the
 * floor as well when it is known (`raiseFloor`).
 */
export const LocalNumberReservation = z.object({
  /** China calendar day, `YYYYMMDD`. */
  day: z.string().regex(/^\d{8}$/),
  /** Every sequence number of that day up to this one may have been handed out. */
  through: z.number().int().nonnegative(),
});
export type LocalNumberReservation = z.infer<typeof LocalNumberReservation>;

/** Sequence numbers reserved at a time. */
export const RESERVATION_BLOCK = 20;

export interface LocalNumberFloor {
  /** No sequence number of `day` at or below this may be handed out again. */
  floor(day: string): number;
  /** Called, inside the enqueue transaction, before `sequence` of `day` is handed out. Throws when the disk refuses. */
  reserve(day: string, sequence: number): void;
}

export class LocalNumberReservations implements LocalNumberFloor {
  /** What earlier processes reserved, as read at start (and raised by central's last-seen number). */
  private readonly floors = new Map<string, number>();
  private current: LocalNumberReservation | null;
  /** Why the saved reservation could not be used (`empty`, `not-json` …), or null. */
  readonly problem: string | null;

  constructor(private readonly file: string) {
    const saved = readJsonState(file, LocalNumberReservation);
    this.problem = saved.problem === 'missing' ? null : saved.problem;
    this.current = saved.value;
    if (saved.value) this.floors.set(saved.value.day, saved.value.through);
  }

  floor(day: string): number {
    return this.floors.get(day) ?? 0;
  }

  /** Central has seen this sequence number of `day` from this terminal: never hand it out again. */
  raiseFloor(day: string, sequence: number): void {
    if (sequence > this.floor(day)) this.floors.set(day, sequence);
  }

  reserve(day: string, sequence: number): void {
    if (this.current && this.current.day === day && sequence <= this.current.through) return;
    const next = { day, through: sequence + RESERVATION_BLOCK - 1 };
    writeFileAtomic(this.file, `${JSON.stringify(next)}\n`);
    this.current = next;
  }
}
