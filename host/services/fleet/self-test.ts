import { statfs, stat } from 'node:fs/promises';
import type { SelfTestCheck, SelfTestReport } from '../../../contract/central/fleet.js';
import type { DeviceStatus } from '../../../contract/domain.js';
import { CHINA_OFFSET_MS } from '../../../contract/china-time.js';
import { STATE_TEXT } from '../technician.js';

/**
 * The kiosk's self-test (issue 13): daily at a configured time, at start, on demand from the console or
 * the technician screen. Each check says pass / warn / fail / unknown in plain Chinese. A failure of
 * the reader, the disk, the outbox or the key's protection stops service: the kiosk could not read an
 * identity or keep an application safely, so it goes out of service with a plain notice (and central
 * raises an alert from the heartbeat) until a later self-test passes. Printers, camera, clock and the
 * network only warn: the kiosk still serves (QR instead of a receipt, the outbox keeps applications).
 */
export interface SelfTestSources {
  devices: () => DeviceStatus[];
  /** Whether the window sees a camera; null before it has reported. */
  cameraPresent: () => boolean | null;
  dataDir: string;
  /** Central's clock minus ours, ms (learned by the central client); null when unknown. */
  clockOffsetMs: () => number | null;
  /** A signed request to central: true, or the reason it failed. */
  reachCentral: () => Promise<true | string>;
  /** The outbox answers and its audit chain walks intact; needsStaff items waiting. */
  outboxHealth: () => { readable: boolean; auditIntact: boolean; needsStaff: number };
  /** Where the outbox key is kept: `os-keyring` or `key-file`, and the key file (for its mode). */
  keyProtection: { kind: string; keyFile: string | null };
  now?: () => number;
}

const STOPS_SERVICE = new Set<SelfTestCheck['id']>(['reader', 'sam', 'disk', 'outbox', 'key-protection']);
/** Below this the outbox may soon refuse an application. */
const DISK_FAIL_BYTES = 200 * 1024 * 1024;
const DISK_WARN_BYTES = 1024 * 1024 * 1024;
const CLOCK_WARN_MS = 60_000;

function printerCheck(id: 'receipt-printer' | 'document-printer', name: string, status: DeviceStatus | undefined): SelfTestCheck {
  if (!status) return { id, outcome: 'unknown', summary: `本机未配置${name}` };
  const detail = status.detail ?? status.state;
  if (status.paper === 'out' || status.detail === 'paper-out') return { id, outcome: 'warn', summary: `${name}缺纸`, detail };
  if (status.state !== 'online') return { id, outcome: 'warn', summary: `${name}${STATE_TEXT[status.state]}`, detail };
  if (status.paper === 'low') return { id, outcome: 'warn', summary: `${name}纸将用完`, detail };
  return { id, outcome: 'pass', summary: `${name}正常`, ...(status.paper ? { detail: `paper ${status.paper}` } : {}) };
}

export async function runSelfTest(sources: SelfTestSources, trigger: SelfTestReport['trigger']): Promise<SelfTestReport> {
  const devices = sources.devices();
  const reader = devices.find((device) => device.kind === 'id-card-reader');
  const checks: SelfTestCheck[] = [];

  if (!reader) checks.push({ id: 'reader', outcome: 'fail', summary: '没有身份证阅读器，无法核验身份' });
  else if (reader.state === 'online' || reader.state === 'deviceBusy') checks.push({ id: 'reader', outcome: 'pass', summary: '身份证阅读器正常', ...(reader.port ? { detail: reader.port } : {}) });
  else checks.push({ id: 'reader', outcome: 'fail', summary: `身份证阅读器${STATE_TEXT[reader.state]}`, detail: reader.detail ?? reader.state });

  if (!reader || (reader.state !== 'online' && reader.state !== 'deviceBusy' && !reader.detail?.startsWith('sam'))) checks.push({ id: 'sam', outcome: 'unknown', summary: '阅读器不可用，无法检查安全模块' });
  else if (reader.detail?.startsWith('sam')) checks.push({ id: 'sam', outcome: 'fail', summary: '身份证安全模块（SAM）异常', detail: reader.detail });
  else checks.push({ id: 'sam', outcome: 'pass', summary: '安全模块（SAM）正常', ...(reader.serialNumber ? { detail: `SAM ${reader.serialNumber}` } : {}) });

  checks.push(printerCheck('receipt-printer', '凭条打印机', devices.find((device) => device.kind === 'receipt-printer')));
  checks.push(printerCheck('document-printer', '文书（A4）打印机', devices.find((device) => device.kind === 'document-printer')));

  const camera = sources.cameraPresent();
  checks.push(
    camera === null
      ? { id: 'camera', outcome: 'unknown', summary: '界面尚未报告高拍仪' }
      : camera
        ? { id: 'camera', outcome: 'pass', summary: '高拍仪已连接' }
        : { id: 'camera', outcome: 'warn', summary: '没有找到高拍仪，材料需到窗口补交' },
  );

  try {
    const disk = await statfs(sources.dataDir);
    const free = disk.bavail * disk.bsize;
    const megabytes = `${Math.round(free / 1024 / 1024)} MB free`;
    if (free < DISK_FAIL_BYTES) checks.push({ id: 'disk', outcome: 'fail', summary: '磁盘空间不足，无法保存申请', detail: megabytes });
    else if (free < DISK_WARN_BYTES) checks.push({ id: 'disk', outcome: 'warn', summary: '磁盘空间偏少', detail: megabytes });
    else checks.push({ id: 'disk', outcome: 'pass', summary: '磁盘空间充足', detail: megabytes });
  } catch (error) {
    checks.push({ id: 'disk', outcome: 'fail', summary: '无法读取数据盘', detail: (error as NodeJS.ErrnoException).code ?? 'statfs' });
  }

  const offset = sources.clockOffsetMs();
  if (offset === null) checks.push({ id: 'clock', outcome: 'unknown', summary: '尚未与中心对时' });
  else if (Math.abs(offset) > CLOCK_WARN_MS) checks.push({ id: 'clock', outcome: 'warn', summary: `本机时钟与中心相差 ${Math.round(offset / 1000)} 秒`, detail: `${offset} ms` });
  else checks.push({ id: 'clock', outcome: 'pass', summary: '时钟与中心一致', detail: `${offset} ms` });

  const central = await sources.reachCentral();
  checks.push(central === true ? { id: 'central', outcome: 'pass', summary: '中心服务可以连通' } : { id: 'central', outcome: 'warn', summary: '暂时连不上中心服务，申请会先保存在本机', detail: central.slice(0, 200) });

  const outbox = sources.outboxHealth();
  if (!outbox.readable) checks.push({ id: 'outbox', outcome: 'fail', summary: '本机申请存储无法读写' });
  else if (!outbox.auditIntact) checks.push({ id: 'outbox', outcome: 'fail', summary: '本机审计记录校验失败' });
  else if (outbox.needsStaff > 0) checks.push({ id: 'outbox', outcome: 'warn', summary: `有 ${outbox.needsStaff} 件申请需要工作人员处理` });
  else checks.push({ id: 'outbox', outcome: 'pass', summary: '申请存储与审计记录正常' });

  checks.push(await keyCheck(sources.keyProtection));

  return {
    at: new Date((sources.now ?? Date.now)()).toISOString(),
    trigger,
    checks,
    stopsService: checks.some((check) => check.outcome === 'fail' && STOPS_SERVICE.has(check.id)),
  };
}

async function keyCheck(protection: SelfTestSources['keyProtection']): Promise<SelfTestCheck> {
  if (protection.kind === 'os-keyring') return { id: 'key-protection', outcome: 'pass', summary: '数据密钥由系统密钥库保护', detail: 'os-keyring' };
  if (!protection.keyFile) return { id: 'key-protection', outcome: 'fail', summary: '找不到数据密钥' };
  try {
    const mode = (await stat(protection.keyFile)).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      return { id: 'key-protection', outcome: 'fail', summary: '数据密钥文件的权限过宽，其他用户可读', detail: `mode ${mode.toString(8)}` };
    }
    return { id: 'key-protection', outcome: 'pass', summary: '数据密钥文件仅本机终端用户可读', detail: `key-file mode ${mode.toString(8)}` };
  } catch {
    return { id: 'key-protection', outcome: 'fail', summary: '找不到数据密钥' };
  }
}

/** Ms from `now` until the next `HH:MM` Beijing time (the daily self-test). */
export function untilNextDaily(at: string, now: number): number {
  const minute = Number(at.slice(0, 2)) * 60 + Number(at.slice(3, 5));
  const local = now + CHINA_OFFSET_MS;
  const dayStart = local - (local % 86_400_000);
  let next = dayStart + minute * 60_000;
  if (next <= local) next += 86_400_000;
  return next - local;
}
