import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../../contract/central/signing.js';
import { PHOTO_MAX_BASE64, SIGNATURE_MAX_CHARS, type MaterialProvision } from '../../../contract/domain.js';
import { readCentral } from '../../e2e/support/central-db.js';
import { startTestCentral, submissionBody, temporaryDirectories, type TestCentral } from '../../support/central-fixture.js';

/**
 * Materials photographed by the document camera reach the reference central whole: the largest draft
 * the contract accepts fits its request limit, and the case keeps the photos as they were sent.
 */
const directories = temporaryDirectories();
let test: TestCentral;

beforeAll(async () => {
  test = await startTestCentral(directories.make());
});
afterAll(async () => {
  await test.central.close();
  directories.cleanup();
});

async function submit(key: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  const response = await fetch(`${test.central.url}/v1/applications`, {
    method: 'POST',
    headers: { ...signRequest(test.key, 'POST', '/v1/applications', text), 'content-type': 'application/json', 'idempotency-key': key },
    body: text,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const photo = (characters: number, fill = 'A'): MaterialProvision => ({ kind: 'photo', mimeType: 'image/jpeg', base64: `/9j/${fill.repeat(characters - 4)}` });

describe('photographed materials on the reference central', () => {
  it('accepts the largest draft the contract allows and keeps every photo as sent', async () => {
    const body = submissionBody('TA-TEST-0001-PHOTO-1');
    body.draft.materials = { first: photo(PHOTO_MAX_BASE64), second: photo(PHOTO_MAX_BASE64, 'B') };
    body.draft.signature = `data:image/png;base64,${'A'.repeat(SIGNATURE_MAX_CHARS - 22)}`;
    const answer = await submit('photo-key-0001', body);
    expect(answer.status).toBe(201);
    const [row] = readCentral<{ payload: string }>(test.dbFile, 'SELECT payload FROM cases WHERE case_number = ?', answer.json.caseNumber);
    const stored = JSON.parse(row?.payload ?? '{}') as { materials: Record<string, MaterialProvision> };
    expect(stored.materials).toEqual(body.draft.materials);
  });

  it('refuses photos beyond what one application may carry as a bad request, not as too large', async () => {
    const body = submissionBody('TA-TEST-0001-PHOTO-2');
    body.draft.materials = { first: photo(PHOTO_MAX_BASE64), second: photo(PHOTO_MAX_BASE64), third: photo(8) };
    const answer = await submit('photo-key-0002', body);
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('bad-request');
  });
});
