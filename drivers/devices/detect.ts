/**
 * Finding an ID-card reader without configuration, and building its transport from a technician's
 * configuration. Probing sends only the read-SAM-ID command (harmless to other SAM readers) and
 * listens for one valid SAM frame; ports configured for other devices must be excluded, since
 * bytes sent to a receipt printer would be printed.
 */
import { SamReportUnpacker } from '../protocols/hid-reports.js';
import { SamFrameDecoder, encodeCommand, parseResponse } from '../protocols/sam-frame.js';
import { parseSamId } from '../protocols/sam-card-data.js';
import { HidTransport, listHidDevices } from '../transports/hid-transport.js';
import type { HidDeviceInfo, HidHandle, HidTarget } from '../transports/hid-transport.js';
import { SerialTransport, listSerialPorts } from '../transports/serial-transport.js';
import type { Transport, TransportFactory } from '../transports/transport.js';
import { TransportError } from '../transports/transport.js';

/** The HID SAM reader seen in the field (DOMAIN.md §2). */
export const KNOWN_HID_READERS: readonly HidTarget[] = [{ vendorId: 0x0400, productId: 0xc35a }];
/** 115200 first: the usual setting; some readers default to 9600. */
export const PROBE_BAUD_RATES: readonly number[] = [115200, 9600];

export type ReaderLocation =
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'hid'; vendorId: number; productId: number; path?: string; reportId?: number };

export interface DetectedReader {
  location: ReaderLocation;
  samId: string;
}

/** A technician's choice: let the kiosk search, or name the port. */
export type IdCardReaderConfig =
  | ({ mode: 'auto' } & DetectOptions)
  | { mode: 'serial'; path: string; baudRate: number }
  | { mode: 'hid'; vendorId: number; productId: number; path?: string; reportId?: number; openDevice?: (target: HidTarget) => Promise<HidHandle> };

export interface DetectOptions {
  /** Serial ports to try besides those the OS lists (e.g. a pty, a port behind a hub that lists late). */
  serialPaths?: readonly string[];
  /** Ports that belong to other devices: never probed. */
  excludePaths?: readonly string[];
  /** Set false to try only `serialPaths`. */
  listSerial?: boolean;
  baudRates?: readonly number[];
  hidReaders?: readonly HidTarget[];
  /** Replaces node-hid enumeration/opening (tests). */
  listHid?: () => Promise<HidDeviceInfo[]>;
  openHid?: (target: HidTarget) => Promise<HidHandle>;
  /** Per port and baud rate. A reader answers read-SAM-ID in a few ms. */
  probeTimeoutMs?: number;
}

/** Opens the transport, asks for the SAM ID, closes. Resolves the SAM ID, or null. Never throws. */
export async function probeSamReader(transport: Transport, timeoutMs = 300): Promise<string | null> {
  try {
    await transport.open();
  } catch {
    return null;
  }
  const decoder = new SamFrameDecoder();
  try {
    return await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      const finish = (value: string | null): void => {
        clearTimeout(timer);
        resolve(value);
      };
      transport.on('close', () => finish(null));
      transport.on('data', (bytes) => {
        for (const output of decoder.push(bytes)) {
          if (output.kind !== 'frame') continue;
          const response = parseResponse(output.body);
          const samId = response?.status === 'success' ? parseSamId(response.data) : null;
          if (samId) finish(samId.text);
        }
      });
      transport.write(encodeCommand('readSamId')).catch(() => finish(null));
    });
  } finally {
    await transport.close().catch(() => undefined);
  }
}

/** Tries HID readers first (no ambiguity), then every serial port at each baud rate. Null when none answers. */
export async function detectIdCardReader(options: DetectOptions = {}): Promise<DetectedReader | null> {
  const timeout = options.probeTimeoutMs ?? 300;
  const hidReaders = options.hidReaders ?? KNOWN_HID_READERS;
  const hidDevices = await (options.listHid ?? listHidDevices)().catch(() => []);
  for (const device of hidDevices) {
    if (!hidReaders.some((known) => known.vendorId === device.vendorId && known.productId === device.productId)) continue;
    const target: HidTarget = { vendorId: device.vendorId, productId: device.productId, ...(device.path ? { path: device.path } : {}) };
    const transport = new HidTransport({ ...target, unpacker: new SamReportUnpacker(), ...(options.openHid ? { openDevice: options.openHid } : {}) });
    const samId = await probeSamReader(transport, timeout);
    if (samId) return { location: { kind: 'hid', ...target }, samId };
  }
  const excluded = new Set(options.excludePaths ?? []);
  const listed = options.listSerial === false ? [] : (await listSerialPorts().catch(() => [])).map((port) => port.path);
  const paths = [...new Set([...(options.serialPaths ?? []), ...listed])].filter((path) => !excluded.has(path));
  for (const path of paths) {
    for (const baudRate of options.baudRates ?? PROBE_BAUD_RATES) {
      const samId = await probeSamReader(new SerialTransport({ path, baudRate }), timeout);
      if (samId) return { location: { kind: 'serial', path, baudRate }, samId };
    }
  }
  return null;
}

export function transportForLocation(location: ReaderLocation, openHid?: (target: HidTarget) => Promise<HidHandle>): Transport {
  switch (location.kind) {
    case 'serial':
      return new SerialTransport({ path: location.path, baudRate: location.baudRate });
    case 'hid': {
      const { kind: _kind, ...target } = location;
      return new HidTransport({ ...target, unpacker: new SamReportUnpacker(), ...(openHid ? { openDevice: openHid } : {}) });
    }
  }
}

/**
 * The reader's transport factory for a configuration. In auto mode every (re)connect searches
 * again, so a reader moved to another port is found without a restart.
 */
export function idCardReaderTransport(config: IdCardReaderConfig): TransportFactory {
  switch (config.mode) {
    case 'serial':
      return () => new SerialTransport({ path: config.path, baudRate: config.baudRate });
    case 'hid':
      return () =>
        transportForLocation(
          { kind: 'hid', vendorId: config.vendorId, productId: config.productId, ...(config.path ? { path: config.path } : {}), ...(config.reportId ? { reportId: config.reportId } : {}) },
          config.openDevice,
        );
    case 'auto':
      return async () => {
        const found = await detectIdCardReader(config);
        if (!found) throw new TransportError('not-found', 'no ID-card reader answered on any port');
        return transportForLocation(found.location, config.openHid);
      };
  }
}
