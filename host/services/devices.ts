import type { DeviceStatus } from '../../contract/domain.js';
import type { DocumentPrinter, ReceiptPrinter } from '../../drivers/devices/printer-types.js';
import type { IdCardReader, Scanner } from '../../drivers/devices/types.js';

/** Demo mode's stand-in for a hand at the reader. */
export interface CardSimulatorControl {
  listCards(): Array<{ id: string; label: string }>;
  placeCard(cardId: string): boolean;
  removeCard(): boolean;
}

/** The devices of this kiosk, however they were found (configured, auto-detected or simulated). */
export interface DeviceSet {
  idCardReader: IdCardReader | null;
  scanner: Scanner | null;
  receiptPrinter: ReceiptPrinter | null;
  documentPrinter: DocumentPrinter | null;
  /** Present in demo mode only. */
  simulator: CardSimulatorControl | null;
  statuses(): DeviceStatus[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function deviceSet(parts: Omit<DeviceSet, 'statuses' | 'start' | 'stop'>): DeviceSet {
  const all = () => [parts.idCardReader, parts.scanner, parts.receiptPrinter, parts.documentPrinter].filter((device) => device !== null);
  return {
    ...parts,
    statuses: () => all().map((device) => device.status()),
    start: async () => {
      for (const device of all()) await device.start();
    },
    stop: async () => {
      for (const device of all()) await device.stop();
    },
  };
}
