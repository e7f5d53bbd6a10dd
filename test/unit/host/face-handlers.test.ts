import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFaceImage } from '../../../contract/central/face-seal.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { createFaceHandlers, type FaceServices } from '../../../host/face-handlers.js';
import type { CallOutcome } from '../../../host/services/central-client.js';
import { createLogger, scrub } from '../../../host/services/log.js';

const LI = '37091119900822402' + gb11643CheckChar('37091119900822402');
const KEY = { keyId: 'TA-TEST-0001', secret: 's'.repeat(32), algorithm: 'hmac-sha256' as const };
// A JPEG's signature, then bytes that look like any photo's: what must never reach a log or the audit.
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(Array.from({ length: 3000 }, (_, index) => (index * 37) % 256))]);

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function setUp(answer: CallOutcome<{ outcome: string }>, identity: { idNumber: string } | null = { idNumber: LI }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'face-handlers-'));
  directories.push(dataDir);
  const sent: Array<{ path: string; body: { idNumber: string; sealedImage: string } }> = [];
  const audit: Array<Record<string, string | undefined>> = [];
  const verdicts: string[] = [];
  const services = {
    session: { current: () => (identity ? { identity } : null), faceRound: () => (identity ? 0 : null), noteFaceVerdict: (verdict: string) => verdicts.push(verdict) },
    client: {
      key: KEY,
      call: (_method: string, path: string, _schema: unknown, body: { idNumber: string; sealedImage: string }) => {
        sent.push({ path, body });
        return Promise.resolve(answer);
      },
    },
    audit: { append: (entry: Record<string, string | undefined>) => audit.push(entry) },
    log: createLogger({ dataDir }),
  } as unknown as FaceServices;
  const verify = createFaceHandlers(services)['identity:verify-face'];
  return { verify: (imageBase64: string) => verify({ imageBase64 }, { audiences: new Set(['citizen']) } as never), sent, audit, verdicts, logFile: join(dataDir, 'logs', 'host.log') };
}

describe('identity:verify-face', () => {
  it('sends the session holder’s ID number and the image sealed for central, and answers central’s outcome', async () => {
    const { verify, sent } = setUp({ kind: 'ok', status: 200, value: { outcome: 'match' } });
    expect(await verify(JPEG.toString('base64'))).toEqual({ ok: true, value: { outcome: 'match' } });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe('/v1/identity/face-verify');
    expect(sent[0]?.body.idNumber).toBe(LI);
    // Sealed: the plain bytes are not in the body, and central (holding the secret) opens them exactly.
    expect(sent[0]?.body.sealedImage).not.toContain(JPEG.toString('base64').slice(0, 40));
    expect(openFaceImage(KEY.secret, KEY.keyId, LI, sent[0]?.body.sealedImage ?? '')).toEqual(JPEG);
    expect(() => openFaceImage('t'.repeat(32), KEY.keyId, LI, sent[0]?.body.sealedImage ?? '')).toThrow('face image seal');
  });

  it.each([
    [{ kind: 'ok', status: 200, value: { outcome: 'no-match' } }, 'no-match'],
    [{ kind: 'ok', status: 200, value: { outcome: 'unavailable' } }, 'unavailable'],
    [{ kind: 'retry', reason: 'network: TimeoutError', retryAfterMs: null }, 'unavailable'],
    [{ kind: 'needs-staff', reason: 'signature-invalid' }, 'unavailable'],
    [{ kind: 'permanent', reason: 'bad-request', status: 400 }, 'unavailable'],
  ] as const)('maps central’s %o to %s', async (answer, outcome) => {
    const { verify, verdicts } = setUp(answer as CallOutcome<{ outcome: string }>);
    expect(await verify(JPEG.toString('base64'))).toEqual({ ok: true, value: { outcome } });
    // Central's answer is what the session keeps: identity:face-outcome accepts a match only from here.
    expect(verdicts).toEqual([outcome]);
  });

  it('refuses without a session identity, and refuses what is not a JPEG, without calling central', async () => {
    const none = setUp({ kind: 'ok', status: 200, value: { outcome: 'match' } }, null);
    expect(await none.verify(JPEG.toString('base64'))).toMatchObject({ ok: false, error: { code: 'no-identity' } });
    const png = setUp({ kind: 'ok', status: 200, value: { outcome: 'match' } });
    expect(await png.verify(Buffer.from('\x89PNG\r\n\x1a\n' + 'x'.repeat(200)).toString('base64'))).toMatchObject({ ok: false, error: { code: 'bad-image' } });
    expect(none.sent.length + png.sent.length).toBe(0);
  });

  it('audits that a check happened and its outcome, and logs neither the image nor the ID number', async () => {
    const { verify, audit, logFile } = setUp({ kind: 'ok', status: 200, value: { outcome: 'no-match' } });
    await verify(JPEG.toString('base64'));
    expect(audit).toEqual([{ actor: 'citizen', event: 'identity.face-check', pseudonym: expect.any(String) as string, outcome: 'no-match' }]);
    expect(JSON.stringify(audit)).not.toContain(LI);
    const written = readFileSync(logFile, 'utf8');
    expect(written).toContain('identity.face-check');
    expect(written).not.toContain(LI);
    expect(written).not.toContain(JPEG.toString('base64').slice(0, 40));
  });
});

describe('log redaction of images', () => {
  it('replaces base64 images and raw bytes, even when a caller passes them', () => {
    const base64 = JPEG.toString('base64');
    expect(scrub(`frame ${base64} sent`)).toBe('frame [binary] sent');
    expect(scrub(`data:image/jpeg;base64,${base64}`)).toBe('[binary]');
    // Digests and signatures stay readable.
    const digest = 'ab'.repeat(32);
    expect(scrub(digest)).toBe(digest);
    const dataDir = mkdtempSync(join(tmpdir(), 'face-log-'));
    directories.push(dataDir);
    createLogger({ dataDir }).log('error', 'oops', { image: JPEG, text: base64 });
    const written = readFileSync(join(dataDir, 'logs', 'host.log'), 'utf8');
    expect(written).toContain(`[${JPEG.length} bytes]`);
    expect(written).not.toContain(base64.slice(0, 40));
  });
});
