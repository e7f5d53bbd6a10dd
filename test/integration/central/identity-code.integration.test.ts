import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { CENTRAL_PATHS, IdentityCodeAnswer, IdentityCodeIssued } from '../../../contract/central/api.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';
import { CentralClient } from '../../../host/services/central-client.js';

/** 电子身份码 at the reference central (issue 14): issued and verified over real signed HTTP (expiry: test/unit/central/identity-code.test.ts). */
const SEAL = '1'.repeat(64);

describe('central POST /v1/identity/code', () => {
  let directory: string;
  let central: CentralServer;
  let client: CentralClient;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'central-identity-code-'));
    const secret = 'b'.repeat(32);
    central = await startCentralServer({ dbFile: join(directory, 'central.sqlite'), catalog: loadCatalog(), terminals: [{ id: 'TA-TEST-0001', secret }], seal: { privateKey: SEAL } });
    client = new CentralClient({ baseUrl: central.url, key: { keyId: 'TA-TEST-0001', secret, algorithm: 'hmac-sha256' }, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await central?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const issue = async () => {
    const issued = await client.call('POST', CENTRAL_PATHS.identityCodeIssue, IdentityCodeIssued, { person: 0 });
    if (issued.kind !== 'ok') throw new Error(`issue failed: ${JSON.stringify(issued)}`);
    return issued.value.code;
  };
  const verify = (code: string) => client.call('POST', CENTRAL_PATHS.identityCode, IdentityCodeAnswer, { code });

  it('verifies a fresh code to its holder, as the card would give it', async () => {
    const answer = await verify(await issue());
    expect(answer).toMatchObject({ kind: 'ok', value: { verified: true, identity: { name: '赵春华', idNumber: '370902198804120027', cardType: 'resident', expired: false } } });
  });

  it('says invalid for a forged code and for a code of another central', async () => {
    const code = await issue();
    const forged = code.slice(0, 20) + (code[20] === 'A' ? 'B' : 'A') + code.slice(21);
    expect(await verify(forged)).toMatchObject({ kind: 'ok', value: { verified: false, reason: 'invalid' } });
    expect(await verify(`EID1.${'A'.repeat(64)}`)).toMatchObject({ kind: 'ok', value: { verified: false, reason: 'invalid' } });
  });

  it('refuses an unsigned request and a body that is not a code', async () => {
    const unsigned = await fetch(`${central.url}${CENTRAL_PATHS.identityCode}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `EID1.${'A'.repeat(64)}` }) });
    expect(unsigned.status).toBe(401);
    const malformed = await client.call('POST', CENTRAL_PATHS.identityCode, IdentityCodeAnswer, { code: 'short' });
    expect(malformed.kind).toBe('permanent');
    const unknownPerson = await client.call('POST', CENTRAL_PATHS.identityCodeIssue, IdentityCodeIssued, { person: 99 });
    expect(unknownPerson).toMatchObject({ kind: 'permanent', status: 404 });
  });

  it('opens a code another process of the same deployment issued (same seal key), and not one of another deployment', async () => {
    const secret = 'b'.repeat(32);
    const start = (name: string, privateKey: string) =>
      startCentralServer({ dbFile: join(directory, `${name}.sqlite`), catalog: loadCatalog(), terminals: [{ id: 'TA-TEST-0001', secret }], seal: { privateKey } });
    const sibling = await start('sibling', SEAL);
    const stranger = await start('stranger', '2'.repeat(64));
    try {
      const at = (server: CentralServer) => new CentralClient({ baseUrl: server.url, key: { keyId: 'TA-TEST-0001', secret, algorithm: 'hmac-sha256' }, timeoutMs: 5_000 });
      const code = await issue();
      expect(await at(sibling).call('POST', CENTRAL_PATHS.identityCode, IdentityCodeAnswer, { code })).toMatchObject({ kind: 'ok', value: { verified: true, identity: { idNumber: '370902198804120027' } } });
      expect(await at(stranger).call('POST', CENTRAL_PATHS.identityCode, IdentityCodeAnswer, { code })).toMatchObject({ kind: 'ok', value: { verified: false, reason: 'invalid' } });
    } finally {
      await sibling.close();
      await stranger.close();
    }
  });
});
