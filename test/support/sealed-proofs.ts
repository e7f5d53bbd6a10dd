import { randomInt } from 'node:crypto';
import smCrypto from 'sm-crypto';
import {
  PROOF_PATHS,
  PROOF_WATERMARK,
  proofContentDigest,
  sealKeyId,
  sealPublicKeyOf,
  signDigest,
  verificationCodeFrom,
  type IssuedProof,
  type ProofDocument,
  type ProofIssueResponse,
  type ProofListResponse,
} from '../../contract/proofs.js';

/**
 * Proofs sealed the way central seals them (contract/proofs.ts signDigest over the SM3 of the canonical
 * content), with a key made for the test, and a `fetch` that answers the kiosk's proof calls as central
 * does: for the host's ProofService tests without a central process.
 */
export function testSealKey(): { privateKey: string; publicKey: string; keyId: string } {
  const { privateKey } = smCrypto.sm2.generateKeyPairHex();
  const publicKey = sealPublicKeyOf(privateKey);
  return { privateKey, publicKey, keyId: sealKeyId(publicKey) };
}

/** A 社会保险缴费证明 for 张三, as central's demo data would fill it. */
export function socialInsuranceDocument(idNumber: string): ProofDocument {
  return {
    kind: 'social-insurance-payment',
    title: '社会保险缴费证明',
    issuer: '泰安市社会保险事业中心',
    fields: { name: '张三', idNumber, employer: '泰安市泰山区某某科技有限公司', totalMonths: '68' },
    rows: [
      { insurance: '企业职工基本养老保险', from: '2019-07', to: '2025-02', months: '68' },
      { insurance: '失业保险', from: '2019-07', to: '2025-02', months: '68' },
    ],
    verificationCode: verificationCodeFrom(Array.from({ length: 15 }, () => randomInt(36))),
    issuedAt: '2026-12-01T09:31:05+08:00',
    validUntil: '2027-03-01',
    watermark: PROOF_WATERMARK,
  };
}

/** Seals a document with `key`: digest, SM2 signature, seal name and key id. */
export function seal(document: ProofDocument, key: { privateKey: string; publicKey: string; keyId: string }): IssuedProof {
  const digest = proofContentDigest(document);
  return { document, digest, seal: { algorithm: 'sm2-sm3', sealName: document.issuer, keyId: key.keyId, signature: signDigest(digest, key.privateKey, undefined, key.publicKey) }, copies: 1 };
}

/** A `fetch` answering `available` and `issue` with what `answer` returns (JSON, 200/201). */
export function proofCentralFetch(answer: { list?: () => ProofListResponse; issue: (body: { proofId: string; idNumber: string; creditCode?: string }) => ProofIssueResponse }): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    calls.push(url.pathname);
    const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { proofId: string; idNumber: string; creditCode?: string };
    const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', date: new Date().toUTCString() } });
    if (url.pathname === PROOF_PATHS.available) return json(200, answer.list?.() ?? { proofs: [], enterprises: [] });
    if (url.pathname === PROOF_PATHS.issue) {
      const issued = answer.issue(body);
      return json(issued.outcome === 'issued' ? 201 : 200, issued);
    }
    return json(404, { error: { code: 'not-found', message: 'no such route' } });
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}
