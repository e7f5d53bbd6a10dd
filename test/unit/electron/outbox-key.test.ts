import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The outbox key wrapped by the OS keyring (electron/outbox-key.ts), against a stand-in for safeStorage:
 * the wrapped file is replaced whole (temp file, fsync, rename), never rewritten in place, so a power cut
 * while the keyring re-encrypts cannot leave a torn key (issue 10, kind 2).
 */
const keyring = vi.hoisted(() => ({ shouldReEncrypt: false, scheme: 'v1' }));

vi.mock('electron', () => ({
  safeStorage: {
    getSelectedStorageBackend: () => 'gnome_libsecret',
    isAsyncEncryptionAvailable: () => Promise.resolve(true),
    encryptStringAsync: (text: string) => Promise.resolve(Buffer.from(`${keyring.scheme}:${text}`)),
    decryptStringAsync: (data: Buffer) => Promise.resolve({ result: data.toString().replace(/^v\d:/, ''), shouldReEncrypt: keyring.shouldReEncrypt }),
  },
}));

const { unwrapOutboxKey } = await import('../../../electron/outbox-key.js');

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-outbox-key-'));
  keyring.shouldReEncrypt = false;
  keyring.scheme = 'v1';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('unwrapOutboxKey', () => {
  it('wraps a new key into a 0600 file and leaves no temp file beside it', async () => {
    const file = join(dir, 'outbox-key.safe');
    const made = await unwrapOutboxKey(file);
    expect(Buffer.from(made.key ?? '', 'base64')).toHaveLength(32);
    expect(readFileSync(file, 'utf8')).toBe(`v1:${made.key}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['outbox-key.safe']);
  });

  it('replaces the wrapped file whole when the keyring asks to re-encrypt, keeping the same key', async () => {
    const file = join(dir, 'outbox-key.safe');
    writeFileSync(file, 'v1:a-key-the-queue-was-sealed-with', { mode: 0o600 });
    const inode = statSync(file).ino;
    keyring.shouldReEncrypt = true;
    keyring.scheme = 'v2';
    expect(await unwrapOutboxKey(file)).toMatchObject({ key: 'a-key-the-queue-was-sealed-with' });
    expect(readFileSync(file, 'utf8')).toBe('v2:a-key-the-queue-was-sealed-with');
    // A new file renamed over the old one (another inode), not the old one rewritten where a crash could tear it.
    expect(statSync(file).ino).not.toBe(inode);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['outbox-key.safe']);
  });
});
