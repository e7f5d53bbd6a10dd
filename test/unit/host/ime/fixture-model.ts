import { readFileSync } from 'node:fs';
import { buildLexicon, type Lexicon } from '../../../../host/services/ime/lexicon.js';
import { compileIndex, syllableTable } from '../../../../host/services/ime/pinyin-index.js';
import type { PinyinModel } from '../../../../host/services/ime/pinyin-engine.js';

/** The lexicon and model made from the Rime excerpts in test/fixtures/ime (plus the real supplements). */
export const fixtureText = (name: string) => readFileSync(new URL(`../../../fixtures/ime/${name}`, import.meta.url), 'utf8');

export function fixtureLexicon(overrides: { essay?: string; lunaDict?: string } = {}): Promise<Lexicon> {
  return buildLexicon({ essay: overrides.essay ?? fixtureText('essay.txt'), lunaDict: overrides.lunaDict ?? fixtureText('luna_pinyin.dict.yaml') });
}

export function modelOf(lexicon: Lexicon): PinyinModel {
  const syllables = syllableTable(lexicon.words, lexicon.surnames, lexicon.givenNames);
  return { words: compileIndex(lexicon.words, syllables), surnames: compileIndex(lexicon.surnames, syllables), givenNames: compileIndex(lexicon.givenNames, syllables) };
}
