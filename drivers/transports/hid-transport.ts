/**
 * HID transport over node-hid: output is packed into fixed-size reports, input reports go through a
 * ReportUnpacker back into the byte stream (SAM frames for ID-card readers, typed characters for
 * keyboard-wedge scanners). The node-hid handle is opened through `openDevice`, which tests replace
 * with recorded reports (this machine has no HID devices).
 */
import type * as NodeHid from 'node-hid';
import type { ReportUnpacker } from '../protocols/hid-reports.js';
import { packReports } from '../protocols/hid-reports.js';
import { BaseTransport, TransportError } from './transport.js';

/** The part of node-hid's HIDAsync this transport uses. */
export interface HidHandle {
  write(values: number[] | Buffer): Promise<number> | number;
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void> | void;
}

export interface HidTarget {
  vendorId: number;
  productId: number;
  /** hidraw path when several identical devices are attached. */
  path?: string;
}

export interface HidOptions extends HidTarget {
  unpacker: ReportUnpacker;
  /** Bytes of payload per output report. */
  reportSize?: number;
  /**
   * The report ID of a device with numbered reports (1–255), 0 for a device without (the default). With
   * numbered reports every report starts with its ID, in both directions (USB HID 1.11 §5.6; hidapi's
   * hid_read and hid_write): it is prefixed to each output report and stripped from each input report
   * before the unpacker sees the bytes, so a continuation report's ID byte is never taken as frame data.
   */
  reportId?: number;
  openDevice?: (target: HidTarget) => Promise<HidHandle>;
}

export function hidDescription(target: HidTarget): string {
  const hex = (value: number): string => value.toString(16).padStart(4, '0');
  return `hid:${hex(target.vendorId)}:${hex(target.productId)}${target.path ? `@${target.path}` : ''}`;
}

export class HidTransport extends BaseTransport {
  readonly description: string;
  private readonly options: HidOptions;
  private handle: HidHandle | null = null;
  /** Input reports with another report ID than the configured one, dropped; for diagnostics. */
  foreignReports = 0;

  constructor(options: HidOptions) {
    super();
    this.options = options;
    this.description = hidDescription(options);
  }

  protected async openPort(): Promise<void> {
    const open = this.options.openDevice ?? openWithNodeHid;
    let handle: HidHandle;
    try {
      handle = await open(this.options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = /cannot open device|not found|no such/i.test(message) ? 'not-found' : 'open-failed';
      throw new TransportError(code, `cannot open ${this.description}: ${message}`, { cause: error });
    }
    this.handle = handle;
    this.options.unpacker.reset();
    const reportId = this.options.reportId ?? 0;
    handle.on('data', (report) => {
      let payload = new Uint8Array(report);
      if (reportId !== 0) {
        // Another numbered report (a status or feature report some readers send) carries no stream bytes.
        if (payload[0] !== reportId) {
          this.foreignReports++;
          return;
        }
        payload = payload.subarray(1);
      }
      for (const bytes of this.options.unpacker.push(payload)) this.received(bytes);
    });
    // hidapi reports an unplugged device as a read error.
    handle.on('error', () => this.lost());
  }

  protected async writePort(bytes: Uint8Array): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new TransportError('not-open', `${this.description} is not open`);
    for (const report of packReports(bytes, this.options.reportSize ?? 64, this.options.reportId ?? 0)) {
      try {
        await handle.write(Buffer.from(report));
      } catch (error) {
        if (!this.isOpen) throw new TransportError('canceled', `write to ${this.description} canceled`, { cause: error });
        this.lost();
        throw new TransportError('disconnected', `${this.description} disconnected`, { cause: error });
      }
    }
  }

  protected async closePort(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    try {
      await handle?.close();
    } catch {
      // Closing an unplugged device fails; it is released either way.
    }
  }
}

async function openWithNodeHid(target: HidTarget): Promise<HidHandle> {
  const hid = await loadNodeHid();
  return target.path ? hid.HIDAsync.open(target.path) : hid.HIDAsync.open(target.vendorId, target.productId);
}

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  product?: string;
  manufacturer?: string;
  serialNumber?: string;
}

/** Enumerates HID devices; an empty list when none are attached (or node-hid cannot load). */
export async function listHidDevices(): Promise<HidDeviceInfo[]> {
  const hid = await loadNodeHid();
  const devices = await hid.devicesAsync();
  return devices.map((device) => ({
    vendorId: device.vendorId,
    productId: device.productId,
    ...(device.path ? { path: device.path } : {}),
    ...(device.product ? { product: device.product } : {}),
    ...(device.manufacturer ? { manufacturer: device.manufacturer } : {}),
    ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
  }));
}

/** Loaded on first use so a kiosk without a working native build still runs its serial devices. */
async function loadNodeHid(): Promise<typeof NodeHid> {
  const module = (await import('node-hid')) as typeof NodeHid & { default?: typeof NodeHid };
  return module.default ?? module;
}
