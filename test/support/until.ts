/**
 * Polls an asynchronous probe (an HTTP call, a host dispatch) until it returns a value, or fails after
 * `timeoutMs` naming what it waited for. Tests wait for the condition they assert, never a fixed time.
 */
export async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
