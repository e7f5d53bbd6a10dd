import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
    if (shouldReEncrypt) replaceWrappedKey(wrappedFile, await safeStorage.encryptStringAsync(result));
    return { type: 'outbox-key', key: result, detail: '密钥由系统密钥环保护' };
  }
  const key = randomBytes(32).toString('base64');
  replaceWrappedKey(wrappedFile, await safeStorage.encryptStringAsync(key));
  return { type: 'outbox-key', key, detail: '密钥由系统密钥环保护' };
}

/**
 * Writes the wrapped key whole or not at all (issue 10, kind 2): a temp file beside it, fsynced, renamed
 * over it, the directory fsynced. Written in place, a power cut while the keyring re-encrypts would leave
 * a torn file and every queued application sealed with a key no one can unwrap. (host/services/state-file.ts
 * does the same for the host's files; electron/ may not import host/, so this stays its own few lines.)
 */
function replaceWrappedKey(file: string, wrapped: Buffer): void {
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = openSync(temporary, 'wx', 0o600);
  try {
    let written = 0;
    while (written < wrapped.length) written += writeSync(descriptor, wrapped, written, wrapped.length - written);
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  renameSync(temporary, file);
  const directory = openSync(dirname(file), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}
