/**
 * 人证核验's liveness check as a pure state machine (issue 14): frames of face measurements in, the prompt
 * to show and speak and the verdict out. Challenge-response, because a detector's own "live" score does not
 * reject a still photo, and a fixed challenge ("blink") is answered by a looped video of the holder
 * blinking. So each attempt asks for two different actions chosen at random (crypto random) from
 * 请眨眨眼 / 请慢慢向左转头 / 请慢慢向右转头, in random order, each after a short pause of random length
 * with the face to the front:
 * - an action counts only if it starts after its prompt appeared (a blink already under way, or a head
 *   already turned, does not answer it);
 * - an action that was not asked fails the attempt: a head turn the wrong way, a turn while a blink is
 *   asked, or a turn during the pause. Blinks never count against anyone (nobody can help blinking).
 *   A replay of a recorded session (every action in turn, on a loop) does its next action whenever its
 *   loop says, not when the screen asks, so it turns during a pause or the wrong way;
 * - no fast gestures: a turn counts by how far the head has turned (a slight turn, about 10°), a blink
 *   by the eyes closing and opening again however slowly; each prompt waits a generous time (长辈模式
 *   longer). Figures and why: README, 人证核验.
 *
 * Left and right are the CITIZEN'S OWN left and right: as they see themselves in the mirrored preview,
 * turning to their left moves their face to the left of the screen. The camera's own picture is not
 * mirrored: a citizen facing it who turns to their left points their nose towards the picture's right
 * (+x), so 向左 is a growing {@link FaceFrame} `noseOffset`.
 */

/** One camera frame as the face model saw it; `face` null when no face was found. */
export interface FaceFrame {
  /** When the frame was analysed, ms (any monotonic clock). */
  atMs: number;
  face: {
    /** Face box centre as a fraction of the frame's width and height (0…1). */
    centerX: number;
    centerY: number;
    /** Face box width as a fraction of the frame's width. */
    width: number;
    /** Eye opening: lid gap over eye width, both eyes averaged (about 0.45 open, under 0.25 closed). */
    eyeOpenness: number;
    /** Head turn left/right, degrees, as the model estimates it (0 facing the camera); shown for reference only. */
    yawDeg: number;
    /**
     * Head turn as the nose sees it: the nose tip's horizontal distance from the middle of the face's two
     * side edges, over the face's width, in the camera's unmirrored picture. About 0 facing the camera;
     * positive when the nose points to the picture's right (+x), which is the citizen's own LEFT.
     */
    noseOffset: number;
  } | null;
}

/** One action the kiosk may ask for. */
export type LivenessAction = 'blink' | 'turn-left' | 'turn-right';

/** What the screen shows and says for each action. */
export const ACTION_PROMPTS = { blink: '请眨眨眼', 'turn-left': '请慢慢向左转头', 'turn-right': '请慢慢向右转头' } as const satisfies Record<LivenessAction, string>;

/** What the screen shows and says now. Plain words; each says what to do. */
export type LivenessPrompt = '请正对屏幕' | '请靠近一点' | (typeof ACTION_PROMPTS)[LivenessAction];

/**
 * Where the check stands: getting into the oval (`position`), the face to the front before the next
 * prompt (`pause`), an action asked (`challenge`: which, its step 0-based, ms left), or decided; a failure
 * says why (for tests and the bench only: the citizen is told 未能确认是本人 whatever the reason).
 */
export type LivenessState =
  | { phase: 'position'; prompt: LivenessPrompt }
  /** Between actions: the face to the front for a moment (random length) before the next prompt. */
  | { phase: 'pause'; prompt: LivenessPrompt }
  | { phase: 'challenge'; prompt: LivenessPrompt; action: LivenessAction; step: number; remainingMs: number }
  | { phase: 'passed' }
  | { phase: 'failed'; reason: 'position-timeout' | 'challenge-timeout' | 'wrong-action' };

/** The limits of one attempt; the actions and pauses are random unless a test fixes them. */
export interface LivenessOptions {
  /** Time to do each action once asked, ms (default 10 s; 长辈模式 gives more). */
  challengeMs?: number;
  /** Time to get into the oval at all, ms, before the check gives up (default 20 s). */
  positionMs?: number;
  /** The actions to ask, in order (default {@link randomChallenge}); tests fix them. */
  actions?: readonly LivenessAction[];
  /** Pause before each prompt, ms, with the face to the front (default random, {@link randomPauseMs}). */
  pausesMs?: readonly number[];
}

/** Smallest face width (fraction of the frame) to compare reliably: about 30 cm from a 1080p camera. */
export const FACE_MIN_WIDTH = 0.25;
/** Largest distance of the face's centre from the frame's centre (fraction), and head turn, to start. */
const MAX_OFF_CENTRE = 0.2;
const MAX_START_NOSE_OFFSET = 0.1;
/** Frames in position in a row before the challenge starts (a face passing by does not start it). */
const STEADY_FRAMES = 3;
/**
 * Largest spread of the nose offset over those frames: a head facing the camera wobbles under 0.03 frame to
 * frame (README, 人证核验); more is a head still turning, whose "front" would be skewed. Measured cause:
 * a citizen (or the test actor) still coming back from the last attempt's turn set the front at a partial
 * turn, so after a turn the other way the head never read as back to the front and the attempt timed out.
 */
const STEADY_NOSE_SPREAD = 0.03;
/** Closed: openness below this fraction of the open eye's; open again above the second. */
const CLOSED_FRACTION = 0.6;
const REOPENED_FRACTION = 0.8;
/**
 * A slight head turn, as nose offset from where the head started: 0.08 of the face's width, about a 10°
 * turn of a real head. Measured (README): the test portraits turned 25–35° read 0.10–0.22; facing the
 * camera they wobble under 0.03 frame to frame.
 */
export const TURN_OFFSET = 0.08;
/** Back to the front after a turn: within half a turn of where the head started. */
const FRONT_OFFSET = TURN_OFFSET / 2;
/**
 * Eyes open enough for the comparison frame: this fraction of their average opening while the citizen
 * held still in the oval at the start (not of the widest seen, which a turned head's foreshortened eye
 * width inflates). Mid-blink the lids are under CLOSED_FRACTION of open.
 */
const COMPARE_OPEN_FRACTION = 0.85;
/** The pause before each prompt, ms: random in this range, so a recording cannot know when to act. */
const PAUSE_MIN_MS = 800;
const PAUSE_SPREAD_MS = 1_200;

/** A uniform random integer in 0…n−1 from the platform's cryptographic generator (Web Crypto, as in Node). */
function cryptoInt(n: number): number {
  const [value] = globalThis.crypto.getRandomValues(new Uint32Array(1));
  return (value ?? 0) % n;
}

/** Two different actions in random order (6 possible challenges), from the cryptographic generator. */
export function randomChallenge(pick: (n: number) => number = cryptoInt): LivenessAction[] {
  const pool: LivenessAction[] = ['blink', 'turn-left', 'turn-right'];
  const first = pool.splice(pick(3), 1)[0] ?? 'blink';
  const second = pool[pick(2)] ?? 'turn-left';
  return [first, second];
}

/** A pause before a prompt, ms: 0.8–2.0 s, from the cryptographic generator. */
export function randomPauseMs(pick: (n: number) => number = cryptoInt): number {
  return PAUSE_MIN_MS + pick(PAUSE_SPREAD_MS + 1);
}

/**
 * Feed frames with `next(frame)`; read `state`. After `passed` or `failed` it stays there (frames fed
 * after `passed` still say whether they are {@link LivenessCheck.fitForComparison}). A face lost
 * during a prompt does not restart its clock: the limit is the citizen's, not the frames'.
 */
export class LivenessCheck {
  private phase: 'position' | 'pause' | 'challenge' | 'passed' | 'failed' = 'position';
  private failure: 'position-timeout' | 'challenge-timeout' | 'wrong-action' = 'position-timeout';
  private prompt: LivenessPrompt = '请正对屏幕';
  private startedAt: number | null = null;
  private steady = 0;
  private openBaseline = 0;
  private noseBaseline = 0;
  /** Eye opening averaged over the steady frames in the oval, facing the camera (the comparison frame's reference). */
  private openFront = 0;
  /** The nose offsets' range over the current run of steady frames. */
  private steadyNose = { min: 0, max: 0 };
  private lastAt = 0;
  /** The step asked now (index into actions), when it was asked, and what has been seen since. */
  private step = 0;
  private stepAt = 0;
  private openSeen = false;
  private closedSeen = false;
  /** In a pause: when the face was first seen back at the front (null: not yet). */
  private frontSince: number | null = null;
  /** Whether the last frame fed may be compared with the reference photo ({@link fitForComparison}). */
  private fit = false;
  private readonly challengeMs: number;
  private readonly positionMs: number;
  /** The actions asked in this attempt, in order. */
  readonly actions: readonly LivenessAction[];
  private readonly pausesMs: readonly number[];

  constructor(options: LivenessOptions = {}) {
    this.challengeMs = options.challengeMs ?? 10_000;
    this.positionMs = options.positionMs ?? 20_000;
    this.actions = options.actions ?? randomChallenge();
    if (this.actions.length === 0) throw new Error('LivenessCheck: at least one action to ask');
    this.pausesMs = options.pausesMs ?? this.actions.map(() => randomPauseMs());
  }

  get state(): LivenessState {
    if (this.phase === 'passed') return { phase: 'passed' };
    if (this.phase === 'failed') return { phase: 'failed', reason: this.failure };
    if (this.phase === 'challenge') {
      const action = this.actions[this.step] ?? 'blink';
      return { phase: 'challenge', prompt: ACTION_PROMPTS[action], action, step: this.step, remainingMs: Math.max(0, this.challengeMs - (this.lastAt - this.stepAt)) };
    }
    return { phase: this.phase, prompt: this.prompt };
  }

  /** Actions answered so far (0 … actions.length). */
  get answeredCount(): number {
    return this.phase === 'passed' ? this.actions.length : this.step;
  }

  /**
   * Whether the frame last fed is one to compare with the card holder's reference photo: the FIRST action
   * has been answered (a still photo or a recording that cannot answer it never gets this far), nothing is
   * asked right now (the pause before the next prompt, after the answering frame, or the check passed), and
   * the face is in the oval, to the front (within half a turn of where it started) with its eyes open
   * (COMPARE_OPEN_FRACTION of their opening at the start). So never a frame mid-blink or mid-turn. FaceCheck sends the
   * first such frame to central while the second action is still to come (issue 14, overlap).
   */
  get fitForComparison(): boolean {
    return this.fit;
  }

  next(frame: FaceFrame): LivenessState {
    if (this.phase === 'failed') return this.state;
    if (this.phase !== 'passed') {
      this.startedAt ??= frame.atMs;
      this.lastAt = frame.atMs;
      if (this.phase === 'position') this.position(frame);
      else if (this.phase === 'pause') this.pause(frame);
      else this.challenge(frame);
    }
    this.fit = this.fitToCompare(frame);
    return this.state;
  }

  private fitToCompare(frame: FaceFrame): boolean {
    const face = frame.face;
    if (!face || this.answeredCount === 0) return false;
    if (this.phase === 'pause') {
      // Still coming back from a turn, or the very frame that answered the action: not yet.
      if (this.frontSince === null || frame.atMs <= this.stepAt) return false;
    } else if (this.phase !== 'passed') return false;
    return (
      Math.abs(face.centerX - 0.5) <= MAX_OFF_CENTRE &&
      Math.abs(face.centerY - 0.5) <= MAX_OFF_CENTRE &&
      face.width >= FACE_MIN_WIDTH &&
      Math.abs(this.turnOf(face)) < FRONT_OFFSET &&
      face.eyeOpenness >= this.openFront * COMPARE_OPEN_FRACTION
    );
  }

  private fail(reason: 'position-timeout' | 'challenge-timeout' | 'wrong-action'): void {
    this.phase = 'failed';
    this.failure = reason;
  }

  private position(frame: FaceFrame): void {
    const face = frame.face;
    if (!face || Math.abs(face.centerX - 0.5) > MAX_OFF_CENTRE || Math.abs(face.centerY - 0.5) > MAX_OFF_CENTRE || Math.abs(face.noseOffset) > MAX_START_NOSE_OFFSET) {
      this.steady = 0;
      this.prompt = '请正对屏幕';
    } else if (face.width < FACE_MIN_WIDTH) {
      this.steady = 0;
      this.prompt = '请靠近一点';
    } else {
      // A head still moving (coming back from a turn, say) is not where its front is: the run of steady
      // frames starts again from this one when the nose has moved more than a facing head wobbles.
      if (this.steady > 0 && (Math.abs(face.noseOffset - this.steadyNose.min) > STEADY_NOSE_SPREAD || Math.abs(face.noseOffset - this.steadyNose.max) > STEADY_NOSE_SPREAD)) this.steady = 0;
      this.steadyNose = this.steady === 0 ? { min: face.noseOffset, max: face.noseOffset } : { min: Math.min(this.steadyNose.min, face.noseOffset), max: Math.max(this.steadyNose.max, face.noseOffset) };
      this.steady += 1;
      this.openBaseline = Math.max(this.openBaseline, face.eyeOpenness);
      // Where the head is "to the front" for this citizen: the average of the steady frames.
      this.noseBaseline += (face.noseOffset - this.noseBaseline) / this.steady;
      this.openFront += (face.eyeOpenness - this.openFront) / this.steady;
      if (this.steady >= STEADY_FRAMES) {
        this.phase = 'pause';
        this.prompt = '请正对屏幕';
        this.frontSince = frame.atMs;
        return;
      }
    }
    if (frame.atMs - (this.startedAt ?? frame.atMs) > this.positionMs) this.fail('position-timeout');
  }

  /** Signed head turn from the start, as nose offset: positive is the citizen's own left. */
  private turnOf(face: NonNullable<FaceFrame['face']>): number {
    return face.noseOffset - this.noseBaseline;
  }

  private pause(frame: FaceFrame): void {
    const face = frame.face;
    if (face) {
      this.openBaseline = Math.max(this.openBaseline, face.eyeOpenness);
      const turn = Math.abs(this.turnOf(face));
      // Still coming back from the last turn: the pause starts once the face is to the front.
      if (this.frontSince === null) {
        if (turn < FRONT_OFFSET) this.frontSince = frame.atMs;
      } else if (turn >= TURN_OFFSET) {
        // A turn nobody asked for: a recording doing its next action.
        return this.fail('wrong-action');
      }
    }
    // The clock of the step before runs on until the face is back: a citizen who never comes back fails.
    if (this.frontSince === null && frame.atMs - this.stepAt > this.challengeMs) return this.fail('challenge-timeout');
    if (this.frontSince !== null && frame.atMs - this.frontSince >= (this.pausesMs[this.step] ?? PAUSE_MIN_MS)) {
      this.phase = 'challenge';
      this.stepAt = frame.atMs;
      this.openSeen = false;
      this.closedSeen = false;
    }
  }

  private challenge(frame: FaceFrame): void {
    const face = frame.face;
    const action = this.actions[this.step] ?? 'blink';
    if (face) {
      // The open eye is the widest seen: a citizen who starts squinting still has a baseline to blink from.
      this.openBaseline = Math.max(this.openBaseline, face.eyeOpenness);
      const turn = this.turnOf(face);
      const turnedLeft = turn >= TURN_OFFSET;
      const turnedRight = turn <= -TURN_OFFSET;
      if (action === 'blink') {
        // A blink already under way when the prompt appeared does not count: the eyes must be seen open first.
        if (face.eyeOpenness > this.openBaseline * REOPENED_FRACTION) {
          if (this.closedSeen) return this.answered(frame.atMs);
          this.openSeen = true;
        } else if (this.openSeen && face.eyeOpenness < this.openBaseline * CLOSED_FRACTION) this.closedSeen = true;
        if (turnedLeft || turnedRight) return this.fail('wrong-action');
      } else {
        const asked = action === 'turn-left' ? turnedLeft : turnedRight;
        const wrong = action === 'turn-left' ? turnedRight : turnedLeft;
        if (wrong) return this.fail('wrong-action');
        // The pause ended with the face to the front (a turn in it fails): a turn now began after the prompt.
        if (asked) return this.answered(frame.atMs);
      }
    }
    if (frame.atMs - this.stepAt > this.challengeMs) this.fail('challenge-timeout');
  }

  private answered(atMs: number): void {
    this.step += 1;
    if (this.step >= this.actions.length) {
      this.phase = 'passed';
      return;
    }
    this.phase = 'pause';
    this.prompt = '请正对屏幕';
    // After a blink the face is already to the front; after a turn, the pause waits for it to come back.
    this.frontSince = this.actions[this.step - 1] === 'blink' ? atMs : null;
    this.stepAt = atMs;
  }
}
