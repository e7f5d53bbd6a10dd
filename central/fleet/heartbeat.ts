import type { AlertKind } from '../../contract/central/console.js';
import { mergeSettings, RemoteSettings, type HeartbeatAnswer, type HeartbeatBody } from '../../contract/central/fleet.js';
import type { DeviceStatus } from '../../contract/domain.js';
import type { CentralData, ConfigLayerRecord, HeartbeatWrite, TerminalFleetContext } from '../store/store.js';

/**
 * What central makes of one heartbeat (issue 13): the terminal's state and the alerts it calls for, the
 * audit anchor check, and the answer (desired out-of-service state, the configuration when the kiosk
 * runs another version, pending one-shot commands). Pure: the batcher (fleet/batcher.ts) reads the
 * context and stores the result in one transaction per batch.
 */

/** The clock may drift this far from central's before a technician is asked to look (signatures allow ±5 min). */
export const CLOCK_SKEW_ALERT_MS = 60_000;
/** Free disk below this: the outbox may soon refuse applications. */
export const DISK_LOW_BYTES = 500 * 1024 * 1024;
/** An application unsent this long (or one needing staff) is stuck. */
export const OUTBOX_STUCK_SECONDS = 30 * 60;

/** Plain Chinese for the console: what is wrong, and what to do. */
export const SILENT_MESSAGE = '终端已超过 3 个心跳周期没有消息（可能断电、断网或主机故障），请联系大厅现场人员查看';

const DEVICE_NAMES: Record<DeviceStatus['kind'], string> = {
  'id-card-reader': '身份证阅读器',
  'qr-scanner': '扫码器',
  'receipt-printer': '凭条打印机',
  'document-printer': '文书（A4）打印机',
};

const FAULT_STATES = new Set<DeviceStatus['state']>(['offline', 'powerOff', 'noDevice', 'hardwareError']);

/** The configuration central holds for a terminal: its layers merged (master → district → hall → terminal). */
export function effectiveConfig(layers: ConfigLayerRecord[]): { version: number | null; settings: RemoteSettings } {
  if (layers.length === 0) return { version: null, settings: {} };
  const settings = mergeSettings(...layers.map((layer) => RemoteSettings.parse(JSON.parse(layer.settings))));
  return { version: Math.max(...layers.map((layer) => layer.version)), settings };
}

/** The layers of `layers` that apply to this terminal. */
export function layersOf(layers: ConfigLayerRecord[], context: { terminalId: string; district: string; hall: string }): ConfigLayerRecord[] {
  return layers.filter(
    (layer) =>
      layer.scope === 'master' ||
      (layer.scope === 'district' && layer.scopeId === context.district) ||
      (layer.scope === 'hall' && layer.scopeId === context.hall) ||
      (layer.scope === 'terminal' && layer.scopeId === context.terminalId),
  );
}

/** The alerts a heartbeat calls for (everything but `silent`, which the sweep raises). */
export function alertsOf(body: HeartbeatBody, auditProblem: string | null, configVersion: number | null): Array<{ kind: AlertKind; message: string }> {
  const alerts: Array<{ kind: AlertKind; message: string }> = [];
  if (body.outOfService) alerts.push({ kind: 'out-of-service', message: `终端暂停服务：${body.outOfService.message}` });
  const paperOut = body.devices.filter((device) => device.paper === 'out' || device.detail === 'paper-out');
  if (paperOut.length > 0) alerts.push({ kind: 'paper-out', message: `${paperOut.map((device) => DEVICE_NAMES[device.kind]).join('、')}缺纸，请到现场装纸` });
  const paperLow = body.devices.filter((device) => device.paper === 'low' && !paperOut.includes(device));
  if (paperLow.length > 0) alerts.push({ kind: 'paper-low', message: `${paperLow.map((device) => DEVICE_NAMES[device.kind]).join('、')}纸将用完，请备好新纸` });
  const faulty = body.devices.filter((device) => FAULT_STATES.has(device.state) || (device.state === 'userError' && device.detail !== 'paper-out'));
  if (faulty.length > 0) {
    alerts.push({ kind: 'device-fault', message: `${faulty.map((device) => `${DEVICE_NAMES[device.kind]}（${device.detail ?? device.state}）`).join('、')}异常，请派技术人员检查` });
  }
  const failedChecks = body.selfTest?.checks.filter((check) => check.outcome === 'fail') ?? [];
  if (failedChecks.length > 0) alerts.push({ kind: 'self-test-failed', message: `自检未通过：${failedChecks.map((check) => check.summary).join('；')}` });
  if (body.outbox.needsStaff > 0 || (body.outbox.oldestPendingSeconds ?? 0) > OUTBOX_STUCK_SECONDS) {
    alerts.push({
      kind: 'outbox-stuck',
      message:
        body.outbox.needsStaff > 0
          ? `有 ${body.outbox.needsStaff} 件申请无法自动提交，需要工作人员在终端上处理`
          : `有申请超过 ${Math.round(OUTBOX_STUCK_SECONDS / 60)} 分钟未能送达中心，请检查终端网络`,
    });
  }
  if (body.clockOffsetMs !== null && Math.abs(body.clockOffsetMs) > CLOCK_SKEW_ALERT_MS) {
    alerts.push({ kind: 'clock-skew', message: `终端时钟与中心相差 ${Math.round(body.clockOffsetMs / 1000)} 秒，请校准时间同步` });
  }
  if (body.diskFreeBytes !== null && body.diskFreeBytes < DISK_LOW_BYTES) {
    alerts.push({ kind: 'disk-low', message: `终端磁盘剩余 ${Math.round(body.diskFreeBytes / 1024 / 1024)} MB，请清理或更换存储` });
  }
  if (body.config.rejected && (configVersion === null || body.config.rejected.version >= configVersion)) {
    alerts.push({ kind: 'config-rejected', message: `终端未能应用配置版本 ${body.config.rejected.version}，已恢复上一版：${body.config.rejected.reason}` });
  }
  if (auditProblem) alerts.push({ kind: 'audit-truncated', message: auditProblem });
  return alerts;
}

/**
 * Checks the kiosk's audit chain against the head central anchored before: a chain now shorter than
 * the anchor, or holding another entry at the anchored sequence, lost its tail (truncated, or cut and
 * regrown). Answers the problem in plain Chinese, or null.
 */
export function auditProblemOf(audit: HeartbeatBody['audit'], anchor: TerminalFleetContext['anchor']): string | null {
  if (!audit.intact) return '终端审计记录校验失败（记录被改动），请保全现场并联系安全管理员';
  if (!anchor) return null;
  if (audit.sequence < anchor.sequence) return `终端审计记录比中心已锚定的第 ${anchor.sequence} 条还短（已被截断），请保全现场并联系安全管理员`;
  if (audit.anchor && audit.anchor.sequence === anchor.sequence && audit.anchor.mac !== anchor.mac) {
    return `终端审计记录第 ${anchor.sequence} 条与中心锚定的不同（被截断后重写），请保全现场并联系安全管理员`;
  }
  return null;
}

export interface DecidedHeartbeat {
  write: HeartbeatWrite;
  answer: HeartbeatAnswer;
}

/** Decides how to store a heartbeat and what to answer, from central's context of the terminal. */
export function decideHeartbeat(
  terminalId: string,
  body: HeartbeatBody,
  receivedAtMs: number,
  context: TerminalFleetContext,
  layers: ConfigLayerRecord[],
): DecidedHeartbeat {
  const config = effectiveConfig(layersOf(layers, { terminalId, district: body.terminal.divisionCode, hall: body.terminal.hallName }));
  const auditProblem = auditProblemOf(body.audit, context.anchor);
  const alerts = alertsOf(body, auditProblem, config.version);
  const state: HeartbeatWrite['state'] = body.outOfService ? 'out-of-service' : alerts.length > 0 ? 'degraded' : 'serving';
  // A chain that failed the check keeps the old anchor, so every later heartbeat is checked against it too.
  const anchor = !auditProblem && body.audit.sequence > 0 ? { sequence: body.audit.sequence, mac: body.audit.mac } : null;
  const reported = new Set(body.commandResults.map((result) => result.id));
  const { screenshot, ...withoutScreenshot } = body;
  const configDue = config.version !== null && config.version !== body.config.appliedVersion && config.version !== body.config.rejected?.version;
  const anchorSequence = anchor?.sequence ?? context.anchor?.sequence ?? null;
  return {
    write: {
      terminalId,
      receivedAtMs,
      intervalMs: body.intervalSeconds * 1000,
      state,
      district: body.terminal.divisionCode,
      hall: body.terminal.hallName,
      softwareVersion: body.software.version,
      pending: body.outbox.pending,
      needsStaff: body.outbox.needsStaff,
      configVersion: body.config.appliedVersion,
      body: JSON.stringify(withoutScreenshot),
      screenshot: screenshot ? { takenAtMs: Date.parse(screenshot.takenAt) || receivedAtMs, mime: screenshot.mime, data: screenshot.data } : null,
      alerts,
      commandResults: body.commandResults.map((result) => ({ id: result.id, outcome: result.outcome, note: result.note, atMs: Date.parse(result.at) || receivedAtMs })),
      anchor,
      note: alerts.map((alert) => alert.message).join('；'),
    },
    answer: {
      outOfService: context.outOfService ? { message: context.outOfService.message } : null,
      config: configDue && config.version !== null ? { version: config.version, settings: config.settings } : null,
      commands: context.pendingCommands
        .filter((command) => !reported.has(command.id))
        .map((command) => ({ id: command.id, kind: command.kind as HeartbeatAnswer['commands'][number]['kind'], issuedAt: new Date(command.issuedAtMs).toISOString(), issuedBy: command.issuedBy })),
      auditAnchor: anchorSequence ? { sequence: anchorSequence } : null,
    },
  };
}

/** Reads the context, decides and stores a batch of heartbeats, in the caller's transaction; unknown terminals get null. */
export async function storeHeartbeats(tx: CentralData, items: Array<{ terminalId: string; body: HeartbeatBody; receivedAtMs: number }>): Promise<Array<HeartbeatAnswer | null>> {
  const contexts = await tx.fleet.contexts([...new Set(items.map((item) => item.terminalId))]);
  const layers = await tx.config.forTerminals(items.map((item) => ({ terminalId: item.terminalId, district: item.body.terminal.divisionCode, hall: item.body.terminal.hallName })));
  const decided = items.map((item) => {
    const context = contexts.get(item.terminalId);
    return context ? decideHeartbeat(item.terminalId, item.body, item.receivedAtMs, context, layers) : null;
  });
  // One lock order for every batch, in every process: rows are updated sorted by terminal id.
  const writes = decided.flatMap((entry) => (entry ? [entry.write] : [])).sort((a, b) => (a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : a.receivedAtMs - b.receivedAtMs));
  await tx.fleet.store(writes);
  return decided.map((entry) => entry?.answer ?? null);
}
