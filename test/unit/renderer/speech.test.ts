import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../../../contract/result.js';
import type { SynthesisedSpeech } from '../../../contract/speech.js';
import {
  createSpeechService,
  pickChineseVoice,
  type AudioPlayer,
  type PlatformVoice,
  type PlaybackEvents,
  type SpeechState,
  type SpokenRecord,
} from '../../../renderer/src/composables/speech.js';

const WAV = Buffer.from('RIFF-stand-in').toString('base64');

/** A platform whose voice list is `voices`; records what it was asked to say. */
function fakePlatform(voice: string | null): PlatformVoice & { spoken: string[]; events: PlaybackEvents[] } {
  const spoken: string[] = [];
  const events: PlaybackEvents[] = [];
  return {
    spoken,
    events,
    chineseVoice: () => Promise.resolve(voice ? { name: voice } : null),
    speak(text, _voice, _volume, playback) {
      spoken.push(text);
      events.push(playback);
      playback.onStart();
    },
    pause: () => undefined,
    resume: () => undefined,
    stop: () => undefined,
  };
}

function fakePlayer(): AudioPlayer & { played: Array<{ bytes: number; volume: number }>; volume: number; paused: boolean; stopped: number } {
  const player = {
    played: [] as Array<{ bytes: number; volume: number }>,
    volume: 0,
    paused: false,
    stopped: 0,
    play(wav: Uint8Array, volume: number, events: PlaybackEvents) {
      player.played.push({ bytes: wav.length, volume });
      player.volume = volume;
      events.onStart();
    },
    setVolume(volume: number) {
      player.volume = volume;
    },
    pause() {
      player.paused = true;
    },
    resume() {
      player.paused = false;
    },
    stop() {
      player.stopped++;
    },
  };
  return player;
}

function harness(options: { voice: string | null; host?: (text: string) => Promise<Result<SynthesisedSpeech>> }) {
  const platform = fakePlatform(options.voice);
  const player = fakePlayer();
  const asked: string[] = [];
  const records: SpokenRecord[] = [];
  const states: SpeechState[] = [];
  const service = createSpeechService({
    platform,
    host: options.host ?? ((text) => (asked.push(text), Promise.resolve(ok({ wavBase64: WAV, durationMs: 1200, engine: 'espeak-ng 1.51' })))),
    player,
    onState: (state) => states.push(state),
    onRecord: (record) => records.push(record),
  });
  return { service, platform, player, asked, records, states };
}

describe('createSpeechService', () => {
  it('speaks with the platform\'s Chinese voice where there is one, and never asks the host', async () => {
    const { service, platform, asked, records } = harness({ voice: 'Tingting' });
    await service.say('请选择办理事项', 0.8);
    expect(platform.spoken).toEqual(['请选择办理事项']);
    expect(asked).toEqual([]);
    expect(records).toEqual([{ text: '请选择办理事项', engine: 'platform:Tingting', outcome: 'spoken' }]);
  });

  it('asks the host where the platform has no Chinese voice, and plays its WAV at the chosen volume', async () => {
    const { service, platform, player, asked, records } = harness({ voice: null });
    await service.say('请将身份证放在读卡区', 0.6);
    expect(platform.spoken).toEqual([]);
    expect(asked).toEqual(['请将身份证放在读卡区']);
    expect(player.played).toEqual([{ bytes: 'RIFF-stand-in'.length, volume: 0.6 }]);
    expect(records).toEqual([{ text: '请将身份证放在读卡区', engine: 'host:espeak-ng 1.51', outcome: 'spoken' }]);
  });

  it('records a failure and plays nothing when the host cannot speak either', async () => {
    const { service, player, records, states } = harness({ voice: null, host: () => Promise.resolve(fail('voice-unavailable', '语音暂时无法播放，请看屏幕上的文字提示')) });
    await service.say('请签名', 1);
    expect(player.played).toEqual([]);
    expect(records).toEqual([{ text: '请签名', engine: 'host', outcome: 'failed' }]);
    expect(states.at(-1)).toBe('idle');
  });

  it('drops a host answer that arrives after a newer prompt', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const { service, player, records } = harness({
      voice: null,
      host: async (text) => {
        if (text === '旧提示') await slow;
        return ok({ wavBase64: WAV, durationMs: 1000, engine: 'espeak-ng 1.51' });
      },
    });
    const old = service.say('旧提示', 1);
    await service.say('新提示', 1);
    release();
    await old;
    expect(player.played).toHaveLength(1);
    expect(records.map((record) => record.text)).toEqual(['新提示']);
  });

  it('pauses and resumes the prompt being played, and changes its volume while it plays', async () => {
    const { service, player, states } = harness({ voice: null });
    await service.say('请核对信息', 0.4);
    service.pause();
    expect(player.paused).toBe(true);
    expect(states.at(-1)).toBe('paused');
    service.resume();
    expect(player.paused).toBe(false);
    expect(states.at(-1)).toBe('speaking');
    service.setVolume(1);
    expect(player.volume).toBe(1);
    service.stop();
    expect(states.at(-1)).toBe('idle');
    // Nothing to pause once stopped.
    service.pause();
    expect(states.at(-1)).toBe('idle');
  });
});

describe('pickChineseVoice', () => {
  it('prefers zh-CN, takes other Mandarin voices next, and never a Cantonese one', () => {
    const voice = (name: string, lang: string) => ({ name, lang });
    expect(pickChineseVoice([voice('Alex', 'en-US'), voice('Meijia', 'zh-TW'), voice('Tingting', 'zh-CN')])?.name).toBe('Tingting');
    expect(pickChineseVoice([voice('Meijia', 'zh-TW'), voice('eSpeak Mandarin', 'cmn')])?.name).toBe('eSpeak Mandarin');
    expect(pickChineseVoice([voice('Sinji', 'zh-HK'), voice('Cantonese', 'yue')])).toBeNull();
    expect(pickChineseVoice([])).toBeNull();
  });
});
