import type { AudioPlayer, PlatformVoice } from './speech.js';
import { pickChineseVoice } from './speech.js';

/**
 * The browser's parts of the speech service (composables/speech.ts): window.speechSynthesis and an
 * `<audio>` element. Kept apart so the service itself has no DOM and is unit-tested under Node.
 */

/** How long to wait for a voice list that is still loading (Chromium fills it after `voiceschanged`). */
const VOICE_LIST_WAIT_MS = 400;

/** window.speechSynthesis as a PlatformVoice, or null where the browser has none. */
export function browserPlatformVoice(synthesis: SpeechSynthesis | undefined = globalThis.speechSynthesis): PlatformVoice | null {
  if (!synthesis) return null;
  let listed = false;
  const voices = () => synthesis.getVoices();
  synthesis.addEventListener?.('voiceschanged', () => (listed = true));
  return {
    async chineseVoice() {
      if (voices().length === 0 && !listed) {
        // The list may still be loading: wait for it once, briefly; an empty list afterwards means none.
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            synthesis.removeEventListener?.('voiceschanged', done);
            resolve();
          };
          const timer = setTimeout(done, VOICE_LIST_WAIT_MS);
          synthesis.addEventListener?.('voiceschanged', done);
        });
        listed = true;
      }
      const voice = pickChineseVoice(voices());
      return voice ? { name: voice.name } : null;
    },
    speak(text, voiceName, volume, events) {
      const utterance = new SpeechSynthesisUtterance(text);
      const voice = voices().find((candidate) => candidate.name === voiceName);
      if (voice) utterance.voice = voice;
      utterance.lang = voice?.lang ?? 'zh-CN';
      utterance.rate = 0.9;
      utterance.volume = volume;
      utterance.onstart = () => events.onStart();
      utterance.onend = () => events.onEnd();
      utterance.onerror = (event) => (event.error === 'interrupted' || event.error === 'canceled' ? undefined : events.onError());
      synthesis.speak(utterance);
    },
    pause: () => synthesis.pause(),
    resume: () => synthesis.resume(),
    stop: () => synthesis.cancel(),
  };
}

/** An `<audio>` element over a blob URL (CSP: media-src blob:), revoked as soon as it is not needed. */
export function audioElementPlayer(): AudioPlayer {
  let audio: HTMLAudioElement | null = null;
  let url: string | null = null;
  const release = () => {
    if (audio) {
      audio.onplaying = null;
      audio.onended = null;
      audio.onerror = null;
      audio.pause();
      audio.removeAttribute('src');
    }
    if (url) URL.revokeObjectURL(url);
    audio = null;
    url = null;
  };
  return {
    play(wav, volume, events) {
      release();
      url = URL.createObjectURL(new Blob([wav as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }));
      const element = new Audio(url);
      audio = element;
      element.volume = volume;
      let started = false;
      element.onplaying = () => {
        if (started) return;
        started = true;
        events.onStart();
      };
      element.onended = () => {
        release();
        events.onEnd();
      };
      element.onerror = () => {
        release();
        events.onError();
      };
      element.play().catch((error: unknown) => {
        if (audio !== element || !(error instanceof DOMException)) return;
        // A pause or a newer prompt interrupts play() (AbortError): not a failure of the voice.
        if (error.name === 'AbortError') return;
        if (error.name === 'NotAllowedError') {
          // A browser that blocks sound until the first touch (the kiosk shells allow it: Electron by
          // default, Chromium with --autoplay-policy=no-user-gesture-required): play at that touch.
          window.addEventListener('pointerdown', () => void (audio === element && element.play().catch(() => undefined)), { once: true, capture: true });
          return;
        }
        release();
        events.onError();
      });
    },
    setVolume(volume) {
      if (audio) audio.volume = volume;
    },
    pause: () => audio?.pause(),
    resume: () => void audio?.play().catch(() => undefined),
    stop: release,
  };
}
