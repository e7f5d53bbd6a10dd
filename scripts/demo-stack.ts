/**
 * Demo mode, composed: the reference central service on a local SQLite file with demo data, and the
 * kiosk host with simulated devices, in one data directory outside the repository. Used by
 * `npm start`, the end-to-end tests and the start-up benchmark, so all three run the same stack.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../catalog/load.js';
import { cachedFacePortraits } from './face-portraits.js';
import { startCentralServer, type CentralOptions, type CentralServer, type StaffAccount } from '../central/server.js';
import { ID_CARD_DECK } from '../drivers/simulators/id-card-deck.js';
import { parseConfig, type KioskConfig, type KioskConfigInput } from '../host/config.js';
import { startHost, type Host, type HostOptions } from '../host/main.js';
import { DEMO_POPULATION } from '../central/identity-population.js';
import { demoProofPopulation } from './demo-proofs.js';

/** The compiled pinyin index shared by demo stacks (lexicon data only, never personal data). */
const DEMO_IME_CACHE = fileURLToPath(new URL('../node_modules/.cache/taian-kiosk/ime', import.meta.url));

export const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer', import.meta.url));

export interface DemoStack {
  /** Holds central's database (names and ID numbers in clear), the outbox and its key: removed by close() when the stack made it. */
  dataDir: string;
  config: KioskConfig;
  central: CentralServer;
  centralDbFile: string;
  host: Host;
  /** Stops host and central, then removes the data directory the stack created (not one it was given). */
  close(): Promise<void>;
}

export interface DemoOptions {
  dataDir?: string;
  bridge?: 'websocket' | 'none';
  /** Serve the built renderer (dist/renderer); false for bridge-only tests. */
  serveRenderer?: boolean;
  /** Serve another built page set instead (the input panels' test harness, dist/ime-harness). */
  rendererDir?: string;
  submitWaitMs?: number;
  /** Overrides merged into the kiosk configuration. */
  config?: Partial<KioskConfigInput>;
  /** Host timings passed through (tests: a shorter integrity check or purge interval). */
  hostTimings?: Pick<HostOptions, 'integrityCheckMs' | 'purgeCheckMs'>;
  /** Point the kiosk at another central URL (e.g. through a fault proxy). */
  centralUrlFor?: (central: CentralServer) => string;
  /** Central's database: a PostgreSQL URL, or (default) a SQLite file in the data directory. */
  centralDatabase?: string;
  /** Further options of the reference central (an injected clock, the silent sweep). */
  central?: Partial<CentralOptions>;
  /** The bridge's port and token chosen beforehand, so a browser can be started before the stack is up. */
  bridgePort?: number;
  bridgeToken?: string;
  /** See HostOptions.warmPrintingAfterMs (the print benchmark compares with and without). */
  warmPrintingAfterMs?: number | null;
}

/**
 * Demo accounts at central for the web consoles (README "Fleet console"): the same 工号 and PINs as the
 * kiosk's demo accounts, and a hall manager who signs in to the consoles only. Demo mode only.
 */
export const DEMO_CONSOLE_STAFF: StaffAccount[] = [
  { staffNumber: '0001', name: '演示工作人员', role: 'staff', pin: '246810' },
  { staffNumber: '9001', name: '演示运维人员', role: 'technician', pin: '135790' },
  { staffNumber: '8001', name: '演示管理员', role: 'manager', pin: '112233' },
];

/**
 * Demo citizens' shared profile (人口库): a phone number for each fixture card, for prefill; and 刘建国 of central's
 * demo population, the father whose son applies for him by 代办 in the demo (issue 12), so his shared-data
 * materials are verified like a card holder's. 赵春华 stays without one: the 电子身份码 demo shows a person the
 * data-sharing platform does not hold.
 */
function demoProfiles() {
  const cards = ID_CARD_DECK.flatMap((card, index) => {
    const idNumber = 'idNumber' in card.fields ? card.fields.idNumber : 'cardNumber' in card.fields ? card.fields.cardNumber : undefined;
    return typeof idNumber === 'string' ? [{ idNumber, mobile: `1385380${String(1000 + index).slice(-4)}` }] : [];
  });
  const principals = DEMO_POPULATION.filter((person) => person.name === '刘建国').map((person) => ({ idNumber: person.idNumber, mobile: '13853809001', address: person.address }));
  return [...cards, ...principals];
}

/**
 * 人证核验 reference photos of the demo population (README 人证核验): the public-domain portraits when they
 * have been fetched (scripts/face-portraits.ts; never fetched at start, a hall kiosk has no archive to
 * reach); without them every face check at the demo central answers unavailable and staff are offered.
 */
function demoFaceReferences(): Record<string, string> {
  const portraits = cachedFacePortraits();
  if (!portraits) return {};
  const holder = (id: string) => {
    const fields = ID_CARD_DECK.find((card) => card.id === id)?.fields;
    return fields && 'idNumber' in fields && typeof fields.idNumber === 'string' ? fields.idNumber : null;
  };
  const references: Record<string, string> = {};
  for (const [cardId, file] of [['resident-li', portraits.astronaut], ['resident-sun', portraits.hopper], ['resident-zhang', portraits.cameraman]] as const) {
    const idNumber = holder(cardId);
    if (idNumber) references[idNumber] = file;
  }
  return references;
}

export async function startDemoStack(options: DemoOptions = {}): Promise<DemoStack> {
  // A folder the stack makes is the stack's to remove: it holds central's database with names and ID
  // numbers in clear, certificate PDFs and the outbox key beside the outbox (issue 10, kind 10).
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'taian-kiosk-demo-'));
  const removeDataDir = () => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  let central: CentralServer | null = null;
  try {
    mkdirSync(join(dataDir, 'central'), { recursive: true });
    const catalog = loadCatalog();
    const terminalId = 'TA-DEMO-0001';
    const secret = randomBytes(32).toString('hex');
    const centralDbFile = options.centralDatabase ?? join(dataDir, 'central', 'central.sqlite');
    const startedCentral = await startCentralServer({
      dbFile: centralDbFile,
      catalog,
      terminals: [{ id: terminalId, secret, hall: '泰安市政务服务中心（演示）', district: '370902' }],
      profiles: demoProfiles(),
      staff: DEMO_CONSOLE_STAFF,
      demoLicences: true,
      // Proofs (issue 15): the deck's residents' shared data, and a seal key kept beside central's database.
      proofPopulation: demoProofPopulation(),
      seal: { privateKeyFile: join(dataDir, 'central', 'seal-private-key') },
      faceReferences: demoFaceReferences(),
      ...options.central,
    });
    central = startedCentral;
    const config = parseConfig({
      mode: 'demo',
      dataDir: join(dataDir, 'kiosk'),
      terminal: { id: terminalId, hallName: '泰安市政务服务中心（演示）', divisionCode: '370902' },
      central: { url: options.centralUrlFor?.(startedCentral) ?? startedCentral.url, keyId: terminalId, secret },
      devices: { idCardReader: { kind: 'simulated' }, scanner: { kind: 'simulated' }, receiptPrinter: { kind: 'simulated' }, documentPrinter: { kind: 'file' } },
      // The pinyin index holds no personal data: one cache for every demo folder on this machine, built in
      // the background by the first demo that finds none, so the citizen typing a name never waits.
      ime: { cacheDir: DEMO_IME_CACHE, buildAtStart: true },
      ...(options.bridgePort ? { bridge: { port: options.bridgePort } } : {}),
      ...options.config,
    });
    writeFileSync(join(dataDir, 'kiosk-config.json'), JSON.stringify({ ...config, central: { ...config.central, secret: '(redacted)' } }, null, 2), { mode: 0o600 });
    const host = await startHost({
      config,
      rendererDir: options.serveRenderer === false ? null : (options.rendererDir ?? RENDERER_DIR),
      bridge: options.bridge ?? 'websocket',
      catalogSnapshot: () => catalog,
      ...(options.bridgeToken ? { bridgeToken: options.bridgeToken } : {}),
      ...(options.warmPrintingAfterMs !== undefined ? { warmPrintingAfterMs: options.warmPrintingAfterMs } : {}),
      ...(options.submitWaitMs !== undefined ? { submitWaitMs: options.submitWaitMs } : {}),
      ...options.hostTimings,
    });
    let closed: Promise<void> | null = null;
    return {
      dataDir,
      config,
      central: startedCentral,
      centralDbFile,
      host,
      close() {
        closed ??= (async () => {
          try {
            await host.close();
            await startedCentral.close();
          } finally {
            removeDataDir();
          }
        })();
        return closed;
      },
    };
  } catch (error) {
    // A stack that fails half-way removes what it made too: a failing test must not leave data behind.
    await central?.close().catch(() => undefined);
    removeDataDir();
    throw error;
  }
}
