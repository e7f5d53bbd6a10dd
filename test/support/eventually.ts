/**
 * Polls `probe` (sync or async) until it gives a truthy value, and returns it; fails after `timeoutMs`
 * naming `what`. Tests wait for the condition they assert, never for a fixed time: on a shared 2-core
 * machine a fixed sleep is either too short (flaky) or too long (slow).
 */
export async function eventually<T>(probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
