import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../../print-templates/certificate.js';
import { temporaryDirectories } from '../../support/central-fixture.js';
import { deckNames, idNumbersIn, scanTree } from '../../support/personal-data-scan.js';
import { sampleCertificate } from '../print/sample-data.js';

/** The leftover check of the e2e and chaos tiers must see personal data wherever a run could leave it. */
const directories = temporaryDirectories();
afterEach(() => directories.cleanup());

describe('personal-data scan', () => {
  it('finds a demo name inside a PDF, whose text is compressed (read back with poppler, not our code)', async () => {
    const dir = directories.make();
    const name = deckNames()[0] ?? '';
    writeFileSync(join(dir, 'certificate.pdf'), await renderCertificatePdf({ ...sampleCertificate, holderName: name }));
    expect(scanTree(dir).map((finding) => finding.what)).toEqual(['1 demo name(s)']);
  });

  it('finds ID numbers in UTF-16LE and names in UTF-8, and an outbox key by its name', () => {
    const dir = directories.make();
    writeFileSync(join(dir, 'block.bin'), Buffer.from('370902196803151236 ', 'utf16le'));
    writeFileSync(join(dir, 'notes.txt'), `申请人 ${deckNames()[1] ?? ''}`);
    writeFileSync(join(dir, 'outbox.key'), 'not really a key');
    expect(scanTree(dir).map((finding) => finding.what).sort()).toEqual(['1 ID number(s)', '1 demo name(s)', 'outbox key (opens the sealed applications)']);
  });

  it('ignores digit runs that are not valid ID numbers (wrong check character, impossible date)', () => {
    expect(idNumbersIn('370902196803151230 370902196813151236 1764300000000123456')).toEqual([]);
    expect(idNumbersIn('x370902196803151236x')).toEqual(['370902196803151236']);
  });
});
