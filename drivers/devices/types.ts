import type { DeviceStatus, IdentityCard } from '../../contract/domain.js';

/**
 * Device interfaces the host composes. Every device:
 * - reports status in the one vocabulary of DeviceStatus (XFS4IoT-style) and emits `status` on change;
 * - resolves expected outcomes (no card, paper out) as values and never throws for them;
 * - survives unplug/replug by itself: `start()` once, then it reconnects without the host's help;
 * - `stop()` releases the port and cancels pending commands; after it, no event fires.
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
}

export interface IdCardReaderEvents {
  status: DeviceStatus;
  /** A card was placed and read; fires once per placement (a card left on the reader is not read again). */
  card: CardRead;
  /** The card left the field. */
  'card-removed': Record<string, never>;
  /** A placed card could not be read or is not acceptable. `code` for logs, `message` plain Chinese. */
  'read-error': { code: string; message: string };
}

export type IdCardReader = Device<IdCardReaderEvents>;

export interface ScannerEvents {
  status: DeviceStatus;
  /** One scanned code (QR or barcode), text as sent by the scanner. */
  scan: { text: string };
}

export type Scanner = Device<ScannerEvents>;
