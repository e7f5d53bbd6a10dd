/**
 * Demo mode devices: the real device code over an in-memory link to a simulator, so `npm start`
 * needs neither hardware nor socat. The reader still sees real SAM frames paced at 115200 baud.
 */
import { SamIdCardReader } from '../devices/id-card-reader.js';
import type { IdCardReaderOptions } from '../devices/id-card-reader.js';
import { LineScanner } from '../devices/scanner.js';
import type { ScannerOptions } from '../devices/scanner.js';
import type { IdCardReader, Scanner } from '../devices/types.js';
import { MemoryLink } from '../transports/memory-transport.js';
import type { TransportFactory } from '../transports/transport.js';
import { IdCardSimulator } from './id-card-simulator.js';
import type { IdCardSimulatorOptions } from './id-card-simulator.js';
import { ScannerSimulator } from './scanner-simulator.js';

export interface DemoIdCardReader {
  reader: IdCardReader;
  simulator: IdCardSimulator;
  listCards(): Array<{ id: string; label: string }>;
  placeCard(id: string): boolean;
  removeCard(): boolean;
}

export function createDemoIdCardReader(
  options: { simulator?: IdCardSimulatorOptions; reader?: Omit<IdCardReaderOptions, 'transport'> } = {},
): DemoIdCardReader {
  const simulator = new IdCardSimulator(options.simulator);
  const baudRate = options.simulator?.baudRate === undefined ? 115200 : (options.simulator.baudRate ?? undefined);
  const reader = new SamIdCardReader({
    model: 'SAM ID-card reader (simulated)',
    ...options.reader,
    simulated: true,
    transport: demoIdCardTransport(simulator, baudRate),
  });
  return {
    reader,
    simulator,
    listCards: () => simulator.listCards(),
    placeCard: (id) => simulator.placeCard(id),
    removeCard: () => simulator.removeCard(),
  };
}

/**
 * A fresh in-memory link to the simulator on each (re)connect; also what a technician's "back to the
 * configured reader" means in demo mode. `baudRate` undefined: unpaced.
 */
export function demoIdCardTransport(simulator: IdCardSimulator, baudRate: number | undefined): TransportFactory {
  return async () => {
    const link = new MemoryLink('id-card-demo', baudRate);
    await link.b.open();
    simulator.attach(link.b);
    return link.a;
  };
}

export interface DemoScanner {
  scanner: Scanner;
  simulator: ScannerSimulator;
  /** False while the scanner is not connected. */
  scan(text: string): boolean;
}

export function createDemoScanner(options: { reader?: Omit<ScannerOptions, 'transport'>; baudRate?: number | null } = {}): DemoScanner {
  const simulator = new ScannerSimulator({ baudRate: options.baudRate === undefined ? 9600 : options.baudRate });
  const scanner = new LineScanner({
    model: 'QR scanner (simulated)',
    ...options.reader,
    simulated: true,
    transport: async () => {
      const link = new MemoryLink('scanner-demo');
      await link.b.open();
      simulator.attach(link.b);
      return link.a;
    },
  });
  return { scanner, simulator, scan: (text) => simulator.scan(text) };
}
