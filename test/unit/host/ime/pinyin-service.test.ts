import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../host/services/log.js';
import { PINYIN_UNAVAILABLE, PinyinService } from '../../../../host/services/ime/pinyin-service.js';
import { fixtureText } from './fixture-model.js';

function recordingLogger(): Logger & { events: { event: string; fields: Record<string, unknown> }[] } {
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  return { events, log: (_level, event, fields = {}) => events.push({ event, fields }), pseudonym: (value) => value };
}

describe('PinyinService', () => {
  let dir: string;
  let rimeDataDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ime-service-'));
    rimeDataDir = join(dir, 'rime');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function withFixtureRime(): void {
    rmSync(rimeDataDir, { recursive: true, force: true });
    mkdirSync(rimeDataDir);
    writeFileSync(join(rimeDataDir, 'essay.txt'), fixtureText('essay.txt'));
    writeFileSync(join(rimeDataDir, 'luna_pinyin.dict.yaml'), fixtureText('luna_pinyin.dict.yaml'));
  }

  it('answers a plain-Chinese ime-unavailable when the Rime files are missing, and logs why', async () => {
    const log = recordingLogger();
    const service = new PinyinService({ rimeDataDir, cacheDir: join(dir, 'cache'), log });
    const answer = await service.candidates('zhang', 0, 5);
    expect(answer).toEqual({ ok: false, error: { code: 'ime-unavailable', message: PINYIN_UNAVAILABLE } });
    expect(service.status).toBe('unavailable');
    expect(log.events.map((entry) => entry.event)).toContain('ime.pinyin-unavailable');
  });

  it('builds on first use, writes the cache, and a second service loads from it', async () => {
    withFixtureRime();
    const first = recordingLogger();
    const built = new PinyinService({ rimeDataDir, cacheDir: join(dir, 'cache'), log: first });
    const answer = await built.candidates('xian', 0, 3);
    expect(answer.ok && answer.value.candidates[0]?.text).toBe('先');
    expect(first.events.find((entry) => entry.event === 'ime.pinyin-ready')?.fields.source).toBe('built');

    const second = recordingLogger();
    const cached = new PinyinService({ rimeDataDir, cacheDir: join(dir, 'cache'), log: second });
    cached.warm();
    expect(cached.status).toBe('loading');
    expect(await cached.candidates('xian', 0, 3)).toEqual(answer);
    expect(second.events.find((entry) => entry.event === 'ime.pinyin-ready')?.fields.source).toBe('cache');
  });

  it('does not load at warm-up without a cache, and rebuilds over a damaged cache file', async () => {
    withFixtureRime();
    const cacheDir = join(dir, 'cache');
    const cold = new PinyinService({ rimeDataDir, cacheDir, log: recordingLogger() });
    cold.warm();
    expect(cold.status).toBe('idle');

    mkdirSync(cacheDir);
    writeFileSync(join(cacheDir, 'pinyin-index.bin'), 'not a cache');
    const log = recordingLogger();
    const service = new PinyinService({ rimeDataDir, cacheDir, log });
    service.warm();
    await service.start();
    expect(service.status).toBe('ready');
    expect(log.events.find((entry) => entry.event === 'ime.pinyin-ready')?.fields.source).toBe('built');
  });

  it('never logs the letters typed (they may spell a name)', async () => {
    withFixtureRime();
    const log = recordingLogger();
    const service = new PinyinService({ rimeDataDir, cacheDir: null, log });
    await service.candidates('wangxiuying', 0, 5);
    expect(JSON.stringify(log.events)).not.toContain('wangxiuying');
  });
});
