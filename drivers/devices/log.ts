/**
 * What drivers may log: codes and pseudonyms. A log entry never carries a name, an ID number or
 * photo bytes (DOMAIN.md §7); `subject` is a pseudonym from ./pseudonym.ts.
 */
export interface DriverLogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  device: string;
  code: string;
  detail?: string;
  subject?: string;
}

export type DriverLog = (entry: DriverLogEntry) => void;

export const silentLog: DriverLog = () => undefined;
