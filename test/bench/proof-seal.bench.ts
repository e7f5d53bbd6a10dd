import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCatalog } from '../../catalog/load.js';
import { PROOF_PATHS, ProofIssueResponse, verifySeal, type IssuedProof } from '../../contract/proofs.js';
import { gb11643CheckChar } from '../../contract/validators/gb11643.js';
import { randomScalarHex, sealDocument, sealKeyFrom } from '../../central/proofs/seal.js';
import { startCentralServer } from '../../central/server.js';
import { CentralClient } from '../../host/services/central-client.js';
import { median, round, type Bench } from './figures.js';

/**
 * Central's electronic seal (issue 15). `proof.seal_sign_ms`: SM3 digest of the canonical content plus the SM2
 * signature (pure JS, sm-crypto), median of 30. `proof.seal_verify_ms`: what the kiosk spends checking a seal
 * before printing, median of 30. `proof.issue_ms`: POST /v1/proofs/issue over signed HTTP to central on SQLite
 * (look-up, seal, record), median of 20 after 3 warm-ups. No goal is set for these; the issue's print goal
 * (tap to paper < 1,500 ms) includes the issue call.
 */
const ZHANG = `37090219680315123${gb11643CheckChar('37090219680315123')}`;

export default (async () => {
  const directory = mkdtempSync(join(tmpdir(), 'bench-proofs-'));
  const secret = randomBytes(32).toString('hex');
  const central = await startCentralServer({
    dbFile: join(directory, 'central.sqlite'),
    catalog: loadCatalog(),
    terminals: [{ id: 'TA-BENCH-0001', secret }],
    proofPopulation: [{ idNumber: ZHANG, name: '张建华', sex: 'male', birthDate: '1968-03-15', ethnicity: '汉族', address: '山东省泰安市泰山区东岳大街128号' }],
    silentSweepMs: 0,
  });
  try {
    const client = new CentralClient({ baseUrl: central.url, key: { keyId: 'TA-BENCH-0001', secret, algorithm: 'hmac-sha256' }, timeoutMs: 10_000 });
    const issue = async (): Promise<IssuedProof> => {
      const answer = await client.call('POST', PROOF_PATHS.issue, ProofIssueResponse, { proofId: 'social-insurance-payment', idNumber: ZHANG, copies: 1 }, { idempotencyKey: randomUUID() });
      if (answer.kind !== 'ok' || answer.value.outcome !== 'issued') throw new Error(`proof bench: issue failed (${answer.kind})`);
      return answer.value.proof;
    };
    for (let index = 0; index < 3; index++) await issue();
    const issueMs: number[] = [];
    let proof: IssuedProof | null = null;
    for (let index = 0; index < 20; index++) {
      const start = performance.now();
      proof = await issue();
      issueMs.push(performance.now() - start);
    }
    if (!proof) throw new Error('proof bench: nothing issued');
    const key = sealKeyFrom(randomScalarHex());
    const signMs: number[] = [];
    const verifyMs: number[] = [];
    let sealed = sealDocument(proof.document, key, 1);
    for (let index = 0; index < 30; index++) {
      const start = performance.now();
      sealed = sealDocument(proof.document, key, 1);
      signMs.push(performance.now() - start);
      const verifyStart = performance.now();
      if (!verifySeal(sealed, key.publicKey)) throw new Error('proof bench: seal does not verify');
      verifyMs.push(performance.now() - verifyStart);
    }
    return {
      'proof.seal_sign_ms': { value: round(median(signMs)), unit: 'ms' },
      'proof.seal_verify_ms': { value: round(median(verifyMs)), unit: 'ms' },
      'proof.issue_ms': { value: round(median(issueMs)), unit: 'ms' },
    };
  } finally {
    await central.close();
    rmSync(directory, { recursive: true, force: true });
  }
}) satisfies Bench;
