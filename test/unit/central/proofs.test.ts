import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS, PROOF_WATERMARK, ProofDocument, isValidVerificationCode, verifySeal, type DocumentKindId } from '../../../contract/proofs.js';
import { isValidCreditCode } from '../../../contract/validators/gb32100.js';
import { demoProofData, type DemoPerson } from '../../../central/proofs/demo.js';
import { chinaTimestamp } from '../../../central/proofs/issuer.js';
import { individualBusinessCreditCode } from '../../../central/proofs/results.js';
import { SM2_ORDER_HEX } from '../../../contract/proofs.js';
import { loadOrCreateSealKey, newVerificationCode, randomScalarHex, sealDocument, sealKeyFrom } from '../../../central/proofs/seal.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const PEOPLE: DemoPerson[] = [
  { idNumber: '370902196803151237', name: '张建华', sex: 'male', birthDate: '1968-03-15', ethnicity: '汉族', address: '山东省泰安市泰山区东岳大街128号', enterprise: { name: '甲公司', address: '泰山区' } },
  { idNumber: '370921194406102625', name: '孙桂兰', sex: 'female', birthDate: '1944-06-10', ethnicity: '汉族', address: '山东省泰安市宁阳县文庙街道八仙桥路21号' },
  { idNumber: '370902201501010012', name: '张小明', sex: 'male', birthDate: '2015-01-01', ethnicity: '汉族', address: '山东省泰安市泰山区东岳大街128号' },
];

describe('central seal key', () => {
  it('generates a key file of mode 0600 when absent, and reads the same key afterwards', () => {
    const directory = mkdtempSync(join(tmpdir(), 'seal-key-'));
    directories.push(directory);
    const file = join(directory, 'keys', 'seal-private-key');
    const made = loadOrCreateSealKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(made.privateKey);
    expect(loadOrCreateSealKey(file)).toEqual(made);
    expect(made.publicKey).toMatch(/^04[0-9a-f]{128}$/);
  });

  it('refuses a malformed key or one outside the curve order', () => {
    expect(() => sealKeyFrom('xyz')).toThrow(/64 hexadecimal/);
    expect(() => sealKeyFrom('0'.repeat(64))).toThrow(/range/);
    expect(() => sealKeyFrom(SM2_ORDER_HEX)).toThrow(/range/);
  });

  it('draws scalars within [1, n − 1] and codes that pass their check', () => {
    const order = BigInt(`0x${SM2_ORDER_HEX}`);
    for (let index = 0; index < 50; index++) {
      const scalar = BigInt(`0x${randomScalarHex()}`);
      expect(scalar >= 1n && scalar < order).toBe(true);
      expect(isValidVerificationCode(newVerificationCode())).toBe(true);
    }
  });

  it('seals with a fresh k each time: two seals of one document differ, both verify', () => {
    const key = sealKeyFrom(randomScalarHex());
    const data = demoProofData(PEOPLE, '2026-12-01');
    const source = data.sources.find((entry) => entry.kind === 'household-registration');
    const document = ProofDocument.parse({
      kind: 'household-registration',
      title: DOCUMENT_KINDS['household-registration'].title,
      issuer: DOCUMENT_KINDS['household-registration'].issuer,
      fields: source?.content.fields,
      verificationCode: newVerificationCode(),
      issuedAt: chinaTimestamp(new Date('2026-12-01T01:00:00Z')),
      validUntil: '2027-03-01',
      watermark: PROOF_WATERMARK,
    });
    const one = sealDocument(document, key, 1);
    const two = sealDocument(document, key, 1);
    expect(one.seal.signature).not.toBe(two.seal.signature);
    expect(verifySeal(one, key.publicKey)).toBe(true);
    expect(verifySeal(two, key.publicKey)).toBe(true);
  });
});

describe('demo proof data', () => {
  it('fills every proof with exactly the fields its kind prints', () => {
    const data = demoProofData(PEOPLE, '2026-12-01');
    const check = (kind: DocumentKindId, content: { fields: Record<string, string>; rows?: Array<Record<string, string>> }) =>
      ProofDocument.parse({
        kind,
        title: DOCUMENT_KINDS[kind].title,
        issuer: DOCUMENT_KINDS[kind].issuer,
        ...content,
        verificationCode: newVerificationCode(),
        issuedAt: '2026-12-01T09:00:00+08:00',
        validUntil: '2027-01-01',
        watermark: PROOF_WATERMARK,
      });
    for (const source of data.sources) expect(() => check(source.kind, source.content)).not.toThrow();
    for (const enterprise of data.enterprises) {
      const byKind = JSON.parse(enterprise.content) as Record<string, { fields: Record<string, string>; rows?: Array<Record<string, string>> }>;
      for (const [kind, content] of Object.entries(byKind)) expect(() => check(kind as DocumentKindId, content)).not.toThrow();
      expect(isValidCreditCode(enterprise.creditCode)).toBe(true);
    }
  });

  it('gives working-age people their 社保 and 公积金, the retired and children not, and an enterprise only to its representative', () => {
    const data = demoProofData(PEOPLE, '2026-12-01');
    const kindsOf = (idNumber: string) => data.sources.filter((source) => source.idNumber === idNumber).map((source) => source.kind);
    expect(kindsOf('370902196803151237')).toEqual(expect.arrayContaining(['social-insurance-payment', 'housing-fund-deposit', 'tax-payment', 'household-registration']));
    expect(kindsOf('370921194406102625')).not.toContain('social-insurance-payment');
    expect(kindsOf('370902201501010012')).toEqual(['household-registration']);
    expect(data.enterprises.map((enterprise) => enterprise.legalRepresentativeId)).toEqual(['370902196803151237']);
  });

  it('is the same on every start', () => {
    expect(demoProofData(PEOPLE, '2026-12-01')).toEqual(demoProofData(PEOPLE, '2026-12-01'));
  });
});

describe('秒批 result fields', () => {
  it('numbers a 个体工商户 with a GB 32100 code of type 92 in its division, stable per case', () => {
    const code = individualBusinessCreditCode('370983', 'TA20261201000001');
    expect(code).toMatch(/^92370983[0-9A-HJ-NPQRTUWXY]{10}$/);
    expect(isValidCreditCode(code)).toBe(true);
    expect(individualBusinessCreditCode('370983', 'TA20261201000001')).toBe(code);
    expect(individualBusinessCreditCode('370983', 'TA20261201000002')).not.toBe(code);
  });

  it('prints Beijing time with its offset', () => {
    expect(chinaTimestamp(new Date('2026-12-01T17:30:00Z'))).toBe('2026-12-02T01:30:00+08:00');
  });
});
