/**
 * Every answer that crosses the bridge is a Result: expected outcomes ("no card on the reader",
 * "network down, queued") resolve as values; only programming errors become `internal`.
 * `message` is plain Chinese a citizen can act on; `code` is what tests and technicians read.
 */
export interface BridgeError {
  /** Stable machine-readable code, e.g. `bad-request`, `no-session`, `device-not-ready`. */
  code: string;
  /** Plain Chinese for the screen: what happened and what to do next. Never a stack trace. */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** For exhaustive switches: fails to compile when a union member is not handled (Signal's missingCaseError). */
export function missingCase(value: never): Error {
  return new Error(`unhandled case: ${JSON.stringify(value)}`);
}
