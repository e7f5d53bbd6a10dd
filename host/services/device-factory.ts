import { join } from 'node:path';
import type { KioskConfig } from '../config.js';
import type { ReaderSetting } from '../../contract/staff.js';
import { CupsDocumentPrinter } from '../../drivers/devices/document-printer.js';
import { idCardReaderTransport, type IdCardReaderConfig } from '../../drivers/devices/detect.js';
import { createIdCardReader } from '../../drivers/devices/id-card-reader.js';
import type { DriverLog } from '../../drivers/devices/log.js';
import { openSerialByteDuplex } from '../../drivers/devices/receipt-printer-serial.js';
import { EscPosReceiptPrinter } from '../../drivers/devices/receipt-printer.js';
import { createScanner } from '../../drivers/devices/scanner.js';
import { createDemoReceiptPrinter } from '../../drivers/simulators/escpos-printer-simulator.js';
import { createDemoIdCardReader, createDemoScanner, demoIdCardTransport } from '../../drivers/simulators/demo.js';
import type { IdCardSimulator } from '../../drivers/simulators/id-card-simulator.js';
import type { TransportFactory } from '../../drivers/transports/transport.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { deviceSet, type DemoSimulators, type DeviceSet } from './devices.js';
import { FileDocumentPrinter } from './file-document-printer.js';
import type { Logger } from './log.js';

/** Serial ports configured for other devices. */
function otherSerialPaths(config: KioskConfig): string[] {
  const { scanner, receiptPrinter } = config.devices;
  return [scanner, receiptPrinter].flatMap((device) => (device.kind === 'serial' ? [device.path] : []));
}

type ReaderLink = Exclude<KioskConfig['devices']['idCardReader'], { kind: 'simulated' }>;

function readerConfigFor(reader: ReaderLink, config: KioskConfig): IdCardReaderConfig {
  switch (reader.kind) {
    case 'auto':
      // Never probe the printer's or scanner's port: SAM probe bytes sent to a receipt printer get printed.
      return { mode: 'auto', excludePaths: otherSerialPaths(config) };
    case 'serial':
      return { mode: 'serial', path: reader.path, baudRate: reader.baudRate };
    case 'hid':
      return { mode: 'hid', vendorId: reader.vendorId, productId: reader.productId, reportId: reader.reportId };
  }
}

/**
 * The reader's link for a technician's setting, applied live with SamIdCardReader.reconfigure.
 * `configured` means the configuration file's choice (in demo mode: the simulator again).
 */
export function readerTransportFor(setting: ReaderSetting, config: KioskConfig, simulator: IdCardSimulator | null): TransportFactory | null {
  const reader = setting.kind === 'configured' ? config.devices.idCardReader : setting;
  if (reader.kind === 'simulated') return simulator ? demoIdCardTransport(simulator, 115200) : null;
  return idCardReaderTransport(readerConfigFor(reader, config));
}

/**
 * Builds the devices a configuration names. Simulated devices are the real drivers talking the real
 * bytes to simulators over in-memory links, so demo mode runs the same driver code as a hall.
 */
export async function createDevices(config: KioskConfig, log: Logger): Promise<DeviceSet> {
  const driverLog: DriverLog = ({ level, device, code, detail, subject }) => log.log(level, `driver.${code}`, { device, detail, subject });
  const { devices } = config;
  const simulators: DemoSimulators = { idCard: null, scanner: null, receiptPrinter: null };

  let idCardReader = null;
  switch (devices.idCardReader.kind) {
    case 'simulated': {
      const demo = createDemoIdCardReader({ reader: { id: 'id-card-reader', log: driverLog } });
      idCardReader = demo.reader;
      simulators.idCard = demo.simulator;
      break;
    }
    case 'auto':
    case 'serial':
    case 'hid': {
      idCardReader = createIdCardReader({ id: 'id-card-reader', transport: idCardReaderTransport(readerConfigFor(devices.idCardReader, config)), log: driverLog });
      break;
    }
  }

  let scanner = null;
  if (devices.scanner.kind === 'simulated') {
    const demo = createDemoScanner({ reader: { id: 'qr-scanner', log: driverLog } });
    scanner = demo.scanner;
    simulators.scanner = demo.simulator;
  } else if (devices.scanner.kind === 'serial') {
    const { path, baudRate } = devices.scanner;
    scanner = createScanner({ id: 'qr-scanner', transport: () => new SerialTransport({ path, baudRate }), log: driverLog });
  }

  let receiptPrinter = null;
  if (devices.receiptPrinter.kind === 'simulated') {
    const demo = createDemoReceiptPrinter('receipt-printer');
    receiptPrinter = demo.printer;
    simulators.receiptPrinter = demo.simulator;
  }
  else if (devices.receiptPrinter.kind === 'serial') {
    const { path, baudRate } = devices.receiptPrinter;
    receiptPrinter = new EscPosReceiptPrinter({ id: 'receipt-printer', open: () => openSerialByteDuplex(path, baudRate), port: `${path}@${baudRate}` });
  }

  let documentPrinter = null;
  if (devices.documentPrinter.kind === 'cups') documentPrinter = new CupsDocumentPrinter({ id: 'document-printer', queue: devices.documentPrinter.queue });
  else if (devices.documentPrinter.kind === 'file') {
    documentPrinter = new FileDocumentPrinter({ id: 'document-printer', directory: devices.documentPrinter.directory ?? join(config.dataDir, 'printed') });
  }

  const anySimulated = simulators.idCard ?? simulators.scanner ?? simulators.receiptPrinter;
  return deviceSet({ idCardReader, scanner, receiptPrinter, documentPrinter, simulators: anySimulated ? simulators : null });
}
