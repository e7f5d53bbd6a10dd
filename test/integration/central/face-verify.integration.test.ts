import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { FACE_VERIFY_PATH, FaceVerifyResponse } from '../../../contract/central/face.js';
import { sealFaceImage } from '../../../contract/central/face-seal.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { encodeJpeg, readImage, view } from '../../../scripts/face-images.js';
import { facePortraits } from '../../../scripts/face-portraits.js';

/**
 * 人证核验 at central with the real model (issue 14): the live image, sealed as the kiosk seals it, over
 * real signed HTTP; central compares it with its own reference photo of the ID number's holder.
 */
const idNumber = (first17: string) => first17 + gb11643CheckChar(first17);
const LI = idNumber('37091119900822402');
const ZHANG = idNumber('37090219680315123');
const SUN = idNumber('37092119440610262');
const WANG = idNumber('37098319850107351');
const TERMINAL = 'TA-TEST-0001';
const SECRET = 'f'.repeat(32);

describe('central POST /v1/identity/face-verify', () => {
  let directory: string;
  let central: CentralServer;
  let client: CentralClient;
  let astronaut: ReturnType<typeof readImage>;
  let hopper: ReturnType<typeof readImage>;

  beforeAll(async () => {
    const portraits = facePortraits();
    astronaut = readImage(portraits.astronaut);
    hopper = readImage(portraits.hopper);
    directory = mkdtempSync(join(tmpdir(), 'central-face-'));
    central = await startCentralServer({
      dbFile: join(directory, 'central.sqlite'),
      catalog: loadCatalog(),
      terminals: [{ id: TERMINAL, secret: SECRET }],
      faceReferences: { [LI]: portraits.astronaut, [SUN]: portraits.hopper, [ZHANG]: portraits.cameraman },
    });
    client = new CentralClient({ baseUrl: central.url, key: { keyId: TERMINAL, secret: SECRET, algorithm: 'hmac-sha256' }, timeoutMs: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await central?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const verify = (who: string, jpeg: Buffer, sealedFor = who) =>
    client.call('POST', FACE_VERIFY_PATH, FaceVerifyResponse, { idNumber: who, sealedImage: sealFaceImage(SECRET, TERMINAL, sealedFor, jpeg) }, { timeoutMs: 30_000 });

  // A camera frame, not the reference file: 640×480, the face smaller, tilted and darker than the photo.
  const liveFrame = (portrait: ReturnType<typeof readImage>) => encodeJpeg(view(portrait, { width: 640, height: 480, scale: 0.9, angleDeg: 4, gain: 0.85, centerY: 200 }));

  it('answers match for the holder’s own face', async () => {
    expect(await verify(LI, liveFrame(astronaut))).toEqual({ kind: 'ok', status: 200, value: { outcome: 'match' } });
    expect(await verify(SUN, liveFrame(hopper))).toEqual({ kind: 'ok', status: 200, value: { outcome: 'match' } });
  }, 30_000);

  it('answers no-match for another person’s face', async () => {
    expect(await verify(LI, liveFrame(hopper))).toMatchObject({ kind: 'ok', value: { outcome: 'no-match' } });
    expect(await verify(SUN, liveFrame(astronaut))).toMatchObject({ kind: 'ok', value: { outcome: 'no-match' } });
    expect(await verify(ZHANG, liveFrame(astronaut))).toMatchObject({ kind: 'ok', value: { outcome: 'no-match' } });
  }, 30_000);

  it('answers no-match when the image holds no face', async () => {
    const grey = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3).fill(120) };
    expect(await verify(LI, encodeJpeg(grey))).toMatchObject({ kind: 'ok', value: { outcome: 'no-match' } });
  }, 30_000);

  it('answers unavailable without a reference photo for the ID number', async () => {
    expect(await verify(WANG, liveFrame(astronaut))).toMatchObject({ kind: 'ok', value: { outcome: 'unavailable' } });
  }, 30_000);

  it('refuses an image sealed for another person, and one that is not an image', async () => {
    expect(await verify(LI, liveFrame(astronaut), ZHANG)).toMatchObject({ kind: 'permanent', status: 400 });
    expect(await verify(LI, Buffer.from('not an image at all, just text'))).toMatchObject({ kind: 'permanent', status: 400 });
  }, 30_000);
});
