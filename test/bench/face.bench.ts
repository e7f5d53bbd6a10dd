import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { loadCatalog } from '../../catalog/load.js';
import { FACE_MATCH_THRESHOLD, FaceEngine, type RgbImage } from '../../central/face/engine.js';
import { startCentralServer } from '../../central/server.js';
import { FACE_VERIFY_PATH, FaceVerifyResponse } from '../../contract/central/face.js';
import { sealFaceImage } from '../../contract/central/face-seal.js';
import { CentralClient } from '../../host/services/central-client.js';
import { gb11643CheckChar } from '../../contract/validators/gb11643.js';
import { faceFrame } from '../../renderer/src/components/face/face-measure.js';
import { FACE_CHECK_MARKS, type FaceCheckMark } from '../../renderer/src/components/face/face-outcome.js';
import { LivenessCheck, type FaceFrame, type LivenessState } from '../../renderer/src/composables/face-liveness.js';
import { startDemoStack } from '../../scripts/demo-stack.js';
import { encodeJpeg, readImage, view, type ViewChange } from '../../scripts/face-images.js';
import { facePortraits } from '../../scripts/face-portraits.js';
import { actorSegments, blinkingClip, type ActorSegment } from '../../scripts/make-face-videos.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, FAKE_CAMERA_ARGS } from '../e2e/support/browser.js';
import { FaceActor } from '../e2e/support/face-actor.js';
import { FACE_HARNESS_DIR, assertFaceHarnessBuilt } from '../e2e/support/face-harness.js';
import { median, percentile, round, type Bench, type Figures } from './figures.js';

/**
 * `npm run bench -- face` (issue 14):
 * - `face.far`, `face.frr` at central's FACE_MATCH_THRESHOLD on a labelled set: each public-domain portrait
 *   (scripts/face-portraits.ts) seen 27 ways (scale × in-plane tilt × light, with a slight turn) against
 *   the three reference photos; `face.set.genuine` / `face.set.impostor` are the comparisons made.
 *   `face.similarity.*` show the margin the threshold sits in.
 * - `face.liveness_spoof_reject.*`: attacks put through the kiosk's own liveness check (its random
 *   challenge and pauses, frame measurements by the kiosk's model, analysed at the kiosk's rate), 24
 *   attempts each: `still_photo` (photos held to the camera: hand drift and tilt, two lights, three faces),
 *   `looped_blink_video` (the recorded clip of the holder blinking every 4 s, looped from a random point),
 *   `replayed_session` (a recording of the person doing every action in turn, in a random order, looped
 *   from a random point); `face.liveness_spoof_reject` all three together.
 * - `face.liveness_bona_fide_pass` (and `.elder`, 15 s per prompt): the responsive actor, who does what
 *   each prompt asks 0.8 s after it appears, passing.
 * - `face.central_verify_ms.*`: central's share alone: sealed frame → signed HTTP → compared → answer.
 * - `face.verify_ms.*`: in Chromium with the responsive actor as the camera (answering each prompt 0.8 s
 *   after it appears), from the tap that starts the check (camera off) to the outcome on screen: camera
 *   start, the random pauses, both actions, the frame to central and back (sent in the pause before the
 *   second action, so central compares while it runs). The first attempt (the page readies the model as it
 *   appears, as 请确认是本人办理 does; what is left of that load falls in it) is reported apart.
 *   `face.verify.at.*`: when each step came, ms from the tap (medians of the warm attempts; FaceCheck's
 *   trace as the face harness shows it); `face.verify.failures` lists why attempts did not match
 *   (central's answer or the liveness check's reason); `face.verify.wait_after_last_action_ms.*` how long
 *   the citizen waits once the second action is done; `face.verify.loadavg_1m` the machine's load.
 */

/** Frames the kiosk's model analyses per second on this CPU (FaceMesh + iris on WASM: about 5–7). */
const ANALYSED_FPS = 6;

interface Identity {
  name: string;
  image: RgbImage;
  /** Face centre and width in the source, px (from the detector). */
  centerX: number;
  centerY: number;
  faceWidth: number;
}

function augmentations(identity: Identity): ViewChange[] {
  const changes: ViewChange[] = [];
  let turn = 0;
  for (const size of [0.25, 0.35, 0.5]) {
    for (const angleDeg of [-8, 0, 8]) {
      for (const [gain, offset] of [[0.6, 0], [1, 0], [1.25, 25]] as const) {
        turn += 1;
        changes.push({ width: 640, height: 480, centerX: identity.centerX, centerY: identity.centerY, scale: (size * 640) / identity.faceWidth, angleDeg, gain, offset, yaw: turn % 2 === 0 ? 0.1 : -0.1 });
      }
    }
  }
  return changes;
}

async function matchFigures(engine: FaceEngine, identities: Identity[]): Promise<Figures> {
  const references = await Promise.all(identities.map((identity) => engine.describe(identity.image)));
  const genuine: number[] = [];
  const impostor: number[] = [];
  let undetected = 0;
  for (const [index, identity] of identities.entries()) {
    for (const change of augmentations(identity)) {
      const probe = await engine.describe(view(identity.image, change));
      for (const [referenceIndex, reference] of references.entries()) {
        // No usable face in the probe is a rejection: genuine → false reject, impostor → correct reject.
        const similarity = probe && reference ? await engine.similarity(reference, probe) : 0;
        (referenceIndex === index ? genuine : impostor).push(similarity);
      }
      if (!probe) undetected += 1;
    }
  }
  const frr = genuine.filter((similarity) => similarity < FACE_MATCH_THRESHOLD).length / genuine.length;
  const far = impostor.filter((similarity) => similarity >= FACE_MATCH_THRESHOLD).length / impostor.length;
  return {
    'face.threshold': { value: FACE_MATCH_THRESHOLD, unit: 'similarity' },
    'face.far': { value: round(far, 4), unit: 'ratio' },
    'face.frr': { value: round(frr, 4), unit: 'ratio' },
    'face.set.genuine': { value: genuine.length, unit: 'comparisons' },
    'face.set.impostor': { value: impostor.length, unit: 'comparisons' },
    'face.set.identities': { value: identities.length, unit: 'people' },
    'face.set.undetected': { value: undetected, unit: 'probes' },
    'face.similarity.genuine_min': { value: round(Math.min(...genuine.filter((similarity) => similarity > 0)), 3), unit: 'similarity' },
    'face.similarity.genuine_p05': { value: round(percentile(genuine, 5), 3), unit: 'similarity' },
    'face.similarity.impostor_max': { value: round(Math.max(...impostor), 3), unit: 'similarity' },
  };
}

/** Something in front of the camera: the face measurement the kiosk reads at `atMs`, given what the screen asks now. */
type Presenter = (atMs: number, asked: LivenessState) => FaceFrame;

/** One attempt of the kiosk's liveness check (its own random challenge and pauses), analysed at ANALYSED_FPS, up to 60 s. */
function livenessAttempt(present: Presenter, options: { challengeMs?: number } = {}): { passed: boolean; ms: number } {
  const check = new LivenessCheck(options);
  let state: LivenessState = check.state;
  for (let atMs = 0; atMs <= 60_000; atMs += 1000 / ANALYSED_FPS) {
    state = check.next(present(atMs, state));
    if (state.phase === 'passed') return { passed: true, ms: atMs };
    if (state.phase === 'failed') return { passed: false, ms: atMs };
  }
  return { passed: false, ms: 60_000 };
}

/** A random integer 0…n−1 from the cryptographic generator (phases and orders of the attacks). */
function randomInt(n: number): number {
  return (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % n;
}

/** Frames played on a loop from `phaseMs` in, at `fps`: a recording held to the camera. */
function looped(frames: Array<FaceFrame['face']>, fps: number, phaseMs: number): Presenter {
  return (atMs) => ({ atMs, face: frames[Math.floor(((atMs + phaseMs) / 1000) * fps) % frames.length] ?? null });
}

async function livenessFigures(engine: FaceEngine, identities: Identity[], attempts: number): Promise<Figures> {
  const measured = new Map<RgbImage, FaceFrame['face']>();
  const measure = async (images: RgbImage[]): Promise<Array<FaceFrame['face']>> => {
    for (const image of images) if (!measured.has(image)) measured.set(image, faceFrame((await engine.detectFace(image)) ?? undefined, image.width, image.height, 0).face);
    return images.map((image) => measured.get(image) ?? null);
  };

  // Still photos held to the camera: hand drift and tilt, two lights, three faces; 3 s looped.
  const stills: Array<Array<FaceFrame['face']>> = [];
  for (const identity of identities) {
    for (const gain of [0.8, 1.15]) {
      const scale = (0.45 * 640) / identity.faceWidth;
      stills.push(await measure(Array.from({ length: 18 }, (_, index) => view(identity.image, { width: 640, height: 480, centerX: identity.centerX + Math.sin(index / 3) * 3, centerY: identity.centerY + Math.cos(index / 4) * 2, scale, angleDeg: Math.sin(index / 5) * 2, gain }))));
    }
  }

  // The two frontal faces: a recorded clip blinking once every 4 s, and the actor's segments.
  const frontal = identities.filter((identity) => identity.name !== 'cameraman');
  const blinkLoops: Array<Array<FaceFrame['face']>> = [];
  const actors: Array<Record<ActorSegment, Array<FaceFrame['face']>>> = [];
  for (const identity of frontal) {
    const scale = (0.45 * 640) / identity.faceWidth;
    blinkLoops.push(await measure(await blinkingClip(engine, identity.image, identity.centerX, identity.centerY, scale)));
    const segments = await actorSegments(engine, identity.image, identity.centerX, identity.centerY, scale);
    actors.push({ neutral: await measure(segments.neutral), blink: await measure(segments.blink), 'turn-left': await measure(segments['turn-left']), 'turn-right': await measure(segments['turn-right']) });
  }
  const FPS = 15;
  const second = (actor: Record<ActorSegment, Array<FaceFrame['face']>>) => actor.neutral.slice(0, FPS);

  let stillRejected = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const frames = stills[attempt % stills.length] ?? [];
    if (!livenessAttempt(looped(frames, ANALYSED_FPS, randomInt(3_000))).passed) stillRejected += 1;
  }
  let blinkRejected = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (!livenessAttempt(looped(blinkLoops[attempt % blinkLoops.length] ?? [], FPS, randomInt(4_000))).passed) blinkRejected += 1;
  }
  // A recorded session replayed: the person doing every action in turn (1 s still between), in one of the
  // six orders, looped from a random point.
  const orders: ActorSegment[][] = [['blink', 'turn-left', 'turn-right'], ['blink', 'turn-right', 'turn-left'], ['turn-left', 'blink', 'turn-right'], ['turn-left', 'turn-right', 'blink'], ['turn-right', 'blink', 'turn-left'], ['turn-right', 'turn-left', 'blink']];
  let replayRejected = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const actor = actors[attempt % actors.length];
    if (!actor) continue;
    const order = orders[randomInt(orders.length)] ?? [];
    const recording = order.flatMap((segment) => [...second(actor), ...actor[segment]]);
    if (!livenessAttempt(looped(recording, FPS, randomInt((recording.length * 1000) / FPS))).passed) replayRejected += 1;
  }
  // The genuine person (the responsive actor): does what the screen asks, 0.8 s after the prompt appears,
  // in 10 s (standard) or 15 s (长辈模式) per prompt.
  const genuine = (actor: Record<ActorSegment, Array<FaceFrame['face']>>): Presenter => {
    let playing: { segment: ActorSegment; from: number } | null = null;
    let askedSince: { prompt: string; at: number } | null = null;
    return (atMs, asked) => {
      if (asked.phase === 'challenge') {
        if (askedSince?.prompt !== asked.prompt) askedSince = { prompt: asked.prompt, at: atMs };
        if (!playing && atMs - askedSince.at >= 800) playing = { segment: asked.action, from: atMs };
      } else askedSince = null;
      if (playing) {
        const frames = actor[playing.segment];
        const index = Math.floor(((atMs - playing.from) / 1000) * FPS);
        if (index < frames.length) return { atMs, face: frames[index] ?? null };
        playing = null;
      }
      return { atMs, face: actor.neutral[Math.floor((atMs / 1000) * FPS) % actor.neutral.length] ?? null };
    };
  };
  let genuinePassed = 0;
  let elderPassed = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const actor = actors[attempt % actors.length];
    if (!actor) continue;
    if (livenessAttempt(genuine(actor)).passed) genuinePassed += 1;
    if (livenessAttempt(genuine(actor), { challengeMs: 15_000 }).passed) elderPassed += 1;
  }
  const rejected = stillRejected + blinkRejected + replayRejected;
  return {
    'face.liveness_spoof_reject.still_photo': { value: round(stillRejected / attempts, 3), unit: `ratio of ${attempts}` },
    'face.liveness_spoof_reject.looped_blink_video': { value: round(blinkRejected / attempts, 3), unit: `ratio of ${attempts}` },
    'face.liveness_spoof_reject.replayed_session': { value: round(replayRejected / attempts, 3), unit: `ratio of ${attempts}` },
    'face.liveness_spoof_reject': { value: round(rejected / (3 * attempts), 3), unit: `ratio of ${3 * attempts}` },
    'face.liveness_bona_fide_pass': { value: round(genuinePassed / attempts, 3), unit: `ratio of ${attempts}` },
    'face.liveness_bona_fide_pass.elder': { value: round(elderPassed / attempts, 3), unit: `ratio of ${attempts}` },
  };
}

async function verifyTimes(attempts: number): Promise<Figures> {
  assertFaceHarnessBuilt();
  const loadAtStart = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const portraits = facePortraits();
  const li = '37091119900822402' + gb11643CheckChar('37091119900822402');
  const stack = await startDemoStack({ rendererDir: FACE_HARNESS_DIR, central: { faceReferences: { [li]: portraits.astronaut } } });
  // The responsive actor as the camera (test/e2e/support/face-actor.ts): 李秀英 answering each prompt 0.8 s after it appears.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...FAKE_CAMERA_ARGS] });
  try {
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    await FaceActor.install(context);
    const page = await context.newPage();
    await page.goto(`${stack.host.bridge?.url ?? ''}/face-harness.html${new URL(stack.host.bridge?.launchUrl ?? '').hash}`);
    await page.click('[data-test=demo-card-resident-li]');
    const actor = await FaceActor.sit(page, 'astronaut', { delayMs: 800 });
    const times: number[] = [];
    const outcomes: string[] = [];
    const reasons: string[] = [];
    const breakdown = new Map<FaceCheckMark, number[]>();
    /** Warm attempts' wait after the last action was done: answered-2 → outcome, ms (the part the overlap removes). */
    const waits: number[] = [];
    for (let attempt = 0; attempt < attempts; attempt++) {
      // The person reads the outcome before trying again (the actor finishes the last movement): 2 s.
      if (attempt > 0) await page.waitForTimeout(2_000);
      await page.click('[data-test=face-start]:not([disabled])');
      const item = await page.waitForSelector(`[data-test=face-outcome]:nth-child(${attempt + 1})`, { timeout: 60_000 });
      times.push(Number(await item.getAttribute('data-ms')));
      outcomes.push((await item.getAttribute('data-outcome')) ?? '');
      // What happened (the harness shows FaceCheck's trace as data attributes): why it ended, and when each step came.
      const reason = (await item.getAttribute('data-reason')) ?? '';
      reasons.push(reason);
      const marks: string[] = [];
      for (const name of FACE_CHECK_MARKS) {
        const at = await item.getAttribute(`data-mark-${name}`);
        if (at === null) continue;
        marks.push(`${name} ${at}`);
        if (attempt > 0) breakdown.set(name, [...(breakdown.get(name) ?? []), Number(at)]);
      }
      const lastAction = await item.getAttribute('data-mark-answered-2');
      if (attempt > 0 && lastAction !== null) waits.push(Number(await item.getAttribute('data-mark-outcome')) - Number(lastAction));
      process.stderr.write(`face verify ${attempt + 1}: ${reason} [${(await item.getAttribute('data-actions')) ?? ''}] ${marks.join(', ')}\n`);
    }
    await actor.leave();
    const warm = times.slice(1);
    const failures = reasons.filter((reason) => reason !== 'central:match');
    return {
      'face.verify_ms.first': { value: times[0] ?? NaN, unit: 'ms (first check of the page)' },
      'face.verify_ms.median': { value: round(median(warm), 0), unit: 'ms' },
      'face.verify_ms.p95': { value: round(percentile(warm, 95), 0), unit: `ms of ${warm.length}` },
      'face.verify.match_rate': { value: round(outcomes.filter((outcome) => outcome === 'match').length / outcomes.length, 3), unit: `ratio of ${outcomes.length}` },
      'face.verify.failures': { value: failures.length, unit: failures.length ? `attempts: ${failures.join(', ')}` : 'attempts' },
      ...Object.fromEntries(
        [...breakdown].map(([name, values]) => [`face.verify.at.${name}`, { value: round(median(values), 0), unit: `ms from the tap, median of ${values.length} warm` }]),
      ),
      'face.verify.wait_after_last_action_ms.median': { value: round(median(waits), 0), unit: `ms of ${waits.length} (second action done → outcome)` },
      'face.verify.wait_after_last_action_ms.p95': { value: round(percentile(waits, 95), 0), unit: `ms of ${waits.length}` },
      'face.verify.loadavg_1m': { value: loadAtStart, unit: 'load average when the section began (2 cores, shared)' },
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}

/** Central's share of a check: the sealed frame over signed HTTP, compared, answered (model loaded), ms. */
async function centralTimes(identities: Identity[], requests: number): Promise<Figures> {
  const li = '37091119900822402' + gb11643CheckChar('37091119900822402');
  const astronaut = identities.find((identity) => identity.name === 'astronaut');
  if (!astronaut) throw new Error('face bench: no astronaut portrait');
  const dir = mkdtempSync(join(tmpdir(), 'face-central-'));
  const secret = 'b'.repeat(32);
  const central = await startCentralServer({ dbFile: join(dir, 'central.sqlite'), catalog: loadCatalog(), terminals: [{ id: 'TA-BENCH-0001', secret }], faceReferences: { [li]: facePortraits().astronaut } });
  const client = new CentralClient({ baseUrl: central.url, key: { keyId: 'TA-BENCH-0001', secret, algorithm: 'hmac-sha256' }, timeoutMs: 60_000 });
  try {
    const frame = encodeJpeg(view(astronaut.image, { width: 640, height: 480, centerX: astronaut.centerX, centerY: astronaut.centerY, scale: (0.4 * 640) / astronaut.faceWidth }));
    const ask = () => client.call('POST', FACE_VERIFY_PATH, FaceVerifyResponse, { idNumber: li, sealedImage: sealFaceImage(secret, 'TA-BENCH-0001', li, frame) }, { timeoutMs: 60_000 });
    const first = performance.now();
    await ask();
    const firstMs = performance.now() - first;
    const times: number[] = [];
    for (let request = 0; request < requests; request++) {
      const start = performance.now();
      await ask();
      times.push(performance.now() - start);
    }
    return {
      'face.central_verify_ms.first': { value: round(firstMs, 0), unit: 'ms (model and reference load included)' },
      'face.central_verify_ms.median': { value: round(median(times), 0), unit: 'ms' },
      'face.central_verify_ms.p95': { value: round(percentile(times, 95), 0), unit: `ms of ${times.length}` },
    };
  } finally {
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `FACE_BENCH=match,liveness,verify,central` runs only those parts (default all). */
const parts = new Set((process.env.FACE_BENCH ?? 'match,liveness,verify,central').split(','));

export default (async () => {
  const started = performance.now();
  const portraits = facePortraits();
  const central = new FaceEngine();
  const kiosk = new FaceEngine({ iris: true });
  const identities: Identity[] = [];
  for (const [name, file] of Object.entries(portraits)) {
    const image = readImage(file);
    const face = await central.detectFace(image);
    if (!face) throw new Error(`face bench: no face in ${name}`);
    const [x, y, width, height] = face.box;
    identities.push({ name, image, centerX: x + width / 2, centerY: y + height / 2, faceWidth: width });
  }
  const figures: Figures = {
    ...(parts.has('match') ? await matchFigures(central, identities) : {}),
    ...(parts.has('liveness') ? await livenessFigures(kiosk, identities, 24) : {}),
    ...(parts.has('central') ? await centralTimes(identities, 10) : {}),
    ...(parts.has('verify') ? await verifyTimes(9) : {}),
  };
  figures['face.bench_s'] = { value: round((performance.now() - started) / 1000, 1), unit: 's' };
  return figures;
}) satisfies Bench;
