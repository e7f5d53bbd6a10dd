import type { KioskConfig } from '../config.js';
import { CupsDocumentPrinter } from '../../drivers/devices/document-printer.js';
import { idCardReaderTransport, type IdCardReaderConfig } from '../../drivers/devices/detect.js';
import { createIdCardReader } from '../../drivers/devices/id-card-reader.js';
import type { DriverLog } from '../../drivers/devices/log.js';
import { openSerialByteDuplex } from '../../drivers/devices/receipt-printer-serial.js';
import { EscPosReceiptPrinter } from '../../drivers/devices/receipt-printer.js';
import { createScanner } from '../../drivers/devices/scanner.js';
import { createDemoReceiptPrinter } from '../../drivers/simulators/escpos-printer-simulator.js';
import { IdCardSimulator } from '../../drivers/simulators/id-card-simulator.js';
import { ScannerSimulator } from '../../drivers/simulators/scanner-simulator.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { MemoryLink } from '../../drivers/transports/memory-transport.js';
import { deviceSet, type DemoSimulators, type DeviceSet } from './devices.js';
import type { Logger } from './log.js';

/** Polling in demo mode: the simulator is in memory, so a relaxed poll keeps two cores free for the UI. */
const DEMO_POLL_MS = 100;

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
      const link = new MemoryLink('id-card', 115200);
      const sim = new IdCardSimulator({ baudRate: 115200 });
      void link.b.open().then(() => sim.attach(link.b));
      let used = false;
      idCardReader = createIdCardReader({
        id: 'id-card-reader',
        // A memory link cannot be reopened: the simulated reader has one life, like the simulator's cable.
        transport: () => {
          if (used) throw new Error('simulated link already used');
          used = true;
          return link.a;
        },
        pollIntervalMs: DEMO_POLL_MS,
        simulated: true,
        model: '模拟读卡器 (SAM)',
        log: driverLog,
      });
      simulators.idCard = sim;
      break;
    }
    case 'auto':
    case 'serial':
    case 'hid': {
      const readerConfig: IdCardReaderConfig =
        devices.idCardReader.kind === 'auto'
          ? { mode: 'auto' }
          : devices.idCardReader.kind === 'serial'
            ? { mode: 'serial', path: devices.idCardReader.path, baudRate: devices.idCardReader.baudRate }
            : { mode: 'hid', vendorId: devices.idCardReader.vendorId, productId: devices.idCardReader.productId };
      idCardReader = createIdCardReader({ id: 'id-card-reader', transport: idCardReaderTransport(readerConfig), log: driverLog });
      break;
    }
  }

  let scanner = null;
  if (devices.scanner.kind === 'simulated') {
    const link = new MemoryLink('scanner', 9600);
    const sim = new ScannerSimulator();
    void link.b.open().then(() => sim.attach(link.b));
    simulators.scanner = sim;
    scanner = createScanner({ id: 'qr-scanner', transport: () => link.a, simulated: true, log: driverLog });
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

  const documentPrinter = devices.documentPrinter.kind === 'cups' ? new CupsDocumentPrinter({ id: 'document-printer', queue: devices.documentPrinter.queue }) : null;

  const anySimulated = simulators.idCard ?? simulators.scanner ?? simulators.receiptPrinter;
  return deviceSet({ idCardReader, scanner, receiptPrinter, documentPrinter, simulators: anySimulated ? simulators : null });
}
