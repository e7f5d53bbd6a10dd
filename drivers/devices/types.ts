import type { DeviceStatus, IdentityCard } from '../../contract/domain.js';

/**
 * Device interfaces the host composes. Every device:
 * - reports status in the one vocabulary of DeviceStatus (XFS4IoT-style) and emits `status` on change;
 * - resolves expected outcomes (no card, paper out) as values and never throws for them;
 * - survives unplug/replug by itself: `start()` once, then it reconnects without the host's help;
 * - `stop()` releases the port and cancels pending commands; after it, no event fires.
 *
 * What happens when (drivers/devices/id-card-reader.ts and scanner.ts keep this):
 * - start(): resolves after the first connection attempt, whether a device was found or not
 *   (status then says `online`, `noDevice` or `offline`). Calling it twice is harmless.
 * - Unplug: status becomes `noDevice` (detail `disconnected`) within one poll for devices that poll
 *   (ID-card reader); a command in flight resolves as failed, never hangs. The device reopens its
 *   port with capped backoff and returns to `online` by itself.
 * - Timeout: each command has one, sized by the link's wire time; a silent device becomes `offline`
 *   (detail `no-response`) and is reopened. Timeouts never reject a promise the host holds.
 * - Cancel: stop() cancels the command in flight; its events are not delivered.
 */
export interface Device<Events extends { status: DeviceStatus }> {
  readonly id: string;
  status(): DeviceStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
  on<Name extends keyof Events>(event: Name, listener: (payload: Events[Name]) => void): () => void;
}

/** A card read once per placement. The WLT photo is raw bytes: no open decoder exists (DOMAIN.md §2). */
export interface CardRead {
  identity: IdentityCard;
  photoWlt: Uint8Array | null;
  fingerprint: Uint8Array | null;
  /** 追加住址 (CMD 30 PARA 03) when the reader was asked for it and the card has one. */
  appendedAddress?: string;
}

export interface IdCardReaderEvents {
  status: DeviceStatus;
  /** A card was placed and read; fires once per placement (a card left on the reader is not read again). */
  card: CardRead;
  /** The card left the field. */
  'card-removed': Record<string, never>;
  /**
   * A placed card could not be read or is not acceptable. `code` for logs, `message` plain Chinese.
   * Fires at most once per placement (the reader keeps retrying quietly while the card lies there).
   */
  'read-error': { code: string; message: string };
}

export type IdCardReader = Device<IdCardReaderEvents>;

export interface ScannerEvents {
  status: DeviceStatus;
  /** One scanned code (QR or barcode), text as sent by the scanner; a repeat within the debounce window is dropped. */
  scan: { text: string };
}

export type Scanner = Device<ScannerEvents>;
