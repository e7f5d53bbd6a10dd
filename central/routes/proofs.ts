import { PROOF_PATHS, ProofListRequest, ProofRequest, type SealPublicKeyResponse } from '../../contract/proofs.js';
import type { CentralContext } from '../context.js';
import { HttpError, route, type Route } from '../http/routes.js';

/**
 * Proofs (证明开具, issue 15), signed as the terminal: which proofs a person can print, issue one (sealed,
 * recorded under its verification code; idempotent, so a retried request never issues twice), and the seal's
 * public key the kiosk checks every document against. The public verification (`/verify/<code>`,
 * `/v1/verify/<code>`) is answered in http/verify.ts, before any signature check.
 */
export function proofRoutes({ store, proofs }: CentralContext): Route[] {
  const issuer = () => {
    if (!proofs) throw new HttpError(503, { code: 'proofs-unavailable', message: '证明开具服务暂不可用，请到窗口办理' });
    return proofs;
  };
  return [
    route({
      method: 'POST',
      // The ID number travels in the signed body, never in a URL that proxies and access logs keep.
      path: PROOF_PATHS.available,
      body: ProofListRequest,
      handle: async ({ body }) => ({ status: 200, body: await issuer().available(store, body.idNumber) }),
    }),
    route({
      method: 'POST',
      path: PROOF_PATHS.issue,
      body: ProofRequest,
      idempotent: true,
      async handle({ terminalId, body, idempotencyKey }) {
        const proofIssuer = issuer();
        // The document, its record and the key's stored answer commit together.
        const outcome = await store.transaction(async (tx) => {
          const answer = await proofIssuer.issue(tx, body, terminalId);
          const status = answer.outcome === 'issued' ? 201 : 200;
          if (idempotencyKey) await tx.idempotency.complete(terminalId, idempotencyKey, { status, body: JSON.stringify(answer) });
          return { status, answer };
        });
        return { status: outcome.status, body: outcome.answer };
      },
    }),
    route({
      method: 'GET',
      path: PROOF_PATHS.sealPublicKey,
      async handle() {
        const { key } = issuer();
        const answer: SealPublicKeyResponse = { algorithm: 'sm2-sm3', keyId: key.keyId, publicKey: key.publicKey, sealName: key.sealName };
        return { status: 200, body: answer };
      },
    }),
  ];
}
