import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, nextDelay, type BackoffPolicy } from '../../../host/services/backoff.js';

const policy: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

describe('backoffDelay', () => {
  it('stays within zero and the capped exponential ceiling for any attempt and random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
        const delay = backoffDelay(attempt, policy, () => draw);
        const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.max(1, ceiling));
      }),
    );
  });

  it('spans the whole window: full jitter, not equal jitter', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(7_999);
  });

  it('never exceeds the cap however many attempts failed', () => {
    expect(backoffDelay(10_000, policy, () => 0.999_999)).toBe(59_999);
  });
});

describe('nextDelay', () => {
  it('waits at least what Retry-After asks', () => {
    expect(nextDelay(1, 30_000, policy, () => 0)).toBe(30_000);
  });

  it('keeps its own backoff when that is longer than Retry-After', () => {
    expect(nextDelay(8, 1_000, policy, () => 0.5)).toBe(30_000);
  });

  it('bounds a huge Retry-After at four times the cap, so a bad header cannot park the queue for days', () => {
    expect(nextDelay(1, 7 * 24 * 3600_000, policy, () => 0)).toBe(4 * policy.capMs);
  });
});
