/**
 * The SAM ID-card reader device over any transport (serial, HID, in-memory).
 *
 * Timing it owns:
 * - Card polling: find-card every `pollIntervalMs` (default 10 ms). Public SDKs poll about once a
 *   second, which adds half a second on average between placing a card and reading it; at 115200
 *   baud a find-card round trip is about 2 ms of wire time, so polling fast costs little and keeps
 *   the read within the reader's own read time.
 * - SAM status every `samStatusIntervalMs` (default 5 s).
 * - Per-command timeouts: wire time of request + expected response at the link's speed, plus an
 *   allowance for the reader's own work (`commandTimeoutMs`, and `readTimeoutMs` for card reads).
 * - Reconnect: when the transport closes or cannot open, retry with capped exponential backoff;
 *   after `unresponsiveLimit` silent commands in a row, drop and reopen the link (auto-detect may
 *   then find the reader on another port).
 *
 * Card-absent gating: after a card is read (or rejected) it is latched; it is not read again until
 * the reader has seen no card `removalDebounce` polls in a row. Real readers halt a card after a
 * read, so find-card fails while it still lies there; the device then asks select-card, which
 * still succeeds for a halted card in the field (modelled by the simulator; verify on hardware).
 */
import type { DeviceStatus } from '../../contract/domain.js';
import { identityFromTextBlock } from '../protocols/id-card-identity.js';
import { parseCardPayload, parseSamId } from '../protocols/sam-card-data.js';
import { SamFrameDecoder, encodeCommand, parseResponse } from '../protocols/sam-frame.js';
import type { SamCommandName, SamDecoderOutput, SamResponse } from '../protocols/sam-frame.js';
import type { Transport, TransportFactory } from '../transports/transport.js';
import { TransportError } from '../transports/transport.js';
import { TypedEmitter } from './emitter.js';
import type { DriverLog } from './log.js';
import { silentLog } from './log.js';
import type { Pseudonymizer } from './pseudonym.js';
import { pseudonym as defaultPseudonym } from './pseudonym.js';
import type { CardRead, IdCardReader, IdCardReaderEvents } from './types.js';

export interface IdCardReaderOptions {
  id?: string;
  /** Called on every (re)connect for a fresh, unopened transport. */
  transport: TransportFactory;
  /** For `expired` and status timestamps. */
  clock?: () => Date;
  pollIntervalMs?: number;
  samStatusIntervalMs?: number;
  /** Allowance beyond wire time for ordinary commands. */
  commandTimeoutMs?: number;
  /** Allowance beyond wire time for the card read (RF + SAM work: 0.5–1 s on real readers). */
  readTimeoutMs?: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Consecutive "no card" polls before the card counts as removed. */
  removalDebounce?: number;
  /** Silent commands in a row before the link is dropped and reopened. */
  unresponsiveLimit?: number;
  /** Retries of the card read after a corrupted or missing response. */
  readRetries?: number;
  /** 30 10 instead of 30 01: also read the fingerprint templates. */
  readFingerprint?: boolean;
  /** Also ask for the 追加住址 (30 03) after a read. */
  readAppendedAddress?: boolean;
  model?: string;
  simulated?: boolean;
  log?: DriverLog;
  pseudonymizer?: Pseudonymizer;
}

/** Citizen-facing messages for read failures that are not about the card's data. */
export const READ_ERROR_MESSAGES = {
  'card-moved': '读卡时证件被移动了，请把证件平放在读卡区，办理期间请不要拿开。',
  'read-failed': '证件没有读取成功，请把证件重新平放在读卡区；如多次不成功，请到服务窗口办理。',
  'read-timeout': '证件没有读取成功，请把证件重新平放在读卡区；如多次不成功，请到服务窗口办理。',
  'transmission-error': '证件没有读取成功，请把证件重新平放在读卡区；如多次不成功，请到服务窗口办理。',
  'bad-card-payload': '证件信息没有读完整，请把证件重新平放在读卡区，办理期间请不要拿开。',
} as const;

type ReadErrorCode = keyof typeof READ_ERROR_MESSAGES;

type Exchange =
  | { kind: 'response'; response: SamResponse }
  | { kind: 'timeout' }
  | { kind: 'corrupt' }
  | { kind: 'disconnected' };

/** Response sizes on the wire, for timeouts. */
const EXPECTED_RESPONSE_BYTES: Record<SamCommandName, number> = {
  resetSam: 11, samStatus: 11, readSamId: 27, findCard: 15, selectCard: 19,
  readTextPhoto: 1295, readTextPhotoFingerprint: 2321, readAppendedAddress: 81,
};
const REQUEST_BYTES = 10;

class Stopped extends Error {}

export class SamIdCardReader extends TypedEmitter<IdCardReaderEvents & Record<string, unknown>> implements IdCardReader {
  readonly id: string;
  private readonly options: Required<Omit<IdCardReaderOptions, 'id' | 'transport' | 'model' | 'log' | 'pseudonymizer' | 'clock'>>;
  private readonly clock: () => Date;
  private readonly log: DriverLog;
  private readonly pseudonymizer: Pseudonymizer;
  private transportFactory: TransportFactory;
  private current: DeviceStatus;

  private running = false;
  private loop: Promise<void> | null = null;
  private link: Transport | null = null;
  private wakeSleep: (() => void) | null = null;
  private decoder = new SamFrameDecoder();
  private interByteTimer: NodeJS.Timeout | null = null;
  private waiter: ((exchange: Exchange) => void) | null = null;
  /** The command whose answer is awaited: an answer that cannot be its answer is a stray (see answers()). */
  private expecting: SamCommandName | null = null;

  // Card gating survives reconnects: a card lying on a re-plugged reader is still the same placement.
  private latched = false;
  private latchedDigest: string | null = null;
  private errorReported = false;
  private absentPolls = 0;
  private latchedCheckAt = 0;

  constructor(options: IdCardReaderOptions) {
    super();
    this.id = options.id ?? 'id-card-reader';
    this.transportFactory = options.transport;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? silentLog;
    this.pseudonymizer = options.pseudonymizer ?? defaultPseudonym;
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 10,
      samStatusIntervalMs: options.samStatusIntervalMs ?? 5000,
      commandTimeoutMs: options.commandTimeoutMs ?? 150,
      readTimeoutMs: options.readTimeoutMs ?? 2000,
      reconnectInitialMs: options.reconnectInitialMs ?? 200,
      reconnectMaxMs: options.reconnectMaxMs ?? 5000,
      removalDebounce: options.removalDebounce ?? 2,
      unresponsiveLimit: options.unresponsiveLimit ?? 3,
      readRetries: options.readRetries ?? 2,
      readFingerprint: options.readFingerprint ?? false,
      readAppendedAddress: options.readAppendedAddress ?? false,
      simulated: options.simulated ?? false,
    };
    this.current = {
      id: this.id,
      kind: 'id-card-reader',
      state: 'offline',
      media: 'unknown',
      model: options.model ?? 'SAM ID-card reader',
      detail: 'not-started',
      simulated: this.options.simulated,
      updatedAt: this.clock().toISOString(),
    };
  }

  status(): DeviceStatus {
    return { ...this.current };
  }

  /** Starts the connect–poll loop; resolves after the first connection attempt (found or not). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    let firstAttempt!: () => void;
    const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
    this.loop = this.run(firstAttempt).catch((error: unknown) => {
      if (!(error instanceof Stopped)) this.log({ level: 'error', device: this.id, code: 'loop-crashed', detail: String(error) });
    });
    await attempted;
  }

  /** Cancels the pending command, closes the port; no event fires after it resolves. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeSleep?.();
    this.resolveWaiter({ kind: 'disconnected' });
    const link = this.link;
    this.link = null;
    await link?.close().catch(() => undefined);
    await this.loop;
    this.clearInterByteTimer();
    this.setStatus({ state: 'offline', media: 'unknown', detail: 'stopped' }, true);
  }

  /** Technician action: use another port (or auto-detect); the current link is dropped and reopened. */
  async reconfigure(transport: TransportFactory): Promise<void> {
    this.transportFactory = transport;
    const link = this.link;
    this.link = null;
    this.resolveWaiter({ kind: 'disconnected' });
    await link?.close().catch(() => undefined);
    this.wakeSleep?.();
  }

  // ─────────── connection loop ───────────

  private async run(firstAttempt: () => void): Promise<void> {
    let backoff = this.options.reconnectInitialMs;
    while (this.running) {
      const link = await this.connect();
      if (!link) {
        firstAttempt();
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.reconnectMaxMs);
        continue;
      }
      backoff = this.options.reconnectInitialMs;
      const identified = await this.identify();
      firstAttempt();
      if (identified) await this.pollCards();
      await this.drop(link);
      if (this.running && !identified) await this.sleep(backoff);
    }
  }

  private async connect(): Promise<Transport | null> {
    let link: Transport;
    try {
      link = await this.transportFactory();
      this.assertRunning();
      await link.open();
    } catch (error) {
      if (error instanceof Stopped) throw error;
      const code = error instanceof TransportError ? error.code : 'open-failed';
      this.setStatus({ state: 'noDevice', media: 'unknown', detail: code });
      this.log({ level: 'debug', device: this.id, code: 'connect-failed', detail: code });
      return null;
    }
    if (!this.running) {
      await link.close();
      return null;
    }
    this.link = link;
    this.decoder.reset();
    link.on('data', (bytes) => this.receive(link, bytes));
    link.on('close', ({ disconnected }) => {
      if (this.link === link) this.link = null;
      this.resolveWaiter({ kind: 'disconnected' });
      this.wakeSleep?.();
      if (disconnected) this.log({ level: 'warn', device: this.id, code: 'disconnected' });
    });
    this.current = { ...this.current, port: link.description };
    return link;
  }

  private async drop(link: Transport): Promise<void> {
    if (this.link === link) this.link = null;
    await link.close().catch(() => undefined);
    this.clearInterByteTimer();
    // A reader that stopped answering stays `offline` (it is there but silent); only a lost link is `noDevice`.
    if (this.running && this.current.state !== 'offline') this.setStatus({ state: 'noDevice', media: 'unknown', detail: 'disconnected' });
  }

  /** SAM ID (serial number, version) and SAM status. False if the reader does not answer. */
  private async identify(): Promise<boolean> {
    for (let attempt = 0; attempt < this.options.unresponsiveLimit; attempt++) {
      const answer = await this.exchange('readSamId');
      if (answer.kind === 'disconnected') return false;
      if (answer.kind !== 'response' || answer.response.status !== 'success') continue;
      const samId = parseSamId(answer.response.data);
      if (!samId) continue;
      this.current = { ...this.current, serialNumber: samId.text, firmware: `SAM ${samId.version}` };
      await this.checkSam();
      return true;
    }
    this.setStatus({ state: 'offline', media: 'unknown', detail: 'no-response' });
    return false;
  }

  /** Returns false when the SAM cannot read cards now; status says why. */
  private async checkSam(): Promise<boolean> {
    const answer = await this.exchange('samStatus');
    if (answer.kind !== 'response') return this.current.state === 'online';
    const status = answer.response.status;
    if (status === 'success') {
      if (this.current.state !== 'online' && this.current.state !== 'deviceBusy') {
        this.setStatus({ state: 'online', media: this.latched ? 'present' : 'notPresent' });
      }
      return true;
    }
    this.setStatus({ state: 'hardwareError', media: 'unknown', detail: status });
    this.log({ level: 'warn', device: this.id, code: 'sam-status', detail: status });
    return false;
  }

  // ─────────── polling ───────────

  private async pollCards(): Promise<void> {
    let lastSamCheck = performance.now();
    let silent = 0;
    let samHealthy = this.current.state === 'online';
    while (this.running && this.link) {
      if (!samHealthy || performance.now() - lastSamCheck >= this.options.samStatusIntervalMs) {
        lastSamCheck = performance.now();
        samHealthy = await this.checkSam();
        if (!samHealthy) {
          await this.sleep(Math.min(1000, this.options.samStatusIntervalMs));
          continue;
        }
      }
      const find = await this.exchange('findCard');
      if (find.kind === 'disconnected') return;
      if (find.kind === 'timeout') {
        if (++silent >= this.options.unresponsiveLimit) {
          this.setStatus({ state: 'offline', media: 'unknown', detail: 'no-response' });
          return;
        }
        continue;
      }
      silent = 0;
      if (find.kind === 'response') {
        const status = find.response.status;
        if (status === 'card-found') await this.cardFound();
        else if (status === 'find-card-failed') await this.noCardFound();
        else if (status === 'sam-not-authorised') samHealthy = false;
      }
      await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async cardFound(): Promise<void> {
    this.absentPolls = 0;
    if (this.latched) {
      // Found while latched: either a reader that does not halt cards keeps finding the one already
      // read, or a card was swapped faster than the removal debounce. Read again (at most once a
      // second) and let the digest decide; the same card is not emitted twice.
      if (performance.now() - this.latchedCheckAt < 1000) return;
      this.latchedCheckAt = performance.now();
    }
    await this.readCard();
  }

  private async noCardFound(): Promise<void> {
    if (this.latched) {
      // Halted after the read, or gone? A halted card in the field still answers select-card.
      const select = await this.exchange('selectCard');
      if (select.kind === 'response' && select.response.status === 'success') {
        this.absentPolls = 0;
        return;
      }
      if (select.kind !== 'response') return;
    }
    this.absentPolls++;
    if (this.absentPolls < this.options.removalDebounce) return;
    const wasPresent = this.current.media === 'present' || this.latched;
    this.latched = false;
    this.latchedDigest = null;
    this.errorReported = false;
    if (this.current.state === 'online') this.setStatus({ state: 'online', media: 'notPresent' });
    if (wasPresent) this.emit('card-removed', {});
  }

  private async readCard(): Promise<void> {
    this.setStatus({ state: 'deviceBusy', media: 'present' });
    try {
      const select = await this.exchange('selectCard');
      // The card slid out between find and select: nothing to say yet, the next poll decides.
      if (select.kind !== 'response' || select.response.status !== 'success') return;
      const command: SamCommandName = this.options.readFingerprint ? 'readTextPhotoFingerprint' : 'readTextPhoto';
      let answer: Exchange = { kind: 'timeout' };
      for (let attempt = 0; attempt <= this.options.readRetries; attempt++) {
        answer = await this.exchange(command);
        if (answer.kind === 'response' || answer.kind === 'disconnected') break;
      }
      if (answer.kind === 'disconnected') return;
      if (answer.kind === 'timeout') return this.readFailed('read-timeout');
      if (answer.kind === 'corrupt') return this.readFailed('transmission-error');
      const { status, data } = answer.response;
      if (status === 'read-failed') return this.readFailed('card-moved');
      if (status === 'sam-not-authorised') {
        this.setStatus({ state: 'hardwareError', media: 'present', detail: status });
        return;
      }
      if (status !== 'success') return this.readFailed('read-failed', status);
      const payload = parseCardPayload(data, this.options.readFingerprint);
      if (!payload.ok) return this.readFailed('bad-card-payload', payload.detail);
      await this.cardRead(payload.value.text, payload.value.photo, payload.value.fingerprint);
    } finally {
      if (this.current.state === 'deviceBusy') this.setStatus({ state: 'online', media: 'present' });
    }
  }

  private async cardRead(text: Uint8Array, photo: Uint8Array | null, fingerprint: Uint8Array | null): Promise<void> {
    const digest = this.pseudonymizer(Buffer.from(text).toString('base64'));
    this.latched = true;
    this.latchedCheckAt = performance.now();
    this.absentPolls = 0;
    if (this.latchedDigest === digest) return;
    this.latchedDigest = digest;
    this.errorReported = false;
    const result = identityFromTextBlock(text, { now: this.clock(), hasPhoto: photo !== null });
    if (!result.ok) {
      this.log({ level: 'warn', device: this.id, code: result.code, subject: digest });
      this.emit('read-error', { code: result.code, message: result.message });
      return;
    }
    const read: CardRead = { identity: result.value, photoWlt: photo, fingerprint };
    if (this.options.readAppendedAddress) {
      const appended = await this.exchange('readAppendedAddress');
      if (appended.kind === 'response' && appended.response.status === 'success') {
        read.appendedAddress = new TextDecoder('utf-16le').decode(appended.response.data).replace(/[\s\0]+$/u, '');
      }
    }
    this.log({ level: 'info', device: this.id, code: 'card-read', detail: result.value.cardType, subject: this.pseudonymizer(result.value.idNumber) });
    this.emit('card', read);
  }

  private readFailed(code: ReadErrorCode, detail?: string): void {
    this.log({ level: 'warn', device: this.id, code, ...(detail ? { detail } : {}) });
    // Once per placement: the reader retries on every poll and must not flood the citizen with errors.
    if (this.errorReported) return;
    this.errorReported = true;
    this.emit('read-error', { code, message: READ_ERROR_MESSAGES[code] });
  }

  // ─────────── one command ───────────

  private async exchange(name: SamCommandName): Promise<Exchange> {
    const link = this.link;
    if (!link || !this.running) return { kind: 'disconnected' };
    const bitsPerSecond = link.bitsPerSecond;
    const wire = bitsPerSecond ? ((REQUEST_BYTES + EXPECTED_RESPONSE_BYTES[name]) * 10 * 1000) / bitsPerSecond : 0;
    const allowance = name.startsWith('readText') ? this.options.readTimeoutMs : this.options.commandTimeoutMs;
    const answer = new Promise<Exchange>((resolve) => (this.waiter = resolve));
    this.expecting = name;
    const timer = setTimeout(() => this.resolveWaiter({ kind: 'timeout' }), wire + allowance);
    link.write(encodeCommand(name)).catch(() => this.resolveWaiter({ kind: 'disconnected' }));
    const result = await answer;
    this.expecting = null;
    clearTimeout(timer);
    // A late answer to a timed-out command must not be taken for the answer to the next one.
    if (result.kind === 'timeout' || result.kind === 'corrupt') this.decoder.reset();
    return result;
  }

  private receive(link: Transport, bytes: Uint8Array): void {
    if (link !== this.link) return;
    this.handle(this.decoder.push(bytes));
    this.clearInterByteTimer();
    if (this.decoder.pending > 0) {
      // A partial candidate that stops growing was noise that looked like a preamble: rescan behind it.
      this.interByteTimer = setTimeout(() => {
        this.interByteTimer = null;
        this.handle(this.decoder.flush());
      }, 50);
    }
  }

  private handle(outputs: SamDecoderOutput[]): void {
    for (const output of outputs) {
      if (output.kind === 'frame') {
        const response = parseResponse(output.body);
        if (!response) this.log({ level: 'debug', device: this.id, code: 'short-frame' });
        // A late answer to a command that timed out (the event loop was busy) arrives while the next one
        // waits; taken for its answer, the stream stayed one answer behind and a halted card's "find
        // failed" answered select-card: the card counted as gone and ended the citizen's session.
        else if (this.expecting && !answers(this.expecting, response)) this.log({ level: 'debug', device: this.id, code: 'stray-answer', detail: `${response.status} for ${this.expecting}` });
        else this.resolveWaiter({ kind: 'response', response });
      } else if (output.kind === 'error') {
        this.log({ level: 'debug', device: this.id, code: output.code, detail: output.detail });
        if (output.code === 'bad-checksum') this.resolveWaiter({ kind: 'corrupt' });
      }
    }
  }

  private resolveWaiter(exchange: Exchange): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(exchange);
  }

  private clearInterByteTimer(): void {
    if (this.interByteTimer) clearTimeout(this.interByteTimer);
    this.interByteTimer = null;
  }

  // ─────────── plumbing ───────────

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeSleep === done) this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }

  private assertRunning(): void {
    if (!this.running) throw new Stopped();
  }

  private setStatus(next: Pick<DeviceStatus, 'state' | 'media'> & { detail?: string }, force = false): void {
    if (!this.running && !force) return;
    const { detail: _previousDetail, ...rest } = this.current;
    const candidate: DeviceStatus = { ...rest, state: next.state, media: next.media, ...(next.detail ? { detail: next.detail } : {}) };
    const changed =
      candidate.state !== this.current.state || candidate.media !== this.current.media || candidate.detail !== this.current.detail ||
      candidate.serialNumber !== this.current.serialNumber || candidate.port !== this.current.port;
    if (!changed) return;
    this.current = { ...candidate, updatedAt: this.clock().toISOString() };
    this.emit('status', this.status());
  }
}

/** Statuses any command may be answered with (frame, authorisation and SAM faults). */
const ANY_COMMAND = new Set<string>(['checksum-error', 'length-error', 'command-error', 'unauthorised', 'unknown-error', 'sam-self-test-failed', 'sam-not-authorised', 'unknown-status']);

/**
 * Can `response` be the answer to `command`? The SAM protocol does not echo the command, but each command
 * has its own statuses and, on success, its own data length (DOMAIN.md §2: find 15 bytes, select 19,
 * SAM ID 27, text + photo 1295 …), which tells a stray answer from the awaited one.
 */
export function answers(command: SamCommandName, response: SamResponse): boolean {
  if (ANY_COMMAND.has(response.status)) return true;
  const ok = response.status === 'success';
  switch (command) {
    case 'findCard':
      return response.status === 'card-found' || response.status === 'find-card-failed';
    case 'selectCard':
      return (ok && response.data.length === 8) || response.status === 'select-card-failed';
    case 'samStatus':
    case 'resetSam':
      return ok && response.data.length === 0;
    case 'readSamId':
      return ok && response.data.length === 16;
    case 'readTextPhoto':
    case 'readTextPhotoFingerprint':
      return (ok && response.data.length > 8) || ['read-failed', 'card-failed-to-authenticate-sam', 'sam-failed-to-authenticate-card', 'verify-error', 'unknown-card-type', 'random-number-failed'].includes(response.status);
    case 'readAppendedAddress':
      return (ok && response.data.length > 8) || response.status === 'item-empty' || response.status === 'read-failed';
    default:
      return true;
  }
}

export function createIdCardReader(options: IdCardReaderOptions): SamIdCardReader {
  return new SamIdCardReader(options);
}
