import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ClockTime, OperatingHours } from '../contract/central/fleet.js';
import { IdCardHash, StaffNumber, StaffRole } from '../contract/staff.js';

/**
 * The kiosk's configuration: everything that differs between demo mode and a real hall.
 * Read from the JSON file named by KIOSK_CONFIG (or passed in), parsed here, and nowhere else.
 */
const SerialPortConfig = z.object({ kind: z.literal('serial'), path: z.string().min(1), baudRate: z.number().int().positive().default(115200) });
const HidConfig = z.object({
  kind: z.literal('hid'),
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  /** Report ID of a reader with numbered reports (1–255); 0 (default) for one without. */
  reportId: z.number().int().min(0).max(255).default(0),
});

/** Roll width of an ESC/POS receipt printer: 80 mm (576 dots, 48 columns) or 58 mm (384 dots, 32 columns). */
const PaperWidthConfig = z.enum(['80mm', '58mm']).default('80mm');

export const KioskConfig = z.object({
  mode: z.enum(['demo', 'live']),
  /** Where the outbox, caches, logs and key file live; outside the repository, owned by the kiosk user. */
  dataDir: z.string().min(1),
  terminal: z.object({
    id: z.string().regex(/^[A-Za-z0-9-]{3,32}$/),
    hallName: z.string().min(2),
    /** GB/T 2260 code of the hall's district or county. */
    divisionCode: z.string().regex(/^\d{6}$/),
  }),
  central: z.object({
    url: z.url(),
    keyId: z.string().min(1),
    /** Terminal secret; in a real hall prefer `secretFile` (root-owned, 0600). */
    secret: z.string().min(16).optional(),
    secretFile: z.string().optional(),
    algorithm: z.enum(['hmac-sha256', 'hmac-sm3']).default('hmac-sha256'),
    timeoutMs: z.number().int().positive().default(10_000),
    /**
     * Central's seal public key (SM2, `04` ‖ x ‖ y, 130 hex): proofs whose signature fails under it are never
     * printed. Absent: fetched from central once (`GET /v1/seal/public-key`) and pinned until restart.
     */
    sealPublicKey: z.string().regex(/^04[0-9a-fA-F]{128}$/).optional(),
  }),
  devices: z
    .object({
      idCardReader: z
        .discriminatedUnion('kind', [z.object({ kind: z.literal('auto') }), z.object({ kind: z.literal('simulated') }), SerialPortConfig, HidConfig])
        .default({ kind: 'auto' }),
      scanner: z
        .discriminatedUnion('kind', [z.object({ kind: z.literal('none') }), z.object({ kind: z.literal('simulated') }), SerialPortConfig])
        .default({ kind: 'none' }),
      receiptPrinter: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('none') }),
          z.object({ kind: z.literal('simulated'), paperWidth: PaperWidthConfig }),
          SerialPortConfig.extend({ paperWidth: PaperWidthConfig }),
        ])
        .default({ kind: 'none' }),
      documentPrinter: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('none') }),
          z.object({ kind: z.literal('simulated') }),
          z.object({ kind: z.literal('cups'), queue: z.string().min(1) }),
          /** Demo and tests: each job's PDF is written to `directory` (default `<dataDir>/printed`), never wiped. */
          z.object({ kind: z.literal('file'), directory: z.string().min(1).optional() }),
        ])
        .default({ kind: 'none' }),
    })
    .prefault({}),
  session: z
    .object({
      idleTimeoutSeconds: z.number().int().min(30).default(120),
      /** The countdown is shown this long before the end; ≥ 20 s so anyone can ask for more time (DOMAIN.md §6). */
      idleWarningSeconds: z.number().int().min(20).default(30),
      /**
       * A session read from a card ends this long after the card leaves the reader, unless the same card is
       * laid back (a re-seat); meanwhile the screen is covered, so whoever stands there next sees nothing.
       */
      cardAbsentGraceSeconds: z.number().int().min(5).max(120).default(15),
    })
    .refine((session) => session.idleWarningSeconds < session.idleTimeoutSeconds, { message: 'idleWarningSeconds must be shorter than idleTimeoutSeconds', path: ['idleWarningSeconds'] })
    .prefault({}),
  /**
   * Opening hours of the hall (contract/central/fleet.ts OperatingHours, Beijing time); outside them the
   * kiosk shows its hours and takes no new sessions. null (default): open around the clock.
   */
  operatingHours: OperatingHours.nullable().default(null),
  /** The fleet (issue 13): heartbeat period and the daily self-test, both also set from central. */
  fleet: z
    .object({
      heartbeatSeconds: z.number().int().min(2).max(3600).default(60),
      /** Daily self-test, Beijing time HH:MM. */
      selfTestAt: ClockTime.default('07:30'),
    })
    .prefault({}),
  outbox: z
    .object({
      /** Personal data is purged from the local store this long after central acknowledged it. */
      purgeAfterHours: z.number().positive().default(72),
      /** 国密 option: seal payloads with SM4 (CBC + HMAC-SM3, host/services/outbox-crypto.ts) instead of AES-256-GCM. */
      cipher: z.enum(['aes-256-gcm', 'sm4-cbc-hmac-sm3']).default('aes-256-gcm'),
    })
    .prefault({}),
  /**
   * Staff and technician accounts (DOMAIN.md §7): 工号 unique, PIN as a scrypt hash made with
   * scripts/hash-pin.ts. Empty in demo mode means the two demo accounts (host/services/demo-staff.ts).
   */
  staff: z
    .array(z.object({ number: StaffNumber, name: z.string().min(1).max(20), role: StaffRole, pinHash: z.string().regex(/^scrypt\$/), idCardHash: IdCardHash.optional() }))
    .default([])
    .refine((accounts) => new Set(accounts.map((account) => account.number)).size === accounts.length, { message: '工号 must be unique' })
    .refine((accounts) => { const cards = accounts.flatMap((account) => (account.idCardHash ? [account.idCardHash] : [])); return new Set(cards).size === cards.length; }, { message: 'idCardHash must be unique' }),
  /**
   * 刷身份证登录 (issue 12): the deployment's key for the accounts' `idCardHash` (HMAC-SHA256 of the ID number,
   * made with scripts/hash-id-card.ts under the same key). Absent: no card sign-in (demo mode without
   * configured accounts uses the public demo key of host/services/demo-staff.ts).
   */
  staffCardKey: z.string().min(16).optional(),
  /** Input engines (README "Input engines"): where the pinyin lexicon and the handwriting model are. */
  ime: z
    .object({
      /** Folder with Rime's essay.txt and luna_pinyin.dict.yaml (Debian librime-data). */
      rimeDataDir: z.string().min(1).default('/usr/share/rime-data'),
      /** Zinnia's shared library, a path or a name for the system loader. */
      zinniaLibrary: z.string().min(1).default(process.platform === 'win32' ? 'zinnia.dll' : 'libzinnia.so.0'),
      /** Zinnia model (Debian tegaki-zinnia-simplified-chinese). */
      zinniaModel: z.string().min(1).default('/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model'),
      /**
       * Further Zinnia models whose answers are fused with the primary's (README "Input engines"); one that
       * is missing is left out with a warning. Default: Tegaki's Japanese model (Debian
       * tegaki-zinnia-japanese), its kanji mapped to Simplified by OpenCC.
       */
      zinniaExtraModels: z
        .array(z.object({ path: z.string().min(1), script: z.enum(['zh-CN', 'ja']), weight: z.number().gt(0).max(1).optional() }).strict())
        .max(4)
        .default([{ path: '/usr/share/tegaki/models/zinnia/handwriting-ja.model', script: 'ja' }]),
      /**
       * Where the compiled pinyin index is cached (a build takes seconds of CPU; a cached one loads in
       * ~60 ms). Absent: `<dataDir>/ime`. Demo mode shares one cache across its throw-away data folders.
       */
      cacheDir: z.string().min(1).optional(),
      /** Build a missing index in the background at start. Absent: only in `live` mode (a hall kiosk). */
      buildAtStart: z.boolean().optional(),
    })
    .prefault({}),
  /**
   * Speech (ARCHITECTURE.md "One speech service"): the host's engine speaks where the platform has no
   * Chinese voice. `volume` is where each session starts (0–1); the citizen changes it with 音量 − / +.
   */
  voice: z
    .object({
      volume: z.number().min(0).max(1).default(0.8),
      /** `espeak-ng` (Debian package espeak-ng, on the kiosk image) or `none` (captions only). */
      engine: z.enum(['espeak-ng', 'none']).default('espeak-ng'),
      /** The espeak-ng binary; a bare name is looked up on PATH. */
      espeakPath: z.string().min(1).default('espeak-ng'),
      /** espeak-ng voice: `cmn` is Mandarin (Chinese characters read as Putonghua). */
      espeakVoice: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/).default('cmn'),
      /** Words per minute; espeak-ng's own default is 175, a little quick for elderly listeners. */
      rate: z.number().int().min(80).max(300).default(150),
    })
    .prefault({}),
  bridge: z
    .object({
      /** Browser shell port on 127.0.0.1; 0 picks a free one. */
      port: z.number().int().min(0).max(65535).default(0),
    })
    .prefault({}),
});
export type KioskConfig = z.infer<typeof KioskConfig>;
export type KioskConfigInput = z.input<typeof KioskConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid kiosk configuration:\n  ${problems.join('\n  ')}`);
  }
}

export function parseConfig(input: unknown): KioskConfig {
  const parsed = KioskConfig.safeParse(input);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  const config = parsed.data;
  if (!config.central.secret && !config.central.secretFile) throw new ConfigError(['central: set secret or secretFile']);
  return config;
}

export function loadConfigFile(file: string): KioskConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`${file}: ${(error as Error).message}`]);
  }
  return parseConfig(json);
}

export function centralSecret(config: KioskConfig): string {
  return config.central.secret ?? readFileSync(config.central.secretFile ?? '', 'utf8').trim();
}
