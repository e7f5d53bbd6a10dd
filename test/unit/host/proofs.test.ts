import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import smCrypto from 'sm-crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { channels } from '../../../contract/channels.js';
import type { IdentityCard } from '../../../contract/domain.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { CatalogService } from '../../../host/services/catalog.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { FileDocumentPrinter } from '../../../host/services/file-document-printer.js';
import { createLogger } from '../../../host/services/log.js';
import { PrintingService } from '../../../host/services/printing.js';
import { PROOF_MESSAGES, ProofService } from '../../../host/services/proofs.js';
import { StaffAlerts } from '../../../host/services/staff-alerts.js';
import type { StaffAlert } from '../../../contract/staff.js';
import { proofCentralFetch, seal, socialInsuranceDocument, testSealKey } from '../../support/sealed-proofs.js';

const idNumber = '37091119900822402' + gb11643CheckChar('37091119900822402');
const identity: IdentityCard = { cardType: 'resident', name: '张三', sex: 'male', birthDate: '1990-08-22', idNumber, validFrom: '2015-01-01', validTo: '2035-01-01', expired: false, hasPhoto: true };
const key = testSealKey();
const { sm3 } = smCrypto;

describe('ProofService', () => {
  let directory: string;
  let alerts: StaffAlert[];
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'proofs-'));
    alerts = [];
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function build(issue: Parameters<typeof proofCentralFetch>[0]['issue'], list?: Parameters<typeof proofCentralFetch>[0]['list']) {
    const log = createLogger({ dataDir: null });
    const central = proofCentralFetch({ issue, ...(list ? { list } : {}) });
    const client = new CentralClient({ baseUrl: 'http://central.test', key: { keyId: 'TA-1', secret: 's'.repeat(32) }, timeoutMs: 1_000, fetch: central.fetch });
    const catalog = new CatalogService({ dataDir: directory, log, client: null, snapshot: loadCatalog });
    const printer = new FileDocumentPrinter({ id: 'document-printer', directory: join(directory, 'tray') });
    const staffAlerts = new StaffAlerts({ emit: (alert) => alerts.push(alert) });
    const printing = new PrintingService({
      dataDir: join(directory, 'data'),
      receiptPrinter: null,
      documentPrinter: printer,
      log,
      onNotPrinted: (entry, reason) => staffAlerts.raise('print-pending', `${entry.document} ${reason}`, entry.caseReference),
    });
    const proofs = new ProofService({ client, catalog, printing, alerts: staffAlerts, log, publicUrl: 'http://central.test/', sealPublicKey: key.publicKey });
    const tray = () => (existsSync(join(directory, 'tray')) ? readdirSync(join(directory, 'tray')) : []);
    const trayFile = (name: string) => readFileSync(join(directory, 'tray', name));
    return { proofs, printing, tray, trayFile, calls: central.calls };
  }

  it('lists the catalog’s proofs of each life cycle, enterprise ones for the legal representative', () => {
    const { proofs } = build(() => ({ outcome: 'issued', proof: seal(socialInsuranceDocument(idNumber), key) }));
    expect(proofs.offers('individual').map((offer) => offer.kind)).toContain('social-insurance-payment');
    expect(proofs.offers('individual').length + proofs.offers('enterprise').length).toBeGreaterThanOrEqual(8);
    expect(proofs.offers('enterprise').every((offer) => offer.holder === 'legal-representative')).toBe(true);
  });

  it('shows a proof whose seal verifies, with the ID number masked and the verification page link', async () => {
    const proof = seal(socialInsuranceDocument(idNumber), key);
    const { proofs } = build(() => ({ outcome: 'issued', proof }));
    const result = await proofs.issue(identity, 'social-insurance-payment');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.title).toBe('社会保险缴费证明');
    expect(result.value.verificationUrl).toBe(`http://central.test/verify/${proof.document.verificationCode}`);
    expect(JSON.stringify(result.value)).not.toContain(idNumber);
    expect(result.value.fields).toContainEqual({ label: '参保单位', value: '泰安市泰山区某某科技有限公司' });
    expect(result.value.table?.rows).toHaveLength(2);
  });

  it('refuses a proof altered after sealing: nothing shown or printed, staff alerted (seal-invalid)', async () => {
    const genuine = seal(socialInsuranceDocument(idNumber), key);
    const altered = { ...genuine, document: { ...genuine.document, fields: { ...genuine.document.fields, totalMonths: '168' } } };
    const { proofs, tray } = build(() => ({ outcome: 'issued', proof: altered }));
    const result = await proofs.issue(identity, 'social-insurance-payment');
    expect(result).toEqual({ ok: false, error: { code: 'seal-invalid', message: PROOF_MESSAGES.sealInvalid } });
    expect(alerts.map((alert) => alert.kind)).toEqual(['seal-invalid']);
    expect(tray()).toEqual([]);
  });

  it('refuses a proof sealed with another key than central’s pinned one', async () => {
    const { proofs } = build(() => ({ outcome: 'issued', proof: seal(socialInsuranceDocument(idNumber), testSealKey()) }));
    expect(await proofs.issue(identity, 'social-insurance-payment')).toMatchObject({ ok: false, error: { code: 'seal-invalid' } });
  });

  it('passes central’s refusal on to a citizen who is not the legal representative', async () => {
    const { proofs, calls } = build(
      () => ({ outcome: 'refused', refusal: { code: 'not-legal-representative', message: '不是该企业的法定代表人' } }),
      () => ({ proofs: [{ proofId: 'business-licence-copy', title: '营业执照', lifeCycle: 'enterprise', available: false, reason: '您不是任何企业的法定代表人，请法定代表人本人办理，或携带授权委托书到窗口办理。' }], enterprises: [] }),
    );
    const result = await proofs.issue(identity, 'business-licence-copy');
    expect(result).toEqual({ ok: false, error: { code: 'proof-refused', message: '您不是任何企业的法定代表人，请法定代表人本人办理，或携带授权委托书到窗口办理。' } });
    expect(calls).not.toContain('/v1/proofs/issue');
  });

  it('prints a signed PDF as issued byte for byte when the seal covers its SM3, and refuses other bytes', async () => {
    const pdf = Buffer.from('%PDF-1.7\n% a signed e-licence as issued\n%%EOF\n');
    const sealedPdf = { ...seal({ ...socialInsuranceDocument(idNumber), pdfSm3: sm3(Array.from(pdf)) }, key), pdf: pdf.toString('base64') };
    const { proofs, tray, trayFile } = build(() => ({ outcome: 'issued', proof: sealedPdf }));
    const issued = await proofs.issue(identity, 'social-insurance-payment');
    if (!issued.ok) throw new Error(issued.error.message);
    expect(await proofs.print(issued.value.ticket, 1)).toMatchObject({ ok: true, value: { printed: true } });
    expect(tray()).toHaveLength(1);
    expect(Buffer.from(trayFile(tray()[0] ?? ''))).toEqual(pdf);
    // The same seal with other PDF bytes (or a PDF the seal does not name) is refused before anything is shown.
    for (const forged of [{ ...sealedPdf, pdf: Buffer.from('%PDF-1.7\n% altered\n%%EOF\n').toString('base64') }, { ...seal(socialInsuranceDocument(idNumber), key), pdf: pdf.toString('base64') }]) {
      const other = build(() => ({ outcome: 'issued', proof: forged }));
      expect(await other.proofs.issue(identity, 'social-insurance-payment')).toMatchObject({ ok: false, error: { code: 'seal-invalid' } });
    }
  });

  it('prints the asked number of copies in one job, and bounds copies at the bridge (1–5)', async () => {
    const { proofs, tray } = build(() => ({ outcome: 'issued', proof: seal(socialInsuranceDocument(idNumber), key) }));
    const issued = await proofs.issue(identity, 'social-insurance-payment');
    if (!issued.ok) throw new Error(issued.error.message);
    expect(await proofs.print(issued.value.ticket, 3)).toMatchObject({ ok: true, value: { printed: true, copies: 3, notice: null } });
    expect(tray()).toHaveLength(3);
    const request = channels['proof:print'].request;
    expect(request.safeParse({ ticket: issued.value.ticket, copies: 0 }).success).toBe(false);
    expect(request.safeParse({ ticket: issued.value.ticket, copies: 6 }).success).toBe(false);
    expect(request.safeParse({ ticket: issued.value.ticket, copies: 2.5 }).success).toBe(false);
    expect(request.safeParse({ ticket: issued.value.ticket, copies: 5 }).success).toBe(true);
    await expect(proofs.print(issued.value.ticket, 6)).rejects.toThrow(RangeError);
  });

  it('keeps a proof the printer could not take, gives the phone link, and prints it once when the printer is back', async () => {
    const { proofs, printing, tray } = build(() => ({ outcome: 'issued', proof: seal(socialInsuranceDocument(idNumber), key) }));
    const issued = await proofs.issue(identity, 'social-insurance-payment');
    if (!issued.ok) throw new Error(issued.error.message);
    // Paper out, as a folder printer can have it: its folder cannot be made (a file stands in the way).
    rmSync(join(directory, 'tray'), { recursive: true, force: true });
    writeFileSync(join(directory, 'tray'), '');
    const kept = await proofs.print(issued.value.ticket, 2);
    expect(kept).toMatchObject({ ok: true, value: { printed: false, copies: 2, fetchUrl: issued.value.verificationUrl } });
    if (kept.ok) expect(kept.value.notice).toContain('扫描屏幕上的二维码');
    expect(printing.pending().map((entry) => entry.caseReference)).toEqual([issued.value.verificationCode]);
    expect(alerts.map((alert) => alert.kind)).toContain('print-pending');
    // A second tap while it is kept makes no second job.
    await proofs.print(issued.value.ticket, 2);
    expect(printing.journal).toHaveLength(1);

    rmSync(join(directory, 'tray'));
    expect(await Promise.all([proofs.retryPending(), proofs.retryPending()])).toEqual(expect.arrayContaining([1]));
    expect(await proofs.retryPending()).toBe(0);
    expect(tray()).toHaveLength(2);
    expect(printing.pending()).toEqual([]);
  });

  it('prints a sealed 秒批 result once its seal verifies, and refuses an altered one', async () => {
    const { proofs, tray } = build(() => ({ outcome: 'refused', refusal: { code: 'no-record', message: '无记录' } }));
    const genuine = seal(socialInsuranceDocument(idNumber), key);
    expect(await proofs.printSealedResult(genuine)).toEqual({ printed: true });
    expect(tray()).toHaveLength(1);
    const altered = { ...genuine, document: { ...genuine.document, title: '准予行政许可决定书' } };
    expect(await proofs.printSealedResult(altered)).toEqual({ printed: false, notice: PROOF_MESSAGES.sealInvalid });
    expect(tray()).toHaveLength(1);
    expect(alerts.map((alert) => alert.kind)).toEqual(['seal-invalid']);
  });

  it('forgets the session’s proofs when it ends', async () => {
    const { proofs } = build(() => ({ outcome: 'issued', proof: seal(socialInsuranceDocument(idNumber), key) }));
    const issued = await proofs.issue(identity, 'social-insurance-payment');
    if (!issued.ok) throw new Error(issued.error.message);
    proofs.wipe();
    expect(await proofs.print(issued.value.ticket, 1)).toMatchObject({ ok: false, error: { code: 'unknown-ticket' } });
  });
});
