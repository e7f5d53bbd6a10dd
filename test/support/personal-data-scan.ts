import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseIdNumber } from '../../contract/validators/gb11643.js';
import { ID_CARD_DECK } from '../../drivers/simulators/id-card-deck.js';

/**
 * Finds personal data in files a test run left behind (issue 10, kind 10): valid GB 11643 ID numbers and
 * the demo citizens' names, in UTF-8 and in UTF-16LE (how a card's text block and Windows tools store
 * them); text inside PDFs through poppler's pdftotext (their text is compressed and CID-encoded, so a
 * byte search would miss it); and an outbox key file, which opens the sealed payloads beside it.
 */
export interface PersonalDataFinding {
  file: string;
  what: string;
}

/** The names on the demo deck (Chinese and English), the ones every demo and e2e run handles. */
export function deckNames(): string[] {
  const names = new Set<string>();
  for (const card of ID_CARD_DECK) {
    const fields = card.fields as unknown as Record<string, unknown>;
    for (const key of ['name', 'chineseName', 'englishName']) {
      const value = fields[key];
      if (typeof value === 'string' && value.length >= 2) names.add(value);
    }
  }
  return [...names];
}

const ID_NUMBER_SHAPE = /(?<![0-9])\d{17}[\dXx](?![0-9])/g;

/** Valid ID numbers in `text`: right shape, a real birth date and the right check character. */
export function idNumbersIn(text: string): string[] {
  return [...text.matchAll(ID_NUMBER_SHAPE)].map((match) => match[0]).filter((candidate) => parseIdNumber(candidate).ok);
}

function textsOf(file: string, bytes: Buffer): string[] {
  const texts = [bytes.toString('latin1'), bytes.toString('utf8'), bytes.toString('utf16le'), bytes.subarray(1).toString('utf16le')];
  if (file.toLowerCase().endsWith('.pdf')) {
    try {
      texts.push(execFileSync('pdftotext', ['-q', file, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      texts.push('');
    }
  }
  return texts;
}

/** Every finding in one file. */
export function scanFile(file: string, names = deckNames()): PersonalDataFinding[] {
  if (basename(file) === 'outbox.key') return [{ file, what: 'outbox key (opens the sealed applications)' }];
  const texts = textsOf(file, readFileSync(file));
  const findings: PersonalDataFinding[] = [];
  const numbers = new Set(texts.flatMap(idNumbersIn));
  if (numbers.size > 0) findings.push({ file, what: `${numbers.size} ID number(s)` });
  const named = names.filter((name) => texts.some((text) => text.includes(name)));
  if (named.length > 0) findings.push({ file, what: `${named.length} demo name(s)` });
  return findings;
}

/** Regular files under `dir`, symbolic links not followed. */
export function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    if (stat.isDirectory()) return filesUnder(path);
    return stat.isFile() ? [path] : [];
  });
}

/** Every finding under `path` (a directory, or a single file). */
export function scanTree(path: string): PersonalDataFinding[] {
  const names = deckNames();
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat?.isFile()) return scanFile(path, names);
  return filesUnder(path).flatMap((file) => scanFile(file, names));
}
