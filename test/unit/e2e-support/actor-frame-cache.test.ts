import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { actorFramesFile, actorFramesKey, cachedActorFrames, readActorFrames, type ActorFrames } from '../../e2e/support/actor-frame-cache.js';

/**
 * The face actor's frames cached on disk across e2e files: a hit answers exactly what was made, anything
 * that decides the frames changes the key, and a damaged file is rebuilt rather than trusted or thrown on.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'actor-frames-test-'));
  dirs.push(dir);
  return dir;
};

// JPEG-looking base64 (starts with FF D8 FF); the cache does not decode pictures.
const jpeg = (tag: string) => `data:image/jpeg;base64,/9j/${Buffer.from(tag).toString('base64')}`;
const FRAMES: ActorFrames = {
  neutral: [jpeg('n0'), jpeg('n1'), jpeg('n0')],
  blink: [jpeg('n0'), jpeg('shut')],
  'turn-left': [jpeg('left'), jpeg('left'), jpeg('n0')],
  'turn-right': [jpeg('right'), jpeg('n0')],
};
const INPUTS = { portrait: Buffer.from('portrait bytes'), framing: [240, 150, 1.8] as const, jpegQuality: 85 };

/** A `make` that counts its calls. */
function maker() {
  const counter = {
    calls: 0,
    make: (): Promise<ActorFrames> => {
      counter.calls++;
      return Promise.resolve(structuredClone(FRAMES));
    },
  };
  return counter;
}

describe('actor frame cache', () => {
  it('makes the frames once, then answers the same frames from disk', async () => {
    const dir = tempDir();
    const first = maker();
    expect(await cachedActorFrames(dir, INPUTS, first.make)).toEqual(FRAMES);
    const second = maker();
    expect(await cachedActorFrames(dir, INPUTS, second.make)).toEqual(FRAMES);
    expect([first.calls, second.calls]).toEqual([1, 0]);
    // Only the cache file: no temporary file left behind.
    expect(readdirSync(dir)).toEqual([actorFramesFile(dir, actorFramesKey(INPUTS)).slice(dir.length + 1)]);
  });

  it('keys on the portrait, the framing and the quality', () => {
    const key = actorFramesKey(INPUTS);
    expect(actorFramesKey({ ...INPUTS, portrait: Buffer.from('another portrait') })).not.toBe(key);
    expect(actorFramesKey({ ...INPUTS, framing: [240, 150, 1.81] })).not.toBe(key);
    expect(actorFramesKey({ ...INPUTS, jpegQuality: 86 })).not.toBe(key);
    expect(actorFramesKey({ ...INPUTS, portrait: Buffer.from('portrait bytes') })).toBe(key);
  });

  it('rebuilds a truncated, corrupt or foreign cache file instead of trusting it or failing', async () => {
    const dir = tempDir();
    await cachedActorFrames(dir, INPUTS, maker().make);
    const key = actorFramesKey(INPUTS);
    const file = actorFramesFile(dir, key);
    const whole = readFileSync(file, 'utf8');
    const damaged = [
      whole.slice(0, Math.floor(whole.length / 2)),
      '',
      'null',
      whole.replace('"neutral":[', '"neutral":[7,'),
      whole.replace(/\/9j\/[A-Za-z0-9+/=]{4}/, '/9j/AAAA'),
      whole.replace(key, '0'.repeat(64)),
    ];
    for (const content of damaged) {
      writeFileSync(file, content);
      expect(readActorFrames(file, key)).toBeNull();
      const remade = maker();
      expect(await cachedActorFrames(dir, INPUTS, remade.make)).toEqual(FRAMES);
      expect(remade.calls).toBe(1);
      expect(readActorFrames(file, key)).toEqual(FRAMES);
    }
  });

  it('makes the frames once when two e2e files ask at the same time: the second waits for the first', async () => {
    const dir = tempDir();
    let release = (): void => undefined;
    const slow = { calls: 0, make: (): Promise<ActorFrames> => {
      slow.calls++;
      return new Promise((resolve) => { release = () => resolve(structuredClone(FRAMES)); });
    } };
    const other = maker();
    const first = cachedActorFrames(dir, INPUTS, slow.make);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = cachedActorFrames(dir, INPUTS, other.make);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    expect(await Promise.all([first, second])).toEqual([FRAMES, FRAMES]);
    expect([slow.calls, other.calls]).toEqual([1, 0]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('takes over the lock of a maker that died', async () => {
    const dir = tempDir();
    const file = actorFramesFile(dir, actorFramesKey(INPUTS));
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${file}.lock`, String(dead));
    const made = maker();
    expect(await cachedActorFrames(dir, INPUTS, made.make)).toEqual(FRAMES);
    expect(made.calls).toBe(1);
  });

  it('still answers the frames when the cache cannot be written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-dir'), '');
    const made = maker();
    expect(await cachedActorFrames(join(dir, 'not-a-dir'), INPUTS, made.make)).toEqual(FRAMES);
    expect(made.calls).toBe(1);
  });
});
