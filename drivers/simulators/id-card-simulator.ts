/**
 * A SAM ID-card reader on the far end of any byte link: it decodes request frames, answers with
 * the real response frames (DOMAIN.md §2) and paces its bytes at the configured baud rate.
 * Put it on one end of a pty pair (via SerialTransport) or of a MemoryLink.
 *
 * Card model: absent → present (idle) → found (20 01) → selected (20 02) → read (30 xx).
 * After a read the card is halted: find-card answers 80 until it leaves the field, as real
 * readers do; select-card still answers 90 while it lies there, which the reader device uses to
 * tell "still there" from "gone". (`haltAfterRead: false` models readers that keep finding it.)
 */
import { performance } from 'node:perf_hooks';
import type { Transport } from '../transports/transport.js';
import { encodeSamId, encodeCardPayload } from '../protocols/sam-card-data.js';
import { SAM_COMMANDS, SamFrameDecoder, encodeResponse, parseRequest } from '../protocols/sam-frame.js';
import type { DeckCard } from './id-card-deck.js';
import { ID_CARD_DECK } from './id-card-deck.js';
import { LinePacer, wireTimeMs } from './line-pacer.js';

export type IdCardFault =
  /** Random bytes (including broken preambles) before every response. */
  | 'garbage'
  /** No answer at all, as if the reader lost power but the cable stayed. */
  | 'silence'
  /** Responses with a wrong checksum byte. */
  | 'corrupt-checksum'
  /** The card is lifted during the read: the read answers 41 and the card is gone. */
  | 'card-lifted'
  /** The SAM answers 66 (not authorised) to status and card commands. */
  | 'sam-not-authorised';

/** `once`: the next response it applies to, then off. */
export type FaultMode = 'off' | 'once' | 'always';

export interface IdCardSimulatorOptions {
  /** Pacing; null delivers at once (unit tests that are not about timing). Default 115200. */
  baudRate?: number | null;
  samId?: string;
  deck?: readonly DeckCard[];
  haltAfterRead?: boolean;
  /** Time the reader "thinks" before answering, per command (RF and SAM work). Default 0: wire-limited. */
  processingMs?: Partial<Record<keyof typeof SAM_COMMANDS, number>>;
  /** Seed for the garbage fault, so a failing test can be replayed. */
  seed?: number;
  /** Deliver each response's last byte on time to the sub-millisecond (see LinePacer); for benchmarks. */
  precisePacing?: boolean;
}

type CardState = 'absent' | 'present' | 'found' | 'selected' | 'read';

/** Request frames kept in `requestLog` (at least this many, at most twice as many). */
export const REQUEST_LOG_LIMIT = 1_000;

const STATUS = {
  success: 0x90, cardFound: 0x9f, itemEmpty: 0x91, checksumError: 0x10, lengthError: 0x11, commandError: 0x21,
  readFailed: 0x41, samNotAuthorised: 0x66, findFailed: 0x80, selectFailed: 0x81,
} as const;

export class IdCardSimulator {
  readonly samId: string;
  private readonly deck: readonly DeckCard[];
  private readonly haltAfterRead: boolean;
  private readonly processingMs: Partial<Record<keyof typeof SAM_COMMANDS, number>>;
  private readonly baudRate: number | null;
  private readonly precisePacing: boolean;
  private transport: Transport | null = null;
  private pacer: LinePacer | null = null;
  private detach: Array<() => void> = [];
  private decoder = new SamFrameDecoder();
  private card: DeckCard | null = null;
  private state: CardState = 'absent';
  private readonly faults = new Map<IdCardFault, FaultMode>();
  private random: number;
  private pendingTimers = new Set<NodeJS.Timeout>();
  /** Bytes received and sent since the last resetCounters(); the benchmark's wire-time denominator. */
  readonly counters = { bytesIn: 0, bytesOut: 0, requests: 0 };
  /**
   * The latest request frames seen, newest last (command, parameter); tests use it to see what the reader
   * did. Bounded (REQUEST_LOG_LIMIT): a reader polls about 100 times a second, so an unbounded log grew by
   * about 0.9 GB a day in demo mode, which halls run all day for training (issue 10, kind 11).
   */
  readonly requestLog: Array<{ command: number; parameter: number; at: number }> = [];

  constructor(options: IdCardSimulatorOptions = {}) {
    this.baudRate = options.baudRate === undefined ? 115200 : options.baudRate;
    this.samId = options.samId ?? '05.01-20230915-0037090001-0000123456';
    this.deck = options.deck ?? ID_CARD_DECK;
    this.haltAfterRead = options.haltAfterRead ?? true;
    this.processingMs = options.processingMs ?? {};
    this.random = options.seed ?? 0x5eed;
    this.precisePacing = options.precisePacing ?? false;
  }

  /** Serve requests arriving on an open transport. One transport at a time. */
  attach(transport: Transport): void {
    this.release();
    this.transport = transport;
    this.decoder = new SamFrameDecoder();
    this.pacer = new LinePacer(this.baudRate, (bytes) => {
      this.counters.bytesOut += bytes.length;
      transport.write(bytes).catch(() => undefined);
    }, this.precisePacing);
    this.detach.push(
      transport.on('data', (bytes) => this.receive(bytes)),
      transport.on('close', () => this.release()),
    );
  }

  /** Stop serving (the cable was pulled at this end). The deck state is kept. */
  release(): void {
    for (const undo of this.detach) undo();
    this.detach = [];
    for (const timer of this.pendingTimers) clearTimeout(timer);
    this.pendingTimers.clear();
    this.pacer?.stop();
    this.pacer = null;
    this.transport = null;
  }

  listCards(): Array<{ id: string; label: string }> {
    return this.deck.map(({ id, label }) => ({ id, label }));
  }

  /** Lays a card on the reader (replacing any card there). False if the id is not in the deck. */
  placeCard(id: string): boolean {
    const card = this.deck.find((entry) => entry.id === id);
    if (!card) return false;
    this.card = card;
    this.state = 'present';
    return true;
  }

  /** Lifts the card. False if there was none. */
  removeCard(): boolean {
    const had = this.card !== null;
    this.card = null;
    this.state = 'absent';
    return had;
  }

  get cardPresent(): boolean {
    return this.card !== null;
  }

  setFault(fault: IdCardFault, mode: FaultMode = 'always'): void {
    if (mode === 'off') this.faults.delete(fault);
    else this.faults.set(fault, mode);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  resetCounters(): void {
    this.counters.bytesIn = 0;
    this.counters.bytesOut = 0;
    this.counters.requests = 0;
    this.requestLog.length = 0;
  }

  private receive(bytes: Uint8Array): void {
    // The last byte of this chunk would reach a real reader one wire time later.
    const arrivedAt = performance.now() + (this.baudRate ? wireTimeMs(bytes.length, this.baudRate) : 0);
    this.counters.bytesIn += bytes.length;
    for (const item of this.decoder.push(bytes)) {
      if (item.kind === 'frame') {
        const request = parseRequest(item.body);
        if (request) this.answer(request.command, request.parameter, arrivedAt);
      } else if (item.kind === 'error') {
        this.respond(encodeResponse(item.code === 'bad-checksum' ? STATUS.checksumError : STATUS.lengthError), arrivedAt, 0);
      }
    }
  }

  private answer(command: number, parameter: number, arrivedAt: number): void {
    this.counters.requests++;
    this.requestLog.push({ command, parameter, at: arrivedAt });
    // Trimmed in batches, so the cost of the shift is paid once per limit's worth of requests.
    if (this.requestLog.length >= REQUEST_LOG_LIMIT * 2) this.requestLog.splice(0, this.requestLog.length - REQUEST_LOG_LIMIT);
    if (this.takeFault('silence')) return;
    const name = commandName(command, parameter);
    const thinking = name ? (this.processingMs[name] ?? 0) : 0;
    const response = name ? this.handle(name) : encodeResponse(STATUS.commandError);
    this.respond(response, arrivedAt, thinking);
  }

  private handle(name: keyof typeof SAM_COMMANDS): Uint8Array {
    const samRefuses = (): boolean => this.takeFault('sam-not-authorised');
    switch (name) {
      case 'resetSam':
        return encodeResponse(STATUS.success);
      case 'samStatus':
        return encodeResponse(samRefuses() ? STATUS.samNotAuthorised : STATUS.success);
      case 'readSamId':
        return encodeResponse(STATUS.success, encodeSamId(this.samId));
      case 'findCard': {
        if (samRefuses()) return encodeResponse(STATUS.samNotAuthorised);
        const findable = this.state === 'present' || this.state === 'found' || this.state === 'selected' || (this.state === 'read' && !this.haltAfterRead);
        if (!findable) return encodeResponse(STATUS.findFailed);
        this.state = 'found';
        return encodeResponse(STATUS.cardFound, new Uint8Array(4));
      }
      case 'selectCard': {
        if (samRefuses()) return encodeResponse(STATUS.samNotAuthorised);
        if (this.state === 'absent' || this.state === 'present') return encodeResponse(STATUS.selectFailed);
        if (this.state === 'found') this.state = 'selected';
        return encodeResponse(STATUS.success, new Uint8Array(8));
      }
      case 'readTextPhoto':
      case 'readTextPhotoFingerprint': {
        if (samRefuses()) return encodeResponse(STATUS.samNotAuthorised);
        const card = this.card;
        if (!card || (this.state !== 'selected' && this.state !== 'read')) return encodeResponse(STATUS.readFailed);
        if (this.takeFault('card-lifted')) {
          this.removeCard();
          return encodeResponse(STATUS.readFailed);
        }
        this.state = 'read';
        const withFingerprint = name === 'readTextPhotoFingerprint';
        const payload = { text: card.textBlock, photo: card.photoWlt, fingerprint: card.fingerprint };
        return encodeResponse(STATUS.success, encodeCardPayload(payload, withFingerprint));
      }
      case 'readAppendedAddress': {
        const card = this.card;
        if (!card || this.state !== 'read') return encodeResponse(STATUS.readFailed);
        if (!card.appendedAddress) return encodeResponse(STATUS.itemEmpty);
        const text = new Uint8Array(70).fill(0x20);
        for (let index = 0; index < 35; index++) {
          const code = index < card.appendedAddress.length ? card.appendedAddress.charCodeAt(index) : 0x20;
          text[index * 2] = code & 0xff;
          text[index * 2 + 1] = code >> 8;
        }
        return encodeResponse(STATUS.success, text);
      }
    }
  }

  private respond(frame: Uint8Array, arrivedAt: number, thinkingMs: number): void {
    let bytes = frame;
    if (this.takeFault('corrupt-checksum')) {
      bytes = frame.slice();
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x5a;
    }
    if (this.takeFault('garbage')) bytes = concat(this.garbage(), bytes);
    const send = (): void => this.pacer?.send(bytes, arrivedAt + thinkingMs);
    if (thinkingMs <= 0) return send();
    const timer = setTimeout(() => {
      this.pendingTimers.delete(timer);
      send();
    }, Math.max(0, arrivedAt + thinkingMs - performance.now()));
    this.pendingTimers.add(timer);
  }

  /** 5–40 bytes of noise that include partial and false preambles, the cases resynchronisation must survive. */
  private garbage(): Uint8Array {
    const length = 5 + (this.next() % 36);
    const bytes = Uint8Array.from({ length }, () => this.next() & 0xff);
    // A broken preamble first (AA AA AA 96 then not 69), so it cannot start a plausible frame.
    bytes.set([0xaa, 0xaa, 0xaa, 0x96, 0x00], 0);
    if (length > 12) bytes.set([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff], length - 9);
    return bytes;
  }

  private next(): number {
    // xorshift32: reproducible noise.
    let state = this.random;
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    this.random = state >>> 0;
    return this.random;
  }

  private takeFault(fault: IdCardFault): boolean {
    const mode = this.faults.get(fault);
    if (!mode) return false;
    if (mode === 'once') this.faults.delete(fault);
    return true;
  }
}

function commandName(command: number, parameter: number): keyof typeof SAM_COMMANDS | null {
  for (const [name, value] of Object.entries(SAM_COMMANDS) as Array<[keyof typeof SAM_COMMANDS, { command: number; parameter: number }]>) {
    if (value.command === command && value.parameter === parameter) return name;
  }
  return null;
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}
