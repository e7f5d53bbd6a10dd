import * as fontkit from 'fontkit';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse as parseSfc } from 'vue/compiler-sfc';
import { describe, expect, it } from 'vitest';

/**
 * Issue 9 item 10: the 🪪 icon was an empty box on the kiosk because no font on it had the glyph. The
 * renderer bundles Noto Sans SC (renderer/src/styles.css) and uses it first; this test reads the bundled
 * faces' character maps with fontkit and checks every character the UI can put on screen:
 * - .vue templates: static text, attribute values, and string literals inside bindings and interpolations;
 * - string literals of the renderer's scripts, and of contract/, host/, drivers/ and central/ (messages
 *   that reach the screen: errors, labels, card-reader problems, approval reasons);
 * - every string of the catalog (service names, guides, questions, options, materials) and its taxonomy.
 * Comments are not text (the TypeScript and Vue parsers skip them). Regular expressions are not text.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const requireHere = createRequire(import.meta.url);
const FACES = ['@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf', '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'];

/** Where each character was found (the first place), for a readable failure. */
type Found = Map<string, string>;

function add(found: Found, text: string, where: string): void {
  for (const character of text) {
    if (/\s/u.test(character) || character.codePointAt(0)! < 0x20) continue;
    if (!found.has(character)) found.set(character, where);
  }
}

function files(directory: string, extension: RegExp): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? files(path, extension) : extension.test(name) ? [path] : [];
  });
}

/** String literals and template-literal parts of TypeScript/JavaScript source. */
function scriptStrings(source: string, fileName: string, found: Found, where: string): void {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      add(found, node.text, where);
    }
    node.forEachChild(visit);
  };
  visit(file);
}

/** Vue compiler node types (@vue/compiler-core NodeTypes): the ones that carry text. */
const ELEMENT = 1;
const TEXT = 2;
const INTERPOLATION = 5;
const ATTRIBUTE = 6;
const DIRECTIVE = 7;

interface TemplateNode {
  type: number;
  content?: string | { content?: string };
  children?: TemplateNode[];
  props?: Array<{ type: number; value?: { content: string }; exp?: { content?: string } }>;
}

function templateStrings(node: TemplateNode, found: Found, where: string): void {
  if (node.type === TEXT && typeof node.content === 'string') add(found, node.content, where);
  if (node.type === INTERPOLATION && typeof node.content === 'object' && node.content.content) scriptStrings(`(${node.content.content})`, 'expression.ts', found, where);
  if (node.type === ELEMENT) {
    for (const prop of node.props ?? []) {
      if (prop.type === ATTRIBUTE && prop.value) add(found, prop.value.content, where);
      if (prop.type === DIRECTIVE && prop.exp?.content) scriptStrings(`(${prop.exp.content})`, 'expression.ts', found, where);
    }
  }
  for (const child of node.children ?? []) templateStrings(child, found, where);
}

function collect(): Found {
  const found: Found = new Map();
  for (const path of files(join(ROOT, 'renderer/src'), /\.vue$/)) {
    const { descriptor } = parseSfc(readFileSync(path, 'utf8'), { filename: path });
    const where = relative(ROOT, path);
    if (descriptor.template?.ast) templateStrings(descriptor.template.ast as unknown as TemplateNode, found, where);
    for (const block of [descriptor.script, descriptor.scriptSetup]) if (block) scriptStrings(block.content, `${path}.ts`, found, where);
  }
  for (const directory of ['renderer/src', 'contract', 'host', 'drivers', 'central', 'catalog']) {
    for (const path of files(join(ROOT, directory), /\.ts$/)) scriptStrings(readFileSync(path, 'utf8'), path, found, relative(ROOT, path));
  }
  const strings = (value: unknown, where: string): void => {
    if (typeof value === 'string') add(found, value, where);
    else if (Array.isArray(value)) for (const item of value) strings(item, where);
    else if (value && typeof value === 'object') for (const item of Object.values(value)) strings(item, where);
  };
  for (const path of files(join(ROOT, 'catalog'), /\.json$/)) strings(JSON.parse(readFileSync(path, 'utf8')), relative(ROOT, path));
  return found;
}

describe('bundled font coverage', () => {
  const found = collect();

  it('collects the UI\'s text from templates, scripts, messages and the catalog', () => {
    // Spot checks that each source was read: a template, a host message, a catalog text, a card-reader message.
    for (const character of ['核', '暂', '殡', '港', '请', '？', '（', '）', '·', '…']) expect(found.has(character), character).toBe(true);
    expect(found.size).toBeGreaterThan(1000);
  });

  for (const face of FACES) {
    it(`has every character the UI can render in ${face.split('/').at(-1)}`, () => {
      const font = fontkit.create(readFileSync(requireHere.resolve(face))) as fontkit.Font;
      const missing = [...found].filter(([character]) => !font.hasGlyphForCodePoint(character.codePointAt(0)!)).map(([character, where]) => `${character} (U+${character.codePointAt(0)!.toString(16).toUpperCase()}) in ${where}`);
      expect(missing).toEqual([]);
    });
  }

  it('would catch the 🪪 that showed as an empty box', () => {
    const font = fontkit.create(readFileSync(requireHere.resolve(FACES[0]!))) as fontkit.Font;
    expect(font.hasGlyphForCodePoint('🪪'.codePointAt(0)!)).toBe(false);
    expect(found.has('🪪')).toBe(false);
  });
});
