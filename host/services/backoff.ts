/**
 * Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * sleep = random(0, min(cap, base · 2^attempt)). Full jitter spreads a fleet that lost the network
 * together, so its return does not arrive as one wave.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * The furthest ahead the drainer ever plans an attempt: Retry-After is honoured up to four backoff caps.
 * A stored plan further away than this was made under a wall clock that has since stepped back.
 */
export function maxPlannedDelay(policy: BackoffPolicy): number {
  return policy.capMs * 4;
}

/** Retry-After from the server wins when it asks for longer than our own backoff. */
export function nextDelay(attempt: number, retryAfterMs: number | null, policy: BackoffPolicy, random: () => number): number {
  const own = backoffDelay(attempt, policy, random);
  return retryAfterMs === null ? own : Math.max(own, Math.min(retryAfterMs, maxPlannedDelay(policy)));
}
