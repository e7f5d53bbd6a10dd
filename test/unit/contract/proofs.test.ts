import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_KINDS,
  DeliveryChoice,
  IssuedProof,
  PROOF_KIND_IDS,
  PROOF_WATERMARK,
  type ProofDocument,
  ProofRequest,
  canonicalProofContent,
  isValidVerificationCode,
  proofContentDigest,
  sealKeyId,
  sealPublicKeyOf,
  signDigest,
  verificationCheckChar,
  verificationCodeFrom,
  verificationKeyFields,
  verifySeal,
} from '../../../contract/proofs.js';

/**
 * GM/T 0003.5-2012 Annex A / GB/T 32918.5-2017: the SM2 digital-signature example on the recommended curve
 * (message "message digest", signer id 1234567812345678). Published key, random k, and signature (r, s).
 */
const STANDARD = {
  privateKey: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  publicKey:
    '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  k: '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};

function sampleDocument(): ProofDocument {
  return {
    kind: 'social-insurance-payment',
    title: DOCUMENT_KINDS['social-insurance-payment'].title,
    issuer: DOCUMENT_KINDS['social-insurance-payment'].issuer,
    fields: { name: '张三', idNumber: '370902199001011237', employer: '泰安市泰山区某某商贸有限公司', totalMonths: '96' },
    rows: [{ insurance: '企业职工基本养老保险', from: '2016-01', to: '2023-12', months: '96' }],
    verificationCode: verificationCodeFrom([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]),
    issuedAt: '2026-12-01T09:00:00+08:00',
    validUntil: '2027-03-01',
    watermark: PROOF_WATERMARK,
  };
}

function sealed(document: ProofDocument, privateKey = STANDARD.privateKey) {
  const digest = proofContentDigest(document);
  const publicKey = sealPublicKeyOf(privateKey);
  return IssuedProof.parse({
    document,
    digest,
    seal: { algorithm: 'sm2-sm3', sealName: '泰安市政务服务电子印章', keyId: sealKeyId(publicKey), signature: signDigest(digest, privateKey) },
    copies: 1,
  });
}

describe('SM2 signature (GB/T 32918.2, recommended curve example)', () => {
  it('derives the published public key from the published private key', () => {
    expect(sealPublicKeyOf(STANDARD.privateKey)).toBe(STANDARD.publicKey);
  });

  it('reproduces the published signature with the published k', () => {
    // sm-crypto takes a precomputed point (k, x1 of kG) from its pool: the standard's k gives the standard's (r, s).
    const sample = smCrypto.sm2.getPoint();
    const BigInteger = sample.k.constructor as new (hex: string, radix: number) => typeof sample.k;
    const kG = sealPublicKeyOf(STANDARD.k);
    const point = { ...sample, k: new BigInteger(STANDARD.k, 16), x1: new BigInteger(kG.slice(2, 66), 16) };
    const signature = smCrypto.sm2.doSignature('message digest', STANDARD.privateKey, { pointPool: [point], hash: true });
    expect(signature).toBe(STANDARD.r + STANDARD.s);
  });

  it("signs with the caller's k when given one: the same k gives the same signature, and it verifies", () => {
    const digest = proofContentDigest(sampleDocument());
    const first = signDigest(digest, STANDARD.privateKey, () => STANDARD.k);
    expect(signDigest(digest, STANDARD.privateKey, () => STANDARD.k)).toBe(first);
    expect(signDigest(digest, STANDARD.privateKey, () => '1'.repeat(64))).not.toBe(first);
    expect(smCrypto.sm2.doVerifySignature(Array.from(Buffer.from(digest, 'hex')), first, STANDARD.publicKey, { hash: true })).toBe(true);
  });

  it('verifies the published signature and refuses it over another message', () => {
    expect(smCrypto.sm2.doVerifySignature('message digest', STANDARD.r + STANDARD.s, STANDARD.publicKey, { hash: true })).toBe(true);
    expect(smCrypto.sm2.doVerifySignature('message digesT', STANDARD.r + STANDARD.s, STANDARD.publicKey, { hash: true })).toBe(false);
  });
});

describe('verifySeal', () => {
  it('accepts a document sealed with the key', () => {
    expect(verifySeal(sealed(sampleDocument()), STANDARD.publicKey)).toBe(true);
  });

  it('refuses a tampered field, a tampered row, a stretched validity and a removed watermark', () => {
    const proof = sealed(sampleDocument());
    const tamper = (change: (document: ProofDocument) => ProofDocument) => verifySeal({ ...proof, document: change(structuredClone(proof.document)) }, STANDARD.publicKey);
    expect(tamper((document) => ({ ...document, fields: { ...document.fields, totalMonths: '97' } }))).toBe(false);
    expect(tamper((document) => ({ ...document, rows: [{ ...document.rows?.[0], months: '120' }] }))).toBe(false);
    expect(tamper((document) => ({ ...document, validUntil: '2030-01-01' }))).toBe(false);
    expect(tamper((document) => ({ ...document, watermark: '' as typeof PROOF_WATERMARK }))).toBe(false);
  });

  it('refuses a document re-digested without a new signature, and one sealed by another key', () => {
    const proof = sealed(sampleDocument());
    const changed = { ...proof.document, fields: { ...proof.document.fields, name: '李四' } };
    expect(verifySeal({ ...proof, document: changed, digest: proofContentDigest(changed) }, STANDARD.publicKey)).toBe(false);
    const other = sealed(sampleDocument(), '0'.repeat(63) + '7');
    expect(verifySeal(other, STANDARD.publicKey)).toBe(false);
  });

  it('answers false for a malformed key or signature instead of throwing', () => {
    const proof = sealed(sampleDocument());
    expect(verifySeal(proof, 'not a key')).toBe(false);
    expect(verifySeal({ ...proof, seal: { ...proof.seal, signature: 'zz' } }, STANDARD.publicKey)).toBe(false);
  });
});

describe('canonical content digest', () => {
  it('is the same however the document JSON was laid out', () => {
    const document = sampleDocument();
    const { watermark, ...rest } = document;
    const reordered = JSON.parse(JSON.stringify({ watermark, ...rest, fields: { totalMonths: '96', ...document.fields } })) as ProofDocument;
    expect(Object.keys(reordered)[0]).toBe('watermark');
    expect(proofContentDigest(reordered)).toBe(proofContentDigest(document));
  });

  it('is SM3 of the RFC 8785 bytes, pinned for this document', () => {
    const text = new TextDecoder().decode(canonicalProofContent(sampleDocument()));
    expect(text.startsWith('{"fields":{"employer":')).toBe(true);
    expect(proofContentDigest(sampleDocument())).toBe(smCrypto.sm3(Array.from(new TextEncoder().encode(text))));
  });

  it('refuses a document missing a field its kind prints, or carrying one it does not', () => {
    const document = sampleDocument();
    expect(() => proofContentDigest({ ...document, fields: { ...document.fields, employer: '' } })).toThrow();
    expect(() => proofContentDigest({ ...document, fields: { ...document.fields, secret: 'x' } })).toThrow();
  });
});

describe('verification code (ISO/IEC 7064 MOD 37,36)', () => {
  it('computes the check character of the hybrid system', () => {
    // Worked by hand: P=36; "0": S=36→P=72 mod 37=35; check = (37-35) mod 36 = 2.
    expect(verificationCheckChar('0')).toBe('2');
    expect(verificationCheckChar('abc')).toBeNull();
  });

  it('accepts its own codes and catches every single-character change and adjacent swap', () => {
    const code = verificationCodeFrom([33, 1, 20, 7, 0, 35, 12, 5, 9, 18, 27, 3, 30, 14, 22]);
    expect(code).toHaveLength(16);
    expect(isValidVerificationCode(code)).toBe(true);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let index = 0; index < code.length; index++) {
      for (const char of alphabet) {
        if (char === code[index]) continue;
        expect(isValidVerificationCode(code.slice(0, index) + char + code.slice(index + 1))).toBe(false);
      }
      if (index + 1 < code.length && code[index] !== code[index + 1]) {
        expect(isValidVerificationCode(code.slice(0, index) + code[index + 1] + code[index] + code.slice(index + 2))).toBe(false);
      }
    }
  });

  it('refuses wrong lengths, lower case and values out of range', () => {
    const code = verificationCodeFrom(Array.from({ length: 15 }, (_, index) => index * 2));
    expect(isValidVerificationCode(code.slice(1))).toBe(false);
    expect(isValidVerificationCode(code.toLowerCase())).toBe(code === code.toLowerCase());
    expect(() => verificationCodeFrom([36, ...Array.from({ length: 14 }, () => 0)])).toThrow();
    expect(() => verificationCodeFrom([1, 2])).toThrow();
  });
});

describe('proof kinds and requests', () => {
  it('offers at least eight proofs across both life cycles', () => {
    expect(PROOF_KIND_IDS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(PROOF_KIND_IDS.map((id) => DOCUMENT_KINDS[id].lifeCycle))).toEqual(new Set(['personal', 'enterprise']));
    expect(PROOF_KIND_IDS).not.toContain('individual-business-licence');
  });

  it('bounds copies and asks enterprise proofs for a valid credit code', () => {
    expect(ProofRequest.safeParse({ proofId: 'tax-payment', idNumber: '370902199001011237', copies: 0 }).success).toBe(false);
    expect(ProofRequest.safeParse({ proofId: 'tax-payment', idNumber: '370902199001011237', copies: 6 }).success).toBe(false);
    expect(ProofRequest.safeParse({ proofId: 'business-licence-copy', idNumber: '370902199001011237', copies: 1 }).success).toBe(false);
    expect(ProofRequest.safeParse({ proofId: 'business-licence-copy', idNumber: '370902199001011237', creditCode: '91370900MA3C0000X1', copies: 1 }).success).toBe(false);
  });

  it('takes a postal delivery only with an address and a mobile number', () => {
    expect(DeliveryChoice.safeParse({ method: 'post', address: '泰安市泰山区东岳大街100号', phone: '13705381234' }).success).toBe(true);
    expect(DeliveryChoice.safeParse({ method: 'post', address: '泰安市泰山区东岳大街100号', phone: '12345' }).success).toBe(false);
    expect(DeliveryChoice.safeParse({ method: 'post', phone: '13705381234' }).success).toBe(false);
    expect(DeliveryChoice.safeParse({ method: 'window-pickup' }).success).toBe(true);
  });

  it('shows on the verification page only the marked fields, masked', () => {
    const fields = verificationKeyFields(sampleDocument());
    expect(fields).toEqual([
      { label: '姓名', value: '张*' },
      { label: '公民身份号码', value: '370***********1237' },
      { label: '参保单位', value: '泰安市泰山区某某商贸有限公司' },
    ]);
  });
});
