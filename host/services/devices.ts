import type { DeviceStatus } from '../../contract/domain.js';
import type { DocumentPrinter, ReceiptPrinter } from '../../drivers/devices/printer-types.js';
import type { IdCardReader, Scanner } from '../../drivers/devices/types.js';

import type { EscPosPrinterSimulator } from '../../drivers/simulators/escpos-printer-simulator.js';
import type { IdCardSimulator } from '../../drivers/simulators/id-card-simulator.js';
import type { ScannerSimulator } from '../../drivers/simulators/scanner-simulator.js';

/** Demo mode's far ends of the device links: a hand at the reader, a phone at the scanner, the paper. */
export interface DemoSimulators {
  idCard: IdCardSimulator | null;
  scanner: ScannerSimulator | null;
  receiptPrinter: EscPosPrinterSimulator | null;
}

/** The devices of this kiosk, however they were found (configured, auto-detected or simulated). */
export interface DeviceSet {
  idCardReader: IdCardReader | null;
  scanner: Scanner | null;
  receiptPrinter: ReceiptPrinter | null;
  documentPrinter: DocumentPrinter | null;
  /** Present in demo mode only. */
  simulators: DemoSimulators | null;
  statuses(): DeviceStatus[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function deviceSet(parts: Omit<DeviceSet, 'statuses' | 'start' | 'stop'>): DeviceSet {
  const all = () => [parts.idCardReader, parts.scanner, parts.receiptPrinter, parts.documentPrinter].filter((device) => device !== null);
  return {
    ...parts,
    statuses: () => all().map((device) => device.status()),
    // Together: a reader probing every serial port must not hold back the printers, nor they it.
    start: async () => {
      await Promise.all(all().map((device) => device.start()));
    },
    stop: async () => {
      for (const device of all()) await device.stop();
    },
  };
}
