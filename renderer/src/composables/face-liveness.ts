/**
 * 人证核验's liveness check as a pure state machine (issue 14): frames of face measurements in, the prompt
 * to show and speak and the verdict out. Challenge-based, because a detector's own "live" score does not
 * reject a still photo: the citizen is asked to blink (or turn the head slightly), which a printed photo
 * held to the camera cannot do. The limits suit an elderly citizen: no fast gesture, a slow blink counts,
 * and the time limit is generous.
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
    /** Head turn left/right, degrees (0 facing the camera). */
    yawDeg: number;
  } | null;
}

/** What the screen shows and says now. Plain words; each says what to do. */
export type LivenessPrompt = '请正对屏幕' | '请靠近一点' | '请眨眨眼';

export type LivenessState =
  | { phase: 'position'; prompt: LivenessPrompt }
  | { phase: 'challenge'; prompt: LivenessPrompt; remainingMs: number }
  | { phase: 'passed' }
  | { phase: 'failed' };

export interface LivenessOptions {
  /** Time to blink or turn once asked, ms (default 10 s; 长辈模式 gives more). */
  challengeMs?: number;
  /** Time to get into the oval at all, ms, before the check gives up (default 20 s). */
  positionMs?: number;
}

/** Smallest face width (fraction of the frame) to compare reliably: about 30 cm from a 1080p camera. */
export const FACE_MIN_WIDTH = 0.25;
/** Largest distance of the face's centre from the frame's centre (fraction), and head turn, to start. */
const MAX_OFF_CENTRE = 0.2;
const MAX_START_YAW_DEG = 20;
/** Frames in position in a row before the challenge starts (a face passing by does not start it). */
const STEADY_FRAMES = 3;
/** Closed: openness below this fraction of the open eye's; open again above the second. */
const CLOSED_FRACTION = 0.6;
const REOPENED_FRACTION = 0.8;
/** A slight head turn that also answers the challenge, degrees from where the head started. */
const TURN_DEG = 12;

/**
 * Feed frames with `next(frame)`; read `state`. After `passed` or `failed` it stays there. A face lost
 * during the challenge does not restart the clock: the limit is the citizen's, not the frames'.
 */
export class LivenessCheck {
  private phase: 'position' | 'challenge' | 'passed' | 'failed' = 'position';
  private prompt: LivenessPrompt = '请正对屏幕';
  private startedAt: number | null = null;
  private challengeAt = 0;
  private steady = 0;
  private openBaseline = 0;
  private yawBaseline = 0;
  private closedSeen = false;
  private lastAt = 0;
  private readonly challengeMs: number;
  private readonly positionMs: number;

  constructor(options: LivenessOptions = {}) {
    this.challengeMs = options.challengeMs ?? 10_000;
    this.positionMs = options.positionMs ?? 20_000;
  }

  get state(): LivenessState {
    if (this.phase === 'passed' || this.phase === 'failed') return { phase: this.phase };
    if (this.phase === 'challenge') return { phase: 'challenge', prompt: this.prompt, remainingMs: Math.max(0, this.challengeMs - (this.lastAt - this.challengeAt)) };
    return { phase: 'position', prompt: this.prompt };
  }

  next(frame: FaceFrame): LivenessState {
    if (this.phase === 'passed' || this.phase === 'failed') return this.state;
    this.startedAt ??= frame.atMs;
    this.lastAt = frame.atMs;
    if (this.phase === 'position') this.position(frame);
    else this.challenge(frame);
    return this.state;
  }

  private position(frame: FaceFrame): void {
    const face = frame.face;
    if (!face || Math.abs(face.centerX - 0.5) > MAX_OFF_CENTRE || Math.abs(face.centerY - 0.5) > MAX_OFF_CENTRE || Math.abs(face.yawDeg) > MAX_START_YAW_DEG) {
      this.steady = 0;
      this.prompt = '请正对屏幕';
    } else if (face.width < FACE_MIN_WIDTH) {
      this.steady = 0;
      this.prompt = '请靠近一点';
    } else {
      this.steady += 1;
      this.openBaseline = Math.max(this.openBaseline, face.eyeOpenness);
      if (this.steady >= STEADY_FRAMES) {
        this.phase = 'challenge';
        this.prompt = '请眨眨眼';
        this.challengeAt = frame.atMs;
        this.yawBaseline = face.yawDeg;
        return;
      }
    }
    if (frame.atMs - (this.startedAt ?? frame.atMs) > this.positionMs) this.phase = 'failed';
  }

  private challenge(frame: FaceFrame): void {
    const face = frame.face;
    if (face) {
      // The open eye is the widest seen: a citizen who starts squinting still has a baseline to blink from.
      this.openBaseline = Math.max(this.openBaseline, face.eyeOpenness);
      if (face.eyeOpenness < this.openBaseline * CLOSED_FRACTION) this.closedSeen = true;
      else if (this.closedSeen && face.eyeOpenness > this.openBaseline * REOPENED_FRACTION) {
        this.phase = 'passed';
        return;
      }
      if (Math.abs(face.yawDeg - this.yawBaseline) >= TURN_DEG) {
        this.phase = 'passed';
        return;
      }
    }
    if (frame.atMs - this.challengeAt > this.challengeMs) this.phase = 'failed';
  }
}
