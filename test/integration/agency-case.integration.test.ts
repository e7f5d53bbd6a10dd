import { randomUUID } from 'node:crypto';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, ChannelRequest, ChannelResponse } from '../../contract/channels.js';
import { CENTRAL_PATHS, type SubmitApplicationBody } from '../../contract/central/api.js';
import { signRequest } from '../../contract/central/signing.js';
import type { Result } from '../../contract/result.js';
import { DEMO_POPULATION } from '../../central/identity-population.js';
import { loadCatalog } from '../../catalog/load.js';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { until } from '../support/until.js';
import { queryCentralDatabase } from '../support/central-databases.js';
import { CASE_AUTHORISATION_PATH, CaseAuthorisationView } from '../../contract/agency.js';
import { consoleRequest, signInToConsole } from '../support/console-client.js';

/**
 * 代办 (issue 12) through the real host and central of the demo stack, on central's SQLite store and on
 * PostgreSQL: the agent's card is read and their 人证核验 passes (人工核验), the principal is named by ID number
 * and name checked at central's 人口库, the relationship and a 委托书 photo are given; central's record carries
 * agent, principal, relationship and the photo; the receipt prints both identities masked. A 本人办理 service
 * refuses 代办 with its catalog reason on the host (at 代办 and, in depth, at submission) and at central.
 * Called the way the bridge calls the host.
 */
const catalog = loadCatalog();
const principal = DEMO_POPULATION.find((person) => person.name === '刘建国');
if (!principal) throw new Error('central’s demo population has no 刘建国');
const inPersonService = catalog.services.find((service) => service.id === 'driving-licence-renewal');
if (!inPersonService?.inPersonReason) throw new Error('driving-licence-renewal is not 本人办理 in the catalog');
const REASON = inPersonService.inPersonReason;

/** A real JPEG (a grey 64×48 page), as the document camera would give; base64 starts with /9j/. */
function letterPhoto(): string {
  const width = 64;
  const height = 48;
  const data = Buffer.alloc(width * height * 4, 200);
  return Buffer.from(jpeg.encode({ data, width, height }, 80).data).toString('base64');
}

for (const database of ['SQLite', 'PostgreSQL'] as const) {
  describe(`代办 on the kiosk, central on ${database}`, () => {
    let stack: DemoStack;
    let cluster: PostgresCluster | undefined;
    let centralUrl = '';

    async function call<Name extends ChannelName>(name: Name, request: ChannelRequest<Name> = {} as ChannelRequest<Name>): Promise<Result<ChannelResponse<Name>>> {
      return (await stack.host.dispatch(name, request, stack.host.context())) as Result<ChannelResponse<Name>>;
    }
    async function value<Name extends ChannelName>(name: Name, request: ChannelRequest<Name> = {} as ChannelRequest<Name>): Promise<ChannelResponse<Name>> {
      const result = await call(name, request);
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
      return result.value;
    }
    /** Central's own rows (`?` placeholders), from whichever database it runs on. */
    const central = <T>(sql: string, ...params: unknown[]): Promise<T[]> => queryCentralDatabase<T>(centralUrl || stack.centralDbFile, sql, ...params);

    /** The agent's card is read and confirmed in person (the agent's 人证核验, issue 14). */
    async function agentAtTheKiosk(serviceId: string, card: string): Promise<void> {
      await value('session:start', { serviceId });
      stack.host.devices.simulators?.idCard?.placeCard(card);
      await until(async () => (await value('session:get'))?.identity, 'the agent’s card to be read', 10_000);
      await value('identity:staff-check', { number: '0001', pin: '246810' });
    }

    beforeAll(async () => {
      if (database === 'PostgreSQL') {
        cluster = await startPostgresCluster();
        centralUrl = await cluster.createDatabase('agency');
      }
      stack = await startDemoStack({ bridge: 'none', serveRenderer: false, submitWaitMs: 5_000, ...(centralUrl ? { centralDatabase: centralUrl } : {}) });
    });
    afterAll(async () => {
      await stack?.close();
      await cluster?.stop();
    });

    it('files a 代办 case with agent, principal, relationship and the 委托书 photo, and prints both masked', async () => {
      await agentAtTheKiosk('senior-preferential-card', 'resident-zhang');
      const agent = (await value('session:get'))?.identity;
      expect(agent?.name).toBe('张建华');
      expect(await value('agency:begin')).toEqual({ authorisation: ['委托书'] });
      // A wrong name, and the agent's own number, do not name a principal.
      expect(await value('agency:check-principal', { idNumber: principal.idNumber, name: '刘建军' })).toMatchObject({ matched: false, message: expect.stringContaining('请核对') });
      expect(await value('agency:check-principal', { idNumber: agent?.idNumber ?? '', name: '张建华' })).toMatchObject({ matched: false, message: expect.stringContaining('本人') });
      expect(await value('agency:check-principal', { idNumber: principal.idNumber, name: '刘建国' })).toEqual({ matched: true, nameMasked: '刘*国', idMasked: expect.stringMatching(/^370\*{11}\d{3}[\dX]$/), identity: principal });
      // Not complete yet: no authorisation, so no submission in anyone's name.
      const early = await call('application:submit', { serviceId: 'senior-preferential-card', answers: {}, form: {}, materials: {} });
      expect(early).toMatchObject({ ok: false, error: { code: 'agency-incomplete' } });

      // 老年人优待证 accepts a 委托书 only: a signed 告知承诺 is refused.
      const signature = `data:image/png;base64,${Buffer.from('signature').toString('base64')}`;
      expect(await call('agency:set', { relationship: '子女', authorisation: { kind: '告知承诺', signature } })).toMatchObject({ ok: false, error: { code: 'invalid-authorisation' } });
      const photo = letterPhoto();
      const view = await value('agency:set', { relationship: '子女', authorisation: { kind: '委托书', mimeType: 'image/jpeg', base64: photo } });
      expect(view).toMatchObject({ agent: { nameMasked: '张*华' }, principal: { nameMasked: '刘*国', source: 'population-check' }, relationship: '子女', authorisation: '委托书' });
      // The form is the principal's.
      const form = await value('application:prefill', { serviceId: 'senior-preferential-card' });
      expect(form).toMatchObject({ applicantName: '刘建国', idNumber: principal.idNumber });
      const [licence] = await value('licence:lookup', { licenceType: 'household-register' });
      const outcome = await value('application:submit', {
        serviceId: 'senior-preferential-card',
        answers: {},
        form: { ...form, division: '370911', mobile: '13953812345' },
        materials: { 'id-card': { kind: 'shared-data' }, photo: { kind: 'shared-data' }, 'household-register': { kind: 'e-licence', licenceId: licence?.licenceId ?? '' } },
      });

      type Row = { applicant_id: string; applicant_name: string; agent_id: string; agent_name: string; agency_relationship: string; agency_principal_source: string; agency_authorisation_kind: string; agency_authorisation: string; case_number: string };
      const [record] = await until(
        async () => {
          const rows = await central<Row>(
            'SELECT case_number, applicant_id, applicant_name, agent_id, agent_name, agency_relationship, agency_principal_source, agency_authorisation_kind, agency_authorisation FROM cases WHERE local_number = ?',
            outcome.localNumber,
          );
          return rows.length > 0 ? rows : null;
        },
        'central to hold the case',
        10_000,
      );
      expect(record).toMatchObject({
        applicant_id: principal.idNumber,
        applicant_name: '刘建国',
        agent_id: agent?.idNumber,
        agent_name: '张建华',
        agency_relationship: '子女',
        agency_principal_source: 'population-check',
        agency_authorisation_kind: '委托书',
      });
      expect(JSON.parse(record?.agency_authorisation ?? '{}')).toEqual({ kind: '委托书', mimeType: 'image/jpeg', base64: photo });

      // Central's case API shows the agent masked with the relationship and the authorisation kind.
      const path = CENTRAL_PATHS.caseByRef(record?.case_number ?? '');
      const key = { keyId: stack.config.central.keyId, secret: stack.config.central.secret ?? '' };
      const response = await fetch(`${stack.central.url}${path}`, { headers: signRequest(key, 'GET', path, '') });
      expect(await response.json()).toMatchObject({ agency: { agentNameMasked: '张*华', agentIdMasked: expect.stringMatching(/^370\*+\d{3}[\dX]$/), relationship: '子女', authorisation: '委托书' } });

      // The staff console's case view (issue 12): the 委托书 photo to signed-in staff, audited; never to others.
      const caseNumber = record?.case_number ?? '';
      const viewPath = CASE_AUTHORISATION_PATH.replace(':caseNumber', encodeURIComponent(caseNumber));
      expect((await consoleRequest(stack.central.url, 'GET', viewPath, null)).status).toBe(401);
      const technician = await signInToConsole(stack.central.url, '9001', '135790');
      expect((await technician.call('GET', viewPath)).status).toBe(403);
      const staffMember = await signInToConsole(stack.central.url, '0001', '246810');
      const shown = await staffMember.call('GET', viewPath);
      expect(shown.status).toBe(200);
      expect(CaseAuthorisationView.parse(shown.body)).toEqual({
        caseNumber,
        serviceName: expect.any(String),
        agent: { nameMasked: '张*华', idMasked: expect.stringMatching(/^370\*+\d{3}[\dX]$/) },
        principal: { nameMasked: '刘*国', idMasked: expect.stringMatching(/^370\*+\d{3}[\dX]$/) },
        relationship: '子女',
        kind: '委托书',
        image: `data:image/jpeg;base64,${photo}`,
      });
      expect(JSON.stringify(shown.body)).not.toContain(principal.idNumber);
      const views = await central<{ actor: string; event: string; outcome: string }>('SELECT actor, event, outcome FROM case_view_audit WHERE case_number = ? ORDER BY at_ms', caseNumber);
      expect(views).toEqual([{ actor: 'staff:0001', event: 'case.view-authorisation', outcome: 'shown 委托书' }]);

      const receipt = stack.host.devices.simulators?.receiptPrinter?.receipts.find((lines) => lines.some((line) => line.includes(outcome.localNumber)))?.join('\n') ?? '';
      expect(receipt).toContain('办理人（代办）');
      expect(receipt).toMatch(/张\*华 370\*{11}\d{3}[\dX]/);
      expect(receipt).toContain('委托人');
      expect(receipt).toMatch(/刘\*国 370\*{11}\d{3}[\dX]/);
      expect(receipt).toContain('子女');
      // Neither number nor name whole on the paper a citizen may leave in the hall.
      for (const whole of [principal.idNumber, agent?.idNumber ?? '', '张建华', '刘建国']) expect(receipt).not.toContain(whole);
      await value('session:end', { reason: 'completed' });
    });

    it('takes the principal’s card laid while 代办 waits for it, without ending the agent’s session; staff 补打 prints both', async () => {
      // Another agent than the card left on the reader (a reader reads a card once per placement).
      await agentAtTheKiosk('senior-preferential-card', 'resident-li');
      await value('agency:begin');
      expect(await value('agency:await-card', { awaiting: true })).toEqual({ awaiting: true });
      // The agent lifts her card and lays her mother's: no countdown, no new session.
      const reader = stack.host.devices.simulators?.idCard;
      reader?.placeCard('resident-liu');
      const named = await until(async () => (await value('session:get'))?.agency, 'the principal’s card to be read', 10_000);
      expect(named).toMatchObject({ agent: { nameMasked: '李*英' }, principal: { nameMasked: '刘*芝', source: 'id-card' } });
      // Her own card back: the same session goes on.
      const agentBack = new Promise<void>((resolve) => {
        stack.host.devices.idCardReader?.on('card', (read) => {
          if (read.identity.name === '李秀英') resolve();
        });
      });
      reader?.placeCard('resident-li');
      await agentBack;
      await until(async () => (await value('session:get'))?.agency?.principal.nameMasked === '刘*芝', 'the session to go on with its principal', 10_000);
      await value('agency:set', { relationship: '子女', authorisation: { kind: '委托书', mimeType: 'image/jpeg', base64: letterPhoto() } });
      const form = await value('application:prefill', { serviceId: 'senior-preferential-card' });
      expect(form).toMatchObject({ applicantName: '刘桂芝' });
      const [licence] = await value('licence:lookup', { licenceType: 'household-register' });
      // The receipt printer is out of paper: staff 补打 later renders it again from the sealed outbox record.
      const printer = stack.host.devices.simulators?.receiptPrinter;
      printer?.setPaper('out');
      const outcome = await value('application:submit', {
        serviceId: 'senior-preferential-card',
        answers: {},
        form: { ...form, division: '370902' },
        materials: { 'id-card': { kind: 'shared-data' }, photo: { kind: 'shared-data' }, 'household-register': { kind: 'e-licence', licenceId: licence?.licenceId ?? '' } },
      });
      const [record] = await until(
        async () => {
          const rows = await central<{ applicant_name: string; agent_name: string; agency_principal_source: string }>('SELECT applicant_name, agent_name, agency_principal_source FROM cases WHERE local_number = ?', outcome.localNumber);
          return rows.length > 0 ? rows : null;
        },
        'central to hold the case',
        10_000,
      );
      expect(record).toEqual({ applicant_name: '刘桂芝', agent_name: '李秀英', agency_principal_source: 'id-card' });
      expect(outcome.receipt.printed).toBe(false);
      await value('staff:sign-in', { number: '0001', pin: '246810' });
      const job = (await value('print:list-pending')).find((entry) => entry.localNumber === outcome.localNumber);
      printer?.setPaper('ok');
      expect(await value('print:reprint', { jobId: job?.jobId ?? '' })).toEqual({ printed: true });
      const reprint = printer?.receipts.at(-1)?.join('\n') ?? '';
      expect(reprint).toContain(outcome.localNumber);
      expect(reprint).toMatch(/办理人（代办）[^\n]*李\*英 370\*{11}\d{3}[\dX]/);
      expect(reprint).toMatch(/委托人[^\n]*刘\*芝 370\*{11}\d{3}[\dX]/);
      await value('staff:sign-out');
    });

    it('refuses 代办 for a 本人办理 service with its reason, on the host and at central', async () => {
      // Another agent than the card left on the reader.
      await agentAtTheKiosk('driving-licence-renewal', 'resident-zhang');
      expect(await call('agency:begin')).toEqual({ ok: false, error: { code: 'in-person-only', message: REASON } });

      // Defence in depth: 代办 begun for another service, then moved to the 本人办理 one, is refused at submission.
      await value('session:start', { serviceId: 'senior-preferential-card' });
      await value('agency:begin');
      await value('session:start', { serviceId: 'driving-licence-renewal' });
      const submitted = await call('application:submit', { serviceId: 'driving-licence-renewal', answers: { 'needs-medical': 'no' }, form: {}, materials: {} });
      expect(submitted).toEqual({ ok: false, error: { code: 'in-person-only', message: REASON } });
      await value('session:end', { reason: 'cancelled' });

      // Central refuses it too, whatever a kiosk sends.
      const body: SubmitApplicationBody = {
        localNumber: `TA-AGENCY-${randomUUID().slice(0, 8)}`,
        serviceId: 'driving-licence-renewal',
        draft: { serviceId: 'driving-licence-renewal', answers: {}, form: {}, materials: {} },
        applicant: { cardType: 'resident', idNumber: principal.idNumber, name: principal.name, sex: principal.sex, birthDate: principal.birthDate, validTo: null, expired: false },
        identitySource: 'id-card',
        submittedAt: new Date().toISOString(),
        agency: { agent: { idNumber: '370902196803151231', name: '张建华' }, principalSource: 'population-check', relationship: '子女', authorisation: { kind: '委托书', mimeType: 'image/jpeg', base64: letterPhoto() } },
      };
      const text = JSON.stringify(body);
      const key = { keyId: stack.config.central.keyId, secret: stack.config.central.secret ?? '' };
      const response = await fetch(`${stack.central.url}${CENTRAL_PATHS.applications}`, {
        method: 'POST',
        headers: { ...signRequest(key, 'POST', CENTRAL_PATHS.applications, text), 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: text,
      });
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: 'in-person-only', message: REASON });
      expect(await central('SELECT case_number FROM cases WHERE local_number = ?', body.localNumber)).toEqual([]);
    });

    it('accepts a signed 代办告知承诺 where the catalog allows it', async () => {
      // Another agent than the card left on the reader.
      await agentAtTheKiosk('out-of-town-medical-filing', 'resident-sun');
      expect(await value('agency:begin')).toEqual({ authorisation: ['委托书', '告知承诺'] });
      await value('agency:check-principal', { idNumber: principal.idNumber, name: '刘建国' });
      const signature = `data:image/png;base64,${Buffer.from('signature').toString('base64')}`;
      const view = await value('agency:set', { relationship: '配偶', authorisation: { kind: '告知承诺', signature } });
      expect(view).toMatchObject({ relationship: '配偶', authorisation: '告知承诺', principal: { nameMasked: '刘*国' } });
      await value('session:end', { reason: 'cancelled' });
    });
  });
}
