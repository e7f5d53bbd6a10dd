import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { safeStorage } from 'electron';

/**
 * The outbox key, wrapped by the OS keyring through safeStorage (main process only). The host runs in a
 * utilityProcess without safeStorage, so main unwraps the key and posts it as the host's first message
 * (`{ type: 'outbox-key', key, detail }`, see host/services/outbox-key.ts). On Linux without a keyring
 * Chromium falls back to `basic_text`, whose "encryption" uses a hard-coded password: no better than a
 * plain file. Then main hands over no key and the host keeps its 0600 key file, and says so.
 */
export interface OutboxKeyMessage {
  type: 'outbox-key';
  key: string | null;
  detail: string;
}

export async function unwrapOutboxKey(wrappedFile: string): Promise<OutboxKeyMessage> {
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return { type: 'outbox-key', key: null, detail: `系统无可用密钥环（${backend}），改用仅终端账户可读的密钥文件` };
    }
  }
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    return { type: 'outbox-key', key: null, detail: '系统密钥环不可用，改用仅终端账户可读的密钥文件' };
  }
  if (existsSync(wrappedFile)) {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(readFileSync(wrappedFile));
    if (shouldReEncrypt) writeFileSync(wrappedFile, await safeStorage.encryptStringAsync(result), { mode: 0o600 });
    return { type: 'outbox-key', key: result, detail: '密钥由系统密钥环保护' };
  }
  const key = randomBytes(32).toString('base64');
  writeFileSync(wrappedFile, await safeStorage.encryptStringAsync(key), { mode: 0o600, flag: 'wx' });
  return { type: 'outbox-key', key, detail: '密钥由系统密钥环保护' };
}
