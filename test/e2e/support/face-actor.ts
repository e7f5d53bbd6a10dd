import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { FaceEngine, type RgbImage } from '../../../central/face/engine.js';
import { ACTION_PROMPTS, type LivenessAction } from '../../../renderer/src/composables/face-liveness.js';
import { encodeJpeg, readImage } from '../../../scripts/face-images.js';
import { facePortraitDir, facePortraits, type FacePortraits } from '../../../scripts/face-portraits.js';
import { actorSegments, type ActorSegment } from '../../../scripts/make-face-videos.js';
import { cachedActorFrames } from './actor-frame-cache.js';
import { RECORD_CAMERA_STREAMS } from './browser.js';
import { openKiosk, type OpenKiosk } from './kiosk.js';

/**
 * The responsive test actor (issue 14): a fake camera file cannot react to a random prompt, so in e2e
 * tests the face camera is a person made of frames. An init script ({@link FACE_ACTOR_CAMERA}) makes
 * `navigator.mediaDevices.getUserMedia` answer a `canvas.captureStream()` that draws the actor's current
 * segment (sitting still until asked); {@link FaceActor.respond} READS THE PROMPT SHOWN ON SCREEN, as the
 * person would, and after a human-like delay plays the matching segment (a slow blink, a slow turn to the
 * person's own left or right). The frames come from the public-domain portraits
 * (scripts/make-face-videos.ts actorSegments). The track is a real MediaStreamTrack: the page's `stop()`
 * ends it (readyState 'ended'), and the drawing stops with it, so "camera off after every outcome"
 * stays observable through RECORD_CAMERA_STREAMS (add that init script after this one).
 *
 * Test-only: nothing here is in the app's bundle. Reading the screen is not acting; playing a segment is
 * the person in front of the camera moving, not a tap.
 */

/**
 * Camera frames a second: a segment plays at this rate by the wall clock (a person moves in real time,
 * however busy the kiosk's CPU), drawn as often as the page's timers run.
 */
const ACTOR_FPS = 15;

/**
 * The init script: `window.__faceActor` holds the segments (`load`), plays one (`play`), or replays a
 * fixed sequence on a loop whatever the screen says (`replay`: a recording held to the camera). With
 * `useCamera(true)` getUserMedia goes to Chromium's own (fake) camera instead. The real enumerateDevices
 * stays: launch Chromium with FAKE_CAMERA_ARGS so that a camera is listed.
 */
export const FACE_ACTOR_CAMERA = `(() => {
  const actor = { segments: {}, current: 'neutral', since: performance.now(), sequence: null, step: 0, played: [], camera: false };
  window.__faceActor = actor;
  actor.load = async (segments) => {
    actor.segments = {};
    const images = new Map();
    const decode = (url) => { if (!images.has(url)) { const image = new Image(); image.src = url; images.set(url, image.decode().then(() => image)); } return images.get(url); };
    for (const [name, urls] of Object.entries(segments)) actor.segments[name] = await Promise.all(urls.map(decode));
    actor.current = 'neutral'; actor.since = performance.now(); actor.sequence = null; actor.camera = false;
  };
  actor.play = (name) => { actor.current = name; actor.since = performance.now(); actor.played.push(name); };
  actor.replay = (sequence) => { actor.sequence = sequence; actor.step = 0; actor.current = sequence[0]; actor.since = performance.now(); };
  actor.useCamera = (on) => { actor.camera = on; };
  const media = navigator.mediaDevices;
  if (!media) return;
  const real = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints) => {
    if (actor.camera) return real(constraints);
    if (!constraints || !constraints.video || !actor.segments.neutral) throw new DOMException('Requested device not found', 'NotFoundError');
    const first = actor.segments.neutral[0];
    const canvas = document.createElement('canvas');
    canvas.width = first.naturalWidth;
    canvas.height = first.naturalHeight;
    const context = canvas.getContext('2d');
    const stream = canvas.captureStream(${ACTOR_FPS});
    const [track] = stream.getVideoTracks();
    const draw = () => {
      if (track.readyState === 'ended') return clearInterval(timer);
      let segment = actor.segments[actor.current] || actor.segments.neutral;
      let index = Math.floor(((performance.now() - actor.since) * ${ACTOR_FPS}) / 1000);
      while (index >= segment.length) {
        // The segment is over: the next of a replayed sequence, or sitting still (neutral loops).
        actor.since += (segment.length * 1000) / ${ACTOR_FPS};
        if (actor.sequence) { actor.step = (actor.step + 1) % actor.sequence.length; actor.current = actor.sequence[actor.step]; }
        else actor.current = 'neutral';
        segment = actor.segments[actor.current] || actor.segments.neutral;
        index = Math.floor(((performance.now() - actor.since) * ${ACTOR_FPS}) / 1000);
      }
      context.drawImage(segment[index], 0, 0);
    };
    draw();
    const timer = setInterval(draw, ${Math.round(1000 / ACTOR_FPS)});
    return stream;
  };
})()`;

/** Which segment answers which prompt on screen. */
const ANSWERS = new Map<string, LivenessAction>(Object.entries(ACTION_PROMPTS).map(([action, prompt]) => [prompt, action as LivenessAction]));
/** A wrong answer to each action: the other way round for a turn, a turn for a blink. */
const WRONG: Record<LivenessAction, ActorSegment> = { blink: 'turn-left', 'turn-left': 'turn-right', 'turn-right': 'turn-left' };

const cache = new Map<string, Promise<Record<ActorSegment, string[]>>>();

/**
 * The actor's segments as JPEG data URLs: `astronaut` is 李秀英 (the demo card's holder), `hopper` is
 * another person. Framed as the fake-camera clips are (scripts/make-face-videos.ts). Made once per process,
 * and cached on disk for the next e2e files (support/actor-frame-cache.ts).
 */
export function actorFrames(who: keyof Pick<FacePortraits, 'astronaut' | 'hopper'>, engine?: FaceEngine): Promise<Record<ActorSegment, string[]>> {
  let frames = cache.get(who);
  if (!frames) {
    frames = (async () => {
      const [centerX, centerY, scale] = who === 'astronaut' ? [240, 150, 1.8] : [262, 225, 1.25];
      const portrait = facePortraits()[who];
      // Cached on disk across e2e files (support/actor-frame-cache.ts): only the first face file of a run makes them.
      return cachedActorFrames(facePortraitDir(), { portrait: readFileSync(portrait), framing: [centerX, centerY, scale], jpegQuality: 85 }, async () => {
        const segments = await actorSegments(engine ?? new FaceEngine({ iris: true }), readImage(portrait), centerX, centerY, scale);
        // Each distinct picture encoded once (a held turn repeats one frame).
        const encoded = new Map<object, string>();
        const url = (image: RgbImage) => encoded.get(image) ?? (encoded.set(image, `data:image/jpeg;base64,${encodeJpeg(image, 85).toString('base64')}`), encoded.get(image) as string);
        return Object.fromEntries(Object.entries(segments).map(([name, images]) => [name, images.map(url)])) as Record<ActorSegment, string[]>;
      });
    })();
    cache.set(who, frames);
  }
  return frames;
}

/** A person in front of the kiosk's face camera who does what the screen asks. */
export class FaceActor {
  private running = false;
  private loop: Promise<void> | null = null;
  /** The prompts answered, in order. */
  readonly answered: string[] = [];

  private constructor(
    private readonly page: Page,
    private readonly delayMs: number,
    private readonly onPrompt?: (prompt: string, index: number) => Promise<void>,
    private readonly wrongAt?: number,
  ) {}

  /** Installs the actor camera in every document of `context` (before any page script). */
  static async install(context: BrowserContext): Promise<void> {
    await context.addInitScript({ content: FACE_ACTOR_CAMERA });
  }

  /**
   * The person `who` sits down in front of the camera of `page` (loaded after {@link install}); they answer
   * each prompt `delayMs` after it appears (default 0.8 s: reading, understanding, starting to move).
   * `onPrompt` runs when a prompt is first read (a screenshot for a person to look at), alongside the delay:
   * it never holds the answer back.
   * `wrongAt` (0-based, counting the prompts this person answers) scripts a mistake: that prompt gets the
   * wrong action (a turn the other way, or a turn for 请眨眨眼), as someone who misread it, or a recording
   * whose next move happens not to be the one asked.
   */
  static async sit(page: Page, who: 'astronaut' | 'hopper', options: { delayMs?: number; onPrompt?: (prompt: string, index: number) => Promise<void>; wrongAt?: number } = {}): Promise<FaceActor> {
    const frames = await actorFrames(who);
    await page.evaluate(async (segments) => {
      await (globalThis as unknown as { __faceActor: { load(segments: Record<string, string[]>): Promise<void> } }).__faceActor.load(segments);
    }, frames);
    const actor = new FaceActor(page, options.delayMs ?? 800, options.onPrompt, options.wrongAt);
    actor.start();
    return actor;
  }

  /**
   * Someone holds a recording of `who` to the camera, replaying `sequence` on a loop whatever the screen
   * asks (an attack, not a person): e.g. ['neutral', 'neutral', 'blink'] is the looped blinking clip.
   */
  static async replay(page: Page, who: 'astronaut' | 'hopper', sequence: ActorSegment[]): Promise<void> {
    const frames = await actorFrames(who);
    await page.evaluate(async ([segments, order]) => {
      const actor = (globalThis as unknown as { __faceActor: { load(segments: Record<string, string[]>): Promise<void>; replay(order: string[]): void } }).__faceActor;
      await actor.load(segments);
      actor.replay(order);
    }, [frames, sequence] as const);
  }

  /** Nobody from the actor: the page gets Chromium's own camera (a fake-camera clip, or none). */
  static async useChromiumCamera(page: Page): Promise<void> {
    await page.evaluate(() => (globalThis as unknown as { __faceActor: { useCamera(on: boolean): void } }).__faceActor.useCamera(true));
  }

  private start(): void {
    this.running = true;
    this.loop = (async () => {
      let last = '';
      while (this.running) {
        const prompt = ((await this.page.textContent('[data-test=face-prompt]', { timeout: 1_000 }).catch(() => null)) ?? '').trim();
        const asked = ANSWERS.get(prompt);
        // A new prompt on screen (or the same one again after something else): answer it once.
        if (asked && prompt !== last) {
          const segment: ActorSegment = this.answered.length === this.wrongAt ? WRONG[asked] : asked;
          // The screenshot is taken while the person reads the prompt, never in their way: on a loaded machine
          // a 1080×1920 screenshot can take longer than the check waits for an action (seen in CI: the person
          // answered after the prompt's 10 s had run out, so liveness failed although she did what was asked).
          const shot = this.onPrompt?.(prompt, this.answered.length).catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, this.delayMs));
          if (!this.running) {
            await shot;
            break;
          }
          await this.page.evaluate((name) => (globalThis as unknown as { __faceActor: { play(name: string): void } }).__faceActor.play(name), segment).catch(() => undefined);
          this.answered.push(prompt);
          await shot;
        }
        last = prompt;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
  }

  /** The person stands up: no more answers. */
  async leave(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/**
 * A portrait kiosk whose face camera is the responsive actor: central holds 李秀英's reference photo (the
 * astronaut portrait), the actor `who`'s frames are made first, Chromium keeps its fake device listed (so a
 * camera is there) while the actor answers getUserMedia, and every stream the page opens is recorded
 * (`window.__cameraStreams`, RECORD_CAMERA_STREAMS).
 */
export async function openActorKiosk(label: string, who: 'astronaut' | 'hopper', liIdNumber: string): Promise<OpenKiosk> {
  const portraits = facePortraits();
  await actorFrames(who);
  return openKiosk({
    label,
    camera: 'fake',
    stack: { central: { faceReferences: { [liIdNumber]: portraits.astronaut } } },
    async prepare(citizen) {
      await FaceActor.install(citizen.context);
      await citizen.context.addInitScript({ content: RECORD_CAMERA_STREAMS });
      await citizen.page.reload();
    },
  });
}
