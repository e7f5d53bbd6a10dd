import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadOrCreateKeyFile, type KeySource } from './outbox-crypto.js';

/**
 * Where the outbox key comes from. Under Electron, main unwraps it with safeStorage (the OS keyring)
 * and hands it to this utility process in its first message (electron/outbox-key.ts); only main can
 * call safeStorage. Under plain Node, or where the OS has no real keyring (Linux `basic_text`, which
 * would store the key as good as plaintext), the key is a 0600 file beside the data and the technician
 * screen says so.
 */
export const OutboxKeyMessage = z.object({
  type: z.literal('outbox-key'),
  /** Base64 of 32 bytes, or null when main found no real keyring. */
  key: z.string().nullable(),
  detail: z.string(),
});
export type OutboxKeyMessage = z.infer<typeof OutboxKeyMessage>;

export function resolveOutboxKey(dataDir: string, handed: OutboxKeyMessage | null): KeySource {
  const file = join(dataDir, 'outbox.key');
  const key = handed?.key ? Buffer.from(handed.key, 'base64') : null;
  if (handed && key && key.length === 32) {
    // An existing key file holds the key the queued rows were sealed with: a new keyring key would strand
    // them. Keep the file until the queue is empty and the technician removes it.
    if (existsSync(file)) {
      const source = loadOrCreateKeyFile(file);
      return { ...source, detail: `${source.detail}；系统密钥环可用，待队列清空后删除 outbox.key 即改用密钥环保护` };
    }
    return { key, protection: 'os-keyring', detail: handed.detail };
  }
  const source = loadOrCreateKeyFile(file);
  return handed ? { ...source, detail: `${handed.detail}；${source.detail}` } : source;
}

interface MessagePort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
}

/** Waits for main's key message; null after `timeoutMs` (an older main, or none): the key file is used. */
export function receiveOutboxKey(port: MessagePort, timeoutMs: number): Promise<OutboxKeyMessage | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    port.on('message', ({ data }) => {
      const parsed = OutboxKeyMessage.safeParse(data);
      if (!parsed.success) return;
      clearTimeout(timer);
      resolve(parsed.data);
    });
  });
}
