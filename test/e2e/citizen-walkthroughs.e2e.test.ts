import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { launchChromium } from './support/browser.js';
import { eventually, readCentral, type CaseRow } from './support/central-db.js';
import { Citizen, type Orientation } from './support/citizen.js';
import { expectNoTraceOf } from './support/citizen-checks.js';
import { CARDS, DISSATISFIED_DETAIL, DISSATISFIED_REASON, TYPED_MOBILE, WALKTHROUGHS, queryByNumber, rate, rateDissatisfied, type Outcome, type Walkthrough } from './support/walkthroughs.js';

/**
 * Issue 9: a citizen finishes every service by touch alone. Each walkthrough (support/walkthroughs.ts)
 * is done by a Citizen that can only tap what is on screen, swipe and draw (support/citizen.ts), from
 * the home screen to the result with its printed receipt, in portrait 1080×1920 and landscape 1920×1080,
 * in every mode. Then central's record and the receipt are checked against what was tapped in, and the
 * next person must find no trace of this one however they tap about (返回 included).
 *
 * One demo stack and one Chromium for the file; one touch context per orientation. A kiosk serves one
 * citizen after another, so the tests run in order: the last one looks up a case the first one left.
 */
interface Draft {
  answers: Record<string, string>;
  form: Record<string, unknown>;
  materials: Record<string, { kind: string }>;
  signature?: string;
}

describe('a citizen who only taps', () => {
  let stack: DemoStack;
  let browser: Browser;
  const citizens = {} as Record<Orientation, Citizen>;
  const outcomes = new Map<string, Outcome>();
  /** Taps from home to receipt per service, for the report (the bench measures the same journeys). */
  const taps: Record<string, number> = {};

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium({ camera: 'none' });
    const url = stack.host.bridge?.launchUrl ?? '';
    citizens.portrait = await Citizen.open(browser, 'portrait', url);
    citizens.landscape = await Citizen.open(browser, 'landscape', url);
  });

  // Each test starts where a citizen does, even after a failed one: the host ends any session, the UI wipes.
  beforeEach(async () => {
    await stack.host.dispatch('session:end', { reason: 'staff' }, { audiences: new Set(['citizen']) });
    for (const citizen of Object.values(citizens)) await citizen.waitForScreen('home');
  });

  afterAll(async () => {
    if (Object.keys(taps).length) console.warn(`ux.taps (home → receipt): ${JSON.stringify(taps)}`);
    const rereads = Object.values(citizens).reduce((sum, citizen) => sum + citizen.cardRereads, 0);
    if (rereads > 0) console.warn(`the kiosk asked for the card to be laid again ${rereads} time(s) (a failed read each)`);
    const repeats = Object.values(citizens).reduce((sum, citizen) => sum + citizen.repeatedTaps, 0);
    if (repeats > 0) console.warn(`a candidate had to be tapped again ${repeats} time(s): the first tap changed nothing on screen`);
    await browser?.close();
    await stack?.close();
  });

  const centralCase = (localNumber: string) => readCentral<CaseRow>(stack.centralDbFile, 'SELECT * FROM cases WHERE local_number = ?', localNumber)[0];
  const helpCallCount = () => readCentral<{ calls: number }>(stack.centralDbFile, 'SELECT count(*) AS calls FROM help_calls')[0]?.calls ?? 0;
  const receiptFor = (localNumber: string) => stack.host.devices.simulators?.receiptPrinter?.receipts.find((lines) => lines.some((line) => line.includes(localNumber)))?.join('\n') ?? '';

  async function walk(walkthrough: Walkthrough): Promise<{ citizen: Citizen; outcome: Outcome }> {
    const citizen = citizens[walkthrough.orientation];
    await citizen.setModes(walkthrough.modes);
    const before = citizen.taps;
    const callsBefore = helpCallCount();
    const outcome = await walkthrough.run(citizen);
    taps[walkthrough.service] = citizen.taps - before;
    outcomes.set(walkthrough.service, outcome);
    await citizen.screenshot(`walkthrough-${walkthrough.service}-${walkthrough.orientation}-result`);
    // No tap of a walk calls staff: a click that falls through a closing panel once filed a help call
    // (TheInputPanel.vue's ghost-click guard).
    expect(helpCallCount() - callsBefore, 'help calls filed during the walk (nobody asked for help)').toBe(0);

    const { expected } = walkthrough;
    const recorded = await eventually(() => centralCase(outcome.localNumber), 20_000, `central to hold ${outcome.localNumber}`);
    expect(recorded).toMatchObject({ service_id: expected.serviceId, applicant_id: expected.applicantId, status: expected.status });
    if (outcome.caseNumber) expect(recorded.case_number).toBe(outcome.caseNumber);
    const draft = JSON.parse(recorded.payload) as Draft;
    expect(draft.form).toMatchObject(expected.form);
    if (expected.answers) expect(draft.answers).toEqual(expected.answers);
    for (const [material, kind] of Object.entries(expected.materials ?? {})) expect(draft.materials[material]?.kind, material).toBe(kind);
    if (expected.signed) expect(draft.signature).toMatch(/^data:image\/png;base64,/);

    const receipt = receiptFor(outcome.localNumber);
    expect(receipt, 'a receipt carrying the local number was printed').toContain('受理回执');
    if (outcome.caseNumber) expect(receipt).toContain(outcome.caseNumber);
    for (const text of expected.receipt) expect(receipt).toContain(text);
    expect(receipt, 'the receipt never carries the full ID number').not.toContain(expected.applicantId);
    return { citizen, outcome };
  }

  /** The next person taps about after the thanks screen (返回 first): no name, ID number or phone of this one. */
  async function leavesNoTrace(citizen: Citizen, secrets: string[]): Promise<void> {
    await expectNoTraceOf(citizen, secrets);
    await citizen.waitForScreen('home');
  }

  for (const walkthrough of WALKTHROUGHS) {
    const modes = Object.entries(walkthrough.modes).filter(([, on]) => on).map(([mode]) => mode).join('+') || 'normal';
    it(`${walkthrough.service} (${walkthrough.orientation}, ${modes}): ${walkthrough.title}`, async () => {
      const { citizen, outcome } = await walk(walkthrough);
      const applicant = Object.values(CARDS).find((card) => card.idNumber === walkthrough.expected.applicantId);
      if (walkthrough.service === 'resident-pension-enrolment') {
        // 不满意: a reason and a contact; the contact starts as the profile's phone and is typed anew.
        const { prefilledContact } = await rateDissatisfied(citizen, TYPED_MOBILE);
        expect(prefilledContact, 'the contact is prefilled from the card holder’s profile').toMatch(/^1385380\d{4}$/);
        const rating = await eventually(
          () => readCentral<{ level: string; reason: string; contact: string }>(stack.centralDbFile, 'SELECT level, reason, contact FROM ratings WHERE case_number = ?', outcome.caseNumber)[0],
          15_000,
          'the rating to reach central',
        );
        expect(rating).toMatchObject({ level: 'dissatisfied', contact: TYPED_MOBILE });
        expect(rating.reason).toBe(`${DISSATISFIED_REASON}：${DISSATISFIED_DETAIL}`);
        await leavesNoTrace(citizen, [applicant?.name ?? '', walkthrough.expected.applicantId, TYPED_MOBILE, prefilledContact]);
      } else {
        await rate(citizen, '满意');
        await leavesNoTrace(citizen, [applicant?.name ?? '', walkthrough.expected.applicantId, TYPED_MOBILE]);
      }
    });
  }

  it('办件查询 by the local number typed on the letters-and-digits pad (landscape, 长辈+低位+高对比度)', async () => {
    const earlier = outcomes.get('skill-upgrade-subsidy');
    expect(earlier, 'the 秒批 walkthrough left a case to look up').toBeDefined();
    const citizen = citizens.landscape;
    await citizen.setModes({ elder: true, lower: true, contrast: true });
    const before = citizen.taps;
    const found = await queryByNumber(citizen, earlier?.localNumber ?? '');
    taps['progress-by-local-number'] = citizen.taps - before;
    await citizen.screenshot('walkthrough-progress-landscape-all-modes');
    expect(found.caseNumber).toBe(earlier?.caseNumber);
    const recorded = centralCase(earlier?.localNumber ?? '');
    expect(recorded?.status).toBe('approved');
    expect(found.status).toBe('已办结（准予办理）');
  });
});
