import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgedDemo, type BridgedDemo } from '../../support/bridge-client.js';
import { hanziMedians } from '../../e2e/support/ime-harness.js';
import { ZinniaRecognizer } from '../../../host/services/ime/zinnia.js';
import { HandwritingService } from '../../../host/services/ime/handwriting-service.js';
import type { Logger } from '../../../host/services/log.js';

/**
 * The input engines on the real Debian data, through the host's real bridge: Rime's whole essay and
 * Luna Pinyin dictionary (librime-data), and Zinnia (libzinnia0) with Tegaki's model through koffi,
 * fed strokes from Make Me a Hanzi (hanzi-writer-data), an independent source of real writing.
 */
const ZINNIA = { library: 'libzinnia.so.0', model: '/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model' };

type Answer = { ok: boolean; value?: { candidates: { text: string; consumed: number }[]; total: number; syllables: string }; error?: { code: string; message: string } };

describe('input engines on the Debian data', () => {
  let demo: BridgedDemo;
  const pinyin = async (input: string, limit = 5) => (await demo.bridge.call('ime:pinyin-candidates', { input, offset: 0, limit }, 60_000)) as Answer;
  const texts = async (input: string, limit = 5) => (await pinyin(input, limit)).value?.candidates.map((candidate) => candidate.text) ?? [];

  beforeAll(async () => {
    demo = await startBridgedDemo();
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('loads the whole Rime lexicon on first use and answers the fixture entries', async () => {
    // The first request builds the lexicon (seconds of CPU); one that waits too long is told so.
    let first = await pinyin('zhangwei');
    for (let attempt = 0; !first.ok && first.error?.code === 'ime-loading' && attempt < 10; attempt++) {
      expect(first.error.message).toContain('请稍等');
      first = await pinyin('zhangwei');
    }
    expect(first.ok).toBe(true);
    expect(first.value?.syllables).toBe("zhang'wei");
    expect(first.value?.candidates[0]).toEqual({ text: '张伟', consumed: 8 });
    expect((await texts('xian'))[0]).toBe('先');
    expect((await texts("xi'an"))[0]).toBe('西安');
    expect(await texts('nvren')).toContain('女人');
    expect((await texts('yinhang'))[0]).toBe('银行');
    expect((await texts('toufa'))[0]).toBe('头发');
    expect((await texts('fangan', 10))).toEqual(expect.arrayContaining(['方案', '反感']));
  });

  it('composes names, Taian addresses and business scopes typed whole', async () => {
    expect(await texts('wangxiuying', 3)).toContain('王秀英');
    expect(await texts('liguilan', 5)).toContain('李桂兰');
    expect((await texts('taishanqudaizongdajie'))[0]).toBe('泰山区岱宗大街');
    expect((await texts('daiyuequzhoudianjiedao'))[0]).toBe('岱岳区粥店街道');
    expect((await texts('shipinxiaoshou'))[0]).toBe('食品销售');
    expect((await texts('riyongbaihuolingshou'))[0]).toBe('日用百货零售');
  });

  it("offers the catalog's own phrases (service names from the catalog snapshot)", async () => {
    expect(await texts('xinshengerchushengyijianshi', 5)).toContain('新生儿出生一件事');
  });

  it('refuses malformed input at the boundary with a plain-Chinese bad-request, and the host answers on', async () => {
    for (const request of [{ input: 'Zhang' }, { input: '张' }, { input: 'a'.repeat(65) }, { input: 'zhang', limit: 500 }]) {
      const answer = (await demo.bridge.call('ime:pinyin-candidates', request)) as Answer;
      expect(answer.ok).toBe(false);
      expect(answer.error?.code).toBe('bad-request');
    }
    const outside = (await demo.bridge.call('ime:recognise-handwriting', { strokes: [[[600, 10]]], width: 480, height: 480 })) as Answer;
    expect(outside.error?.code).toBe('bad-request');
    expect((await pinyin('zhang')).ok).toBe(true);
  });

  it('recognises characters drawn from real stroke data through the bridge', async () => {
    // 出, 好 and 道: the Simplified Chinese model alone has none of them in its top 5 (below); the kiosk's
    // fusion with the Japanese model finds them.
    for (const character of ['泰', '李', '的', '中', '出', '好', '道']) {
      const strokes = (hanziMedians(character) ?? []).map((stroke) => stroke.map(([x, y]) => [Math.max(0, Math.min(1024, x)), Math.max(0, Math.min(1024, y))]));
      const answer = (await demo.bridge.call('ime:recognise-handwriting', { strokes, width: 1024, height: 1024, limit: 10 })) as { ok: boolean; value?: { candidates: string[] } };
      expect(answer.ok).toBe(true);
      expect(answer.value?.candidates.slice(0, 5)).toContain(character);
    }
  });
});

describe('ZinniaRecognizer', () => {
  it('opens the Debian model through koffi and ranks 泰 first for its own strokes', () => {
    const recognizer = ZinniaRecognizer.open(ZINNIA);
    try {
      const answers = recognizer.classify(hanziMedians('泰') ?? [], 1024, 1024, 5);
      expect(answers[0]?.text).toBe('泰');
      expect(answers.map((answer) => answer.score)).toEqual([...answers.map((answer) => answer.score)].sort((a, b) => b - a));
    } finally {
      recognizer.close();
    }
  });

  it('opens a second recogniser in the same process (regression: koffi refused to declare its types twice)', () => {
    ZinniaRecognizer.open(ZINNIA).close();
    ZinniaRecognizer.open(ZINNIA).close();
  });

  it('throws a ZinniaError naming the model when the model file is missing', () => {
    expect(() => ZinniaRecognizer.open({ ...ZINNIA, model: '/nonexistent/handwriting.model' })).toThrow(/cannot open model \/nonexistent/);
  });
});

describe('HandwritingService with both Debian models', () => {
  const MODELS = '/usr/share/tegaki/models/zinnia';
  const quiet = (events: string[] = []): Logger => ({ log: (_level, event) => events.push(event), pseudonym: (value) => value });
  const top5 = (service: HandwritingService, character: string) => {
    const answer = service.recognise(hanziMedians(character) ?? [], 1024, 1024, 5);
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value.candidates;
  };

  it('finds characters the Simplified Chinese model alone misses, keeping its first answers', () => {
    const alone = new HandwritingService({ library: ZINNIA.library, model: ZINNIA.model, log: quiet() });
    const fused = new HandwritingService({ ...ZINNIA, extraModels: [{ path: `${MODELS}/handwriting-ja.model`, script: 'ja' }], rimeDataDir: '/usr/share/rime-data', log: quiet() });
    try {
      for (const character of ['出', '好', '道']) {
        expect(top5(alone, character)).not.toContain(character);
        expect(top5(fused, character)).toContain(character);
      }
      for (const character of ['泰', '李', '的', '中']) expect(top5(fused, character)[0]).toBe(top5(alone, character)[0]);
      expect(top5(fused, '泰').every((text) => /^\p{Script=Han}$/u.test(text))).toBe(true);
    } finally {
      alone.close();
      fused.close();
    }
  });

  it('orders the first candidates the same whether the panel asks for 5 or for its three pages of 18', () => {
    const fused = new HandwritingService({ ...ZINNIA, extraModels: [{ path: `${MODELS}/handwriting-ja.model`, script: 'ja' }], rimeDataDir: '/usr/share/rime-data', log: quiet() });
    try {
      for (const character of [...'王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗出好道泰']) {
        const strokes = hanziMedians(character) ?? [];
        const few = fused.recognise(strokes, 1024, 1024, 5);
        const many = fused.recognise(strokes, 1024, 1024, 18);
        if (!few.ok || !many.ok) throw new Error('handwriting unavailable');
        expect(many.value.candidates.slice(0, 5), character).toEqual(few.value.candidates);
        expect(many.value.candidates.length, character).toBeGreaterThan(5);
      }
    } finally {
      fused.close();
    }
  });

  it('answers with the primary model alone when a further model or the essay is missing, warning once each', () => {
    const events: string[] = [];
    const service = new HandwritingService({ ...ZINNIA, extraModels: [{ path: '/nonexistent/handwriting-ja.model', script: 'ja' }], rimeDataDir: '/nonexistent', log: quiet(events) });
    try {
      expect(top5(service, '泰')[0]).toBe('泰');
      expect(top5(service, '李')).toContain('李');
      expect(events).toEqual(['ime.handwriting-model-missing', 'ime.handwriting-prior-unavailable']);
    } finally {
      service.close();
    }
  });
});
