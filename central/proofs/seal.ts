import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  SM2_ORDER_HEX,
  VERIFICATION_CODE_LENGTH,
  proofContentDigest,
  sealKeyId,
  sealPublicKeyOf,
  signDigest,
  verificationCodeFrom,
  type IssuedProof,
  type ProofDocument,
} from '../../contract/proofs.js';

/**
 * Central's electronic seal (电子印章): one SM2 key pair whose public half every kiosk and the public
 * verification page check documents against (contract/proofs.ts verifySeal). The private key is 64 hex
 * characters in a file (central config `seal.privateKeyFile`, mode 0600); demo and tests generate one.
 */
export interface SealKey {
  /** 64 lowercase hex. Never logged, never sent. */
  privateKey: string;
  /** `04` ‖ x ‖ y, 130 lowercase hex: what `GET /v1/seal/public-key` serves and kiosks are configured with. */
  publicKey: string;
  /** contract/proofs.ts sealKeyId of the public key. */
  keyId: string;
  /** The name in the seal image and in `ProofSeal.sealName`. */
  sealName: string;
}

/** The seal name of the reference service (a hall sets its own in the configuration). */
export const DEFAULT_SEAL_NAME = '泰安市政务服务中心电子印章';

const ORDER = BigInt(`0x${SM2_ORDER_HEX}`);

/** A uniformly random scalar in [1, n − 1] from node's CSPRNG (rejection sampling, no modulo bias), 64 hex. */
export function randomScalarHex(): string {
  for (;;) {
    const value = BigInt(`0x${randomBytes(32).toString('hex')}`);
    if (value >= 1n && value < ORDER) return value.toString(16).padStart(64, '0');
  }
}

/** The seal key of a private key (64 hex, in [1, n − 2] as GB/T 32918.1 asks); throws on anything else. */
export function sealKeyFrom(privateKeyHex: string, sealName = DEFAULT_SEAL_NAME): SealKey {
  const privateKey = privateKeyHex.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(privateKey)) throw new Error('seal private key: expected 64 hexadecimal characters');
  const value = BigInt(`0x${privateKey}`);
  if (value < 1n || value > ORDER - 2n) throw new Error('seal private key: out of the range [1, n-2] of the SM2 curve');
  const publicKey = sealPublicKeyOf(privateKey);
  return { privateKey, publicKey, keyId: sealKeyId(publicKey), sealName };
}

/**
 * Reads the seal key from `file`, or, when the file does not exist, generates one and writes it there
 * (mode 0600, its folder made) — for demo and first start, as the kiosk's outbox key is. Throws on an
 * unreadable or malformed file: central must not seal with a key other than the one configured.
 */
export function loadOrCreateSealKey(file: string, sealName = DEFAULT_SEAL_NAME): SealKey {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    let privateKey = randomScalarHex();
    while (BigInt(`0x${privateKey}`) > ORDER - 2n) privateKey = randomScalarHex();
    try {
      writeFileSync(file, `${privateKey}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another central process made it first: that key is the one, read below.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return sealKeyFrom(readFileSync(file, 'utf8'), sealName);
}

/** A new verification code from node's CSPRNG (15 uniform characters of 0-9A-Z and the MOD 37,36 check). */
export function newVerificationCode(): string {
  return verificationCodeFrom(Array.from({ length: VERIFICATION_CODE_LENGTH - 1 }, () => randomInt(36)));
}

/** Seals a document: its SM3 content digest and the SM2 signature over it, with k from the CSPRNG. */
export function sealDocument(document: ProofDocument, key: SealKey, copies: number): IssuedProof {
  const digest = proofContentDigest(document);
  return {
    document,
    digest,
    seal: { algorithm: 'sm2-sm3', sealName: key.sealName, keyId: key.keyId, signature: signDigest(digest, key.privateKey, randomScalarHex, key.publicKey) },
    copies,
  };
}
