import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { DeviceStatus } from '../../contract/domain.js';
import type { DeviceDetails, ProbeReport, ReaderSetting, TestReadResult } from '../../contract/staff.js';
import { maskIdNumber, maskName } from '../../contract/validators/gb11643.js';
import { KNOWN_HID_READERS, PROBE_BAUD_RATES, probeSamReader } from '../../drivers/devices/detect.js';
import { SamIdCardReader } from '../../drivers/devices/id-card-reader.js';
import type { CardRead } from '../../drivers/devices/types.js';
import { SamReportUnpacker } from '../../drivers/protocols/hid-reports.js';
import { HidTransport, hidDescription, listHidDevices } from '../../drivers/transports/hid-transport.js';
import { SerialTransport, listSerialPorts } from '../../drivers/transports/serial-transport.js';
import type { KioskConfig } from '../config.js';
import { readerTransportFor } from './device-factory.js';
import type { DeviceOverridesFile } from './device-overrides.js';
import type { DeviceSet } from './devices.js';
import type { AuditSink } from './staff-auth.js';
import { scrub } from './log.js';

/**
 * Technician mode's device work (issue 3, "technician actions"): what each device is and how it is
 * reached, a search of every port for an ID-card reader, a test read, and setting the reader's port
 * live. Every change is persisted (DeviceOverridesFile) and audited with the technician's 工号.
 */

// ───────────── test read ─────────────

type Captured = { kind: 'card'; read: CardRead; at: number } | { kind: 'error'; code: string; message: string; at: number };

/**
 * While a technician waits for a test card, the next card (or read error) is theirs: it must not start
 * a citizen session. host/main.ts offers every card here first.
 */
export class CardCapture {
  private waiter: ((captured: Captured) => void) | null = null;

  get active(): boolean {
    return this.waiter !== null;
  }

  /** True when the card was taken for a test read (the caller then does nothing else with it). */
  offerCard(read: CardRead): boolean {
    return this.deliver({ kind: 'card', read, at: performance.now() });
  }

  offerError(code: string, message: string): boolean {
    return this.deliver({ kind: 'error', code, message, at: performance.now() });
  }

  wait(timeoutMs: number): Promise<Captured | null> {
    this.waiter?.({ kind: 'error', code: 'superseded', message: '另一次测试读卡已开始', at: performance.now() });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = (captured) => {
        clearTimeout(timer);
        this.waiter = null;
        resolve(captured);
      };
    });
  }

  private deliver(captured: Captured): boolean {
    if (!this.waiter) return false;
    this.waiter(captured);
    return true;
  }
}

// ───────────── device summaries ─────────────

/** XFS4IoT device states (DOMAIN.md §4) in the technician's words; the self-test says the same. */
export const STATE_TEXT: Record<DeviceStatus['state'], string> = {
  online: '正常',
  offline: '没有响应',
  powerOff: '已断电',
  noDevice: '未连接',
  hardwareError: '故障',
  userError: '需要处理',
  deviceBusy: '忙',
};

const DETAIL_TEXT: Record<string, string> = {
  'paper-out': '缺纸，请装纸',
  'paper-near-end': '纸将用完，请备纸',
  'cover-open': '纸仓盖未关好',
  'cutter-error': '切刀卡住',
  'no-response': '设备没有应答，请检查电源和连线',
  disconnected: '连线已断开',
  'not-found': '各端口均未找到设备',
  'sam-not-authorised': 'SAM 模块未授权',
};

export function deviceSummary(status: DeviceStatus): string {
  const detail = status.detail ? DETAIL_TEXT[status.detail] : undefined;
  if (status.state === 'online') return status.paper === 'low' ? `正常，${DETAIL_TEXT['paper-near-end']}` : '正常';
  return detail ? `${STATE_TEXT[status.state]}：${detail}` : STATE_TEXT[status.state];
}

function describeSetting(setting: ReaderSetting | undefined, config: KioskConfig): string {
  if (setting && setting.kind !== 'configured') return `运维设置：${describeLink(setting)}`;
  return `配置文件：${describeLink(config.devices.idCardReader)}`;
}

function describeLink(link: Exclude<ReaderSetting, { kind: 'configured' }> | KioskConfig['devices']['idCardReader']): string {
  switch (link.kind) {
    case 'auto':
      return '自动查找';
    case 'simulated':
      return '模拟读卡器';
    case 'serial':
      return `串口 ${link.path}@${link.baudRate}`;
    case 'hid':
      return `HID ${hex4(link.vendorId)}:${hex4(link.productId)}`;
  }
}

const hex4 = (value: number): string => value.toString(16).padStart(4, '0');

// ───────────── recent log lines ─────────────

/** Fields a log line may show a technician: technical codes only, never free text about a person. */
const SAFE_FIELDS = ['device', 'code', 'detail', 'channel', 'reason', 'state', 'outcome', 'printer', 'document', 'mode', 'status', 'serviceId', 'keyProtection'];

export function recentLogLines(file: string, count = 40): Array<{ time: string; level: string; event: string; detail: string }> {
  if (!existsSync(file)) return [];
  const size = statSync(file).size;
  const length = Math.min(size, 128 * 1024);
  const buffer = Buffer.alloc(length);
  const handle = openSync(file, 'r');
  try {
    readSync(handle, buffer, 0, length, size - length);
  } finally {
    closeSync(handle);
  }
  const lines = buffer.toString('utf8').split('\n').filter(Boolean).slice(-count);
  return lines.flatMap((line) => {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      const detail = SAFE_FIELDS.flatMap((key) => (typeof record[key] === 'string' || typeof record[key] === 'number' || typeof record[key] === 'boolean' ? [`${key}=${String(record[key])}`] : []));
      return [{ time: String(record.time ?? ''), level: String(record.level ?? ''), event: scrub(String(record.event ?? '')), detail: scrub(detail.join(' ')) }];
    } catch {
      return []; // the first line of the window may be cut in half
    }
  });
}

// ───────────── the service ─────────────

export interface TechnicianOptions {
  config: KioskConfig;
  devices: DeviceSet;
  overrides: DeviceOverridesFile;
  audit: AuditSink;
  capture: CardCapture;
  probeTimeoutMs?: number;
}

export class TechnicianService {
  constructor(private readonly options: TechnicianOptions) {}

  details(): DeviceDetails[] {
    const readerSetting = this.options.overrides.load().overrides.idCardReader;
    return this.options.devices.statuses().map((status) => ({
      ...status,
      setting: status.kind === 'id-card-reader' ? describeSetting(readerSetting, this.options.config) : '配置文件',
      summary: deviceSummary(status),
    }));
  }

  /**
   * Searches for ID-card readers now: HID readers of known vendor/product, then every serial port at
   * each probe baud rate. Never probes a port configured for another device (probe bytes sent to a
   * receipt printer get printed) nor the port the reader holds (it answers for itself). Printers are
   * asked for their status again.
   */
  async probe(): Promise<ProbeReport> {
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const timeout = this.options.probeTimeoutMs ?? 300;
    const { devices, config } = this.options;
    const answers: ProbeReport['answers'] = [];
    const reader = devices.idCardReader?.status();
    const readerPort = reader?.port?.replace(/@\d+$/, '');
    if (reader?.state === 'online') {
      answers.push({ port: reader.simulated ? `simulated (${reader.port ?? ''})` : (reader.port ?? '?'), answered: true, ...(reader.serialNumber ? { samId: reader.serialNumber } : {}), note: 'in-use-by-reader' });
    }

    for (const device of await listHidDevices().catch(() => [])) {
      if (!KNOWN_HID_READERS.some((known) => known.vendorId === device.vendorId && known.productId === device.productId)) continue;
      const target = { vendorId: device.vendorId, productId: device.productId, ...(device.path ? { path: device.path } : {}) };
      const port = hidDescription(target);
      if (port === reader?.port) continue;
      const samId = await probeSamReader(new HidTransport({ ...target, unpacker: new SamReportUnpacker() }), timeout);
      answers.push({ port, answered: samId !== null, ...(samId ? { samId } : { note: 'silent' }) });
    }

    const owners = new Map<string, string>();
    for (const [name, device] of [['scanner', config.devices.scanner], ['receipt-printer', config.devices.receiptPrinter]] as const) {
      if (device.kind === 'serial') owners.set(device.path, `belongs-to-${name}`);
    }
    for (const { path } of await listSerialPorts().catch(() => [])) {
      const owner = owners.get(path);
      if (owner) {
        answers.push({ port: path, answered: false, note: owner });
        continue;
      }
      if (path === readerPort) continue;
      let found: string | null = null;
      for (const baudRate of PROBE_BAUD_RATES) {
        found = await probeSamReader(new SerialTransport({ path, baudRate }), timeout);
        if (found) {
          answers.push({ port: `${path}@${baudRate}`, answered: true, samId: found });
          break;
        }
      }
      if (!found) answers.push({ port: path, answered: false, note: 'silent' });
    }

    const printers: DeviceStatus[] = [];
    if (devices.receiptPrinter) printers.push((await devices.receiptPrinter.checkReady()).status);
    if (devices.documentPrinter) printers.push((await devices.documentPrinter.checkReady()).status);
    return { startedAt, durationMs: Math.round(performance.now() - started), answers, devices: printers };
  }

  /** Waits for one card; the identity comes back masked with the read time, and starts no session. */
  async testRead(timeoutMs: number): Promise<TestReadResult> {
    const reader = this.options.devices.idCardReader;
    const started = performance.now();
    if (!reader) return { outcome: 'no-card', message: '本机没有配置读卡器', totalMs: 0 };
    const cardAlreadyThere = reader.status().media === 'present';
    let busyAt: number | null = null;
    const unsubscribe = reader.on('status', (status) => {
      if (status.state === 'deviceBusy' && busyAt === null) busyAt = performance.now();
    });
    const captured = await this.options.capture.wait(timeoutMs).finally(unsubscribe);
    const totalMs = Math.round(performance.now() - started);
    if (!captured) {
      return {
        outcome: 'no-card',
        message: cardAlreadyThere ? '读卡器上的证件已读过：请拿开证件，再重新放上' : `${Math.round(timeoutMs / 1000)} 秒内没有放上证件`,
        totalMs,
      };
    }
    if (captured.kind === 'error') return { outcome: 'read-error', code: captured.code, message: captured.message, totalMs };
    const { identity } = captured.read;
    return {
      outcome: 'read',
      cardType: identity.cardType,
      nameMasked: maskName(identity.name || identity.englishName || ''),
      idNumberMasked: maskIdNumber(identity.idNumber),
      expired: identity.expired,
      hasPhoto: identity.hasPhoto,
      readMs: busyAt === null ? null : Math.round(captured.at - busyAt),
      totalMs,
    };
  }

  /**
   * Points the reader at another port (or auto-detect, or back to the configuration file) without a
   * restart: persisted first, so what runs is what comes back after a reboot, then applied.
   */
  async configureReader(setting: ReaderSetting, actor: string): Promise<{ ok: true; details: DeviceDetails } | { ok: false; code: string; message: string }> {
    const { devices, config, overrides, audit } = this.options;
    const reader = devices.idCardReader;
    if (!(reader instanceof SamIdCardReader)) return { ok: false, code: 'not-configurable', message: '本机读卡器不支持在线设置，请修改配置文件后重启' };
    const transport = readerTransportFor(setting, config, devices.simulators?.idCard ?? null);
    if (!transport) return { ok: false, code: 'not-configurable', message: '配置文件中没有可用的读卡器设置' };
    overrides.update(({ idCardReader: _previous, ...rest }) => (setting.kind === 'configured' ? rest : { ...rest, idCardReader: setting }));
    const settled = new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(), 2_000);
      // Dropping the old link reports `noDevice` first; wait for the new one to answer (or give up).
      const unsubscribe = reader.on('status', (status) => {
        if (status.state === 'online') finish();
      });
      function finish() {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
    await reader.reconfigure(transport);
    await settled;
    audit.append({ actor, event: 'device.configure', subject: 'id-card-reader', outcome: describeSetting(setting, config) });
    const details = this.details().find((device) => device.kind === 'id-card-reader');
    return details ? { ok: true, details } : { ok: false, code: 'no-device', message: '没有找到读卡器' };
  }
}
