import type { Result } from '../../../contract/result.js';
import type { SynthesisedSpeech } from '../../../contract/speech.js';

/**
 * The renderer half of the one speech service (ARCHITECTURE.md "One speech service"): a prompt is said
 * by the platform's own Chinese voice where it has one (Web Speech API), otherwise the host synthesises
 * it (espeak-ng, `voice:synthesise`) and it plays here. One prompt at a time: a new one stops the last,
 * and an answer that arrives after a newer prompt is dropped. Pure of the DOM: the parts that touch it
 * (PlatformVoice, AudioPlayer) are passed in, so selection is unit-tested without a browser.
 */

/** What a playing prompt reports back. */
export interface PlaybackEvents {
  onStart(): void;
  onEnd(): void;
  onError(): void;
}

/** The platform's speech synthesis (window.speechSynthesis), reduced to what the service uses. */
export interface PlatformVoice {
  /** The platform's best Mandarin voice, or null when it has none (waits briefly for a late voice list). */
  chineseVoice(): Promise<{ name: string } | null>;
  speak(text: string, voiceName: string, volume: number, events: PlaybackEvents): void;
  pause(): void;
  resume(): void;
  stop(): void;
}

/** Plays one WAV (an `<audio>` element over a blob URL in the browser). */
export interface AudioPlayer {
  play(wav: Uint8Array, volume: number, events: PlaybackEvents): void;
  setVolume(volume: number): void;
  pause(): void;
  resume(): void;
  stop(): void;
}

/** Asks the host to speak (kiosk().voiceSynthesise). */
type HostSynthesiser = (text: string) => Promise<Result<SynthesisedSpeech>>;

export type SpeechState = 'idle' | 'preparing' | 'speaking' | 'paused';

/**
 * One engine call, for the record (`kiosk:voice` window event, read by tests and by anything that
 * mirrors the prompts, e.g. an induction loop's display). `engine` is `platform:<voice name>` or
 * `host:<engine and version>`; `failed` when no engine could say it (the caption still shows it).
 */
export interface SpokenRecord {
  text: string;
  engine: string;
  outcome: 'spoken' | 'failed';
}

export interface SpeechDependencies {
  /** Null where the platform has no speech synthesis at all. */
  platform: PlatformVoice | null;
  host: HostSynthesiser;
  player: AudioPlayer;
  onState(state: SpeechState): void;
  onRecord(record: SpokenRecord): void;
}

export interface SpeechService {
  /** Says `text` at `volume` (0–1), stopping whatever was being said. */
  say(text: string, volume: number): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  setVolume(volume: number): void;
}

export function createSpeechService(dependencies: SpeechDependencies): SpeechService {
  const { platform, host, player, onState, onRecord } = dependencies;
  /** Which prompt is current: a later say() or stop() makes every earlier callback a no-op. */
  let ticket = 0;
  let active: 'platform' | 'host' | null = null;

  function events(mine: number, text: string, engine: string): PlaybackEvents {
    return {
      onStart: () => {
        if (mine !== ticket) return;
        onState('speaking');
        onRecord({ text, engine, outcome: 'spoken' });
      },
      onEnd: () => {
        if (mine !== ticket) return;
        active = null;
        onState('idle');
      },
      onError: () => {
        if (mine !== ticket) return;
        active = null;
        onState('idle');
        onRecord({ text, engine, outcome: 'failed' });
      },
    };
  }

  function halt(): void {
    ticket++;
    platform?.stop();
    player.stop();
    active = null;
  }

  return {
    async say(text, volume) {
      halt();
      const mine = ticket;
      onState('preparing');
      const voice = platform ? await platform.chineseVoice() : null;
      if (mine !== ticket) return;
      if (platform && voice) {
        active = 'platform';
        platform.speak(text, voice.name, volume, events(mine, text, `platform:${voice.name}`));
        return;
      }
      const answer = await host(text);
      if (mine !== ticket) return;
      if (!answer.ok) {
        onState('idle');
        onRecord({ text, engine: 'host', outcome: 'failed' });
        return;
      }
      active = 'host';
      player.play(base64Bytes(answer.value.wavBase64), volume, events(mine, text, `host:${answer.value.engine}`));
    },
    pause() {
      if (active === 'platform') platform?.pause();
      else if (active === 'host') player.pause();
      else return;
      onState('paused');
    },
    resume() {
      if (active === 'platform') platform?.resume();
      else if (active === 'host') player.resume();
      else return;
      onState('speaking');
    },
    stop() {
      halt();
      onState('idle');
    },
    setVolume(volume) {
      player.setVolume(volume);
    },
  };
}

function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * The platform's Mandarin voice, best first: zh-CN, then any Mandarin (cmn), bare zh, and zh-TW
 * (Mandarin with a Taiwan accent); never Cantonese (zh-HK, yue), which a Shandong hall's citizens
 * would not follow. Null when none is listed.
 */
export function pickChineseVoice<Voice extends { name: string; lang: string }>(voices: readonly Voice[]): Voice | null {
  const rank = (lang: string): number => {
    const tag = lang.toLowerCase().replace('_', '-');
    if (tag === 'zh-cn' || tag === 'cmn-cn' || tag === 'zh-hans-cn') return 0;
    if (tag.startsWith('cmn') || tag.startsWith('zh-hans')) return 1;
    if (tag === 'zh') return 2;
    if (tag === 'zh-tw' || tag.startsWith('zh-hant-tw')) return 3;
    return Number.POSITIVE_INFINITY;
  };
  let best: Voice | null = null;
  for (const voice of voices) if (rank(voice.lang) < (best ? rank(best.lang) : Number.POSITIVE_INFINITY)) best = voice;
  return best;
}
