import { describe, expect, it } from 'vitest';
import type { IdentityCard } from '../../../contract/domain.js';
import { DEMO_STAFF, DEMO_STAFF_CARD_KEY, DEMO_STAFF_CARD_NUMBER, staffCardKey } from '../../../host/services/demo-staff.js';
import { costOf, hashIdCard, hashPin, StaffAuth, verifyPin, type StaffAccount } from '../../../host/services/staff-auth.js';
import { CARD_NOT_REGISTERED, StaffCardSignIn } from '../../../host/services/staff-card.js';
import { createStaffCardHandlers } from '../../../host/staff-card-handlers.js';
import type { SessionService } from '../../../host/services/session.js';
import { findDeckCard } from '../../../drivers/simulators/id-card-deck.js';
import { parseConfig } from '../../../host/config.js';

const KEY = 'hall-card-key-0123456789';
const CONTEXT = { audiences: new Set(['citizen' as const]) };
const STAFF_PIN = '246810';
const STAFF_ID = '370902198706052112';
const OTHER_ID = '37091119900822402X';

function card(idNumber: string, name = '周立明'): IdentityCard {
  return { cardType: 'resident', name, sex: 'male', birthDate: '1987-06-05', idNumber, validFrom: '2017-06-05', validTo: '2037-06-05', expired: false, hasPhoto: true, address: '山东省泰安市泰山区东岳大街99号' };
}

function recordingAudit() {
  const entries: Array<{ actor: string; event: string; subject?: string; outcome: string }> = [];
  return { entries, append: (entry: (typeof entries)[number]) => entries.push(entry) };
}

async function accounts(): Promise<StaffAccount[]> {
  return [
    { number: '0001', name: '王工作', role: 'staff', pinHash: await hashPin(STAFF_PIN), idCardHash: hashIdCard(STAFF_ID, KEY) },
    { number: '9001', name: '李运维', role: 'technician', pinHash: await hashPin('135790') },
  ];
}

/** A StaffAuth whose PIN checks are recorded (the cost of the hash each attempt was checked against). */
async function setUp(options: { now?: () => number } = {}) {
  const audit = recordingAudit();
  const checks: Array<ReturnType<typeof costOf>> = [];
  const auth = new StaffAuth({
    accounts: await accounts(),
    audit,
    idleMs: 180_000,
    burst: 50,
    ...(options.now ? { now: options.now } : {}),
    verify: async (pin, pinHash) => {
      checks.push(costOf(pinHash));
      return verifyPin(pin, pinHash);
    },
  });
  const reads: Array<{ registered: boolean; message: string }> = [];
  const staffCard = new StaffCardSignIn({ key: KEY, auth, audit, emit: (read) => reads.push(read), ...(options.now ? { now: options.now } : {}) });
  return { audit, auth, checks, reads, staffCard };
}

describe('hashIdCard', () => {
  it('is HMAC-SHA256 under the key, the same for the reader\'s and a typed spelling, and differs per key', () => {
    const hash = hashIdCard(OTHER_ID, KEY);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashIdCard(OTHER_ID.toLowerCase(), KEY)).toBe(hash);
    expect(hashIdCard(` ${OTHER_ID} `, KEY)).toBe(hash);
    expect(hashIdCard(OTHER_ID, `${KEY}x`)).not.toBe(hash);
    expect(hash).not.toContain(OTHER_ID);
    expect(() => hashIdCard(OTHER_ID, '')).toThrow(/empty/);
  });
});

describe('刷身份证登录 (issue 12)', () => {
  it('takes the card only while the sign-in screen waits, asks the PIN, and signs in with card + PIN', async () => {
    const { auth, reads, staffCard } = await setUp();
    // Not waiting: the card is a citizen's, left to the citizen flow.
    expect(staffCard.offerCard(card(STAFF_ID), null)).toBe(false);
    expect(reads).toEqual([]);
    expect(staffCard.await(true)).toBe(true);
    const photo = new Uint8Array([1, 2, 3]);
    expect(staffCard.offerCard(card(STAFF_ID), photo)).toBe(true);
    expect([...photo]).toEqual([0, 0, 0]);
    expect(reads).toEqual([{ registered: true, message: expect.stringContaining('请输入密码') }]);
    // The card alone signs nobody in.
    expect(auth.view()).toBeNull();
    // A second card after the read is not taken: the screen waits no more.
    expect(staffCard.offerCard(card(OTHER_ID), null)).toBe(false);
    const held = staffCard.heldCard();
    expect(held).toBe(hashIdCard(STAFF_ID, KEY));
    expect(await auth.signInWithCard(held ?? '', STAFF_PIN)).toMatchObject({ ok: true, value: { number: '0001', role: 'staff' } });
    auth.dispose();
  });

  it('stops waiting for a staff card after two minutes: a sign-in screen gone without a word never takes a citizen\'s card', async () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    const { reads, staffCard } = await setUp({ now: () => now });
    staffCard.await(true);
    now += 121_000;
    expect(staffCard.offerCard(card(OTHER_ID, '李秀英'), null)).toBe(false);
    expect(reads).toEqual([]);
    expect(staffCard.isWaiting).toBe(false);
  });

  it('tells the screen plainly that a card no account carries is not registered', async () => {
    const { reads, staffCard } = await setUp();
    staffCard.await(true);
    expect(staffCard.offerCard(card(OTHER_ID, '李秀英'), null)).toBe(true);
    expect(reads).toEqual([{ registered: false, message: CARD_NOT_REGISTERED }]);
    expect(CARD_NOT_REGISTERED).toContain('此身份证未登记为工作人员，请用工号和密码登录');
  });

  it('answers an unknown card exactly like a wrong PIN, after the same single scrypt of the same cost', async () => {
    const { auth, checks } = await setUp();
    const wrong = await auth.signInWithCard(hashIdCard(STAFF_ID, KEY), '000000');
    const unknown = await auth.signInWithCard(hashIdCard(OTHER_ID, KEY), '000000');
    expect(unknown).toEqual(wrong);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    if (!wrong.ok) expect(wrong.error.message).toMatch(/^密码不正确，请重新输入/);
    // One PIN check each, against hashes of one cost: the decoy for the unknown card, the account's for the known.
    expect(checks).toHaveLength(2);
    expect(checks[0]).toEqual(checks[1]);
    expect(checks[0]).not.toBeNull();
    // The right PIN with an unknown card still signs nobody in.
    expect(await auth.signInWithCard(hashIdCard(OTHER_ID, KEY), STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(auth.view()).toBeNull();
    auth.dispose();
  });

  it('shares the 工号\'s lockout: wrong PINs by card and by 工号 add up, and a lock holds on both paths', async () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    const { auth, audit } = await setUp({ now: () => now });
    const cardHash = hashIdCard(STAFF_ID, KEY);
    for (let attempt = 0; attempt < 2; attempt++) expect(await auth.signInWithCard(cardHash, '000000')).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    const third = await auth.signIn('0001', '000000');
    if (third.ok) throw new Error('signed in with a wrong PIN');
    expect(third.error.message).toContain('再错 2 次');
    expect(await auth.signInWithCard(cardHash, '000000')).toMatchObject({ ok: false });
    expect(await auth.signIn('0001', '000000')).toMatchObject({ ok: false, error: { code: 'locked' } });
    now += 1_000;
    // Locked for the card path too, even with the right PIN.
    expect(await auth.signInWithCard(cardHash, STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(audit.entries.filter((entry) => entry.event === 'staff.locked').map((entry) => entry.actor)).toEqual(['staff:0001']);
    now += 5 * 60_000;
    expect(await auth.signInWithCard(cardHash, STAFF_PIN)).toMatchObject({ ok: true, value: { number: '0001' } });
    expect(audit.entries.at(-1)).toEqual({ actor: 'staff:0001', event: 'staff.sign-in', outcome: 'ok staff via id-card' });
    auth.dispose();
  });

  it('locks an unknown card after five guesses, and counts them on the terminal like unknown 工号', async () => {
    const { auth } = await setUp();
    const unknown = hashIdCard(OTHER_ID, KEY);
    for (let attempt = 0; attempt < 4; attempt++) expect(await auth.signInWithCard(unknown, '111111')).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(await auth.signInWithCard(unknown, '111111')).toMatchObject({ ok: false, error: { code: 'locked' } });
    // Five more over 工号: the terminal's ten failures lock the pad for everyone.
    for (let attempt = 0; attempt < 4; attempt++) await auth.signIn('9001', '000000');
    expect(await auth.signIn('0001', '000000')).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('本机') } });
    auth.dispose();
  });

  it('never puts the ID number, the name or the PIN into the audit or the held state; forgets the card after its minute', async () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    const { audit, auth, staffCard } = await setUp({ now: () => now });
    staffCard.await(true);
    staffCard.offerCard(card(STAFF_ID), new Uint8Array(8).fill(7));
    expect(JSON.stringify(staffCard)).not.toContain(STAFF_ID);
    expect(JSON.stringify(staffCard)).not.toContain('周立明');
    await auth.signInWithCard(staffCard.heldCard() ?? '', '000000');
    staffCard.await(true);
    staffCard.offerCard(card(OTHER_ID, '李秀英'), null);
    await auth.signInWithCard(staffCard.heldCard() ?? '', '999999');
    const written = JSON.stringify(audit.entries);
    for (const secret of [STAFF_ID, OTHER_ID, '周立明', '李秀英', '000000', '999999', STAFF_ID.slice(6, 14)]) expect(written).not.toContain(secret);
    expect(audit.entries.filter((entry) => entry.event === 'staff.card-read').map((entry) => entry.outcome)).toEqual(['registered', 'not-registered']);
    now += 61_000;
    expect(staffCard.heldCard()).toBeNull();
    auth.dispose();
  });

  it('is refused over a citizen\'s session with an identity, and without a key; a PIN without a card asks for the card', async () => {
    const { auth, staffCard } = await setUp();
    let current: { identity: IdentityCard | null } | null = { identity: card(OTHER_ID, '李秀英') };
    const ended: string[] = [];
    const session = { current: () => current, end: async (reason: string) => void ended.push(reason) } as unknown as SessionService;
    const handlers = createStaffCardHandlers({ auth, card: staffCard, session });
    expect(await handlers['staff:await-card']({ waiting: true }, CONTEXT)).toMatchObject({ ok: false, error: { code: 'session-open' } });
    expect(staffCard.isWaiting).toBe(false);
    expect(staffCard.offerCard(card(STAFF_ID), null)).toBe(false);
    current = null;
    expect(await handlers['staff:sign-in-card']({ pin: STAFF_PIN }, CONTEXT)).toMatchObject({ ok: false, error: { code: 'no-card', message: expect.stringContaining('身份证') } });
    expect(await handlers['staff:await-card']({ waiting: true }, CONTEXT)).toEqual({ ok: true, value: { waiting: true } });
    staffCard.offerCard(card(STAFF_ID), null);
    expect(await handlers['staff:sign-in-card']({ pin: STAFF_PIN }, CONTEXT)).toMatchObject({ ok: true, value: { number: '0001' } });
    expect(ended).toEqual(['staff']);
    expect(staffCard.heldCard()).toBeNull();
    auth.dispose();
    const off = createStaffCardHandlers({ auth, card: new StaffCardSignIn({ key: null, auth, audit: recordingAudit(), emit: () => undefined }), session });
    expect(await off['staff:await-card']({ waiting: true }, CONTEXT)).toMatchObject({ ok: false, error: { code: 'card-sign-in-off' } });
  });

  it('gives demo account 0001 the demo deck\'s staff card under the demo key, and only in demo mode without accounts', () => {
    const deckCard = findDeckCard('staff-zhou');
    expect(deckCard?.fields.cardType === 'resident' ? deckCard.fields.idNumber : null).toBe(DEMO_STAFF_CARD_NUMBER);
    expect(DEMO_STAFF.find((account) => account.number === '0001')?.idCardHash).toBe(hashIdCard(DEMO_STAFF_CARD_NUMBER, DEMO_STAFF_CARD_KEY));
    const base = { dataDir: '/tmp/x', terminal: { id: 'TA-1', hallName: '泰安大厅', divisionCode: '370902' }, central: { url: 'http://127.0.0.1:1', keyId: 'k', secret: '0123456789abcdef' } };
    expect(staffCardKey(parseConfig({ ...base, mode: 'demo' }))).toBe(DEMO_STAFF_CARD_KEY);
    expect(staffCardKey(parseConfig({ ...base, mode: 'live' }))).toBeNull();
    expect(staffCardKey(parseConfig({ ...base, mode: 'live', staffCardKey: KEY }))).toBe(KEY);
    expect(() => parseConfig({ ...base, mode: 'live', staff: [{ number: '01', name: 'a', role: 'staff', pinHash: 'scrypt$x', idCardHash: 'nothex' }] })).toThrow();
  });
});
