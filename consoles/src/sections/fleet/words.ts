import type { TerminalState } from '../../../../contract/central/console.js';
import type { DeviceState } from '../../../../contract/domain.js';

/** The fleet section's words for states, commands and times (Beijing time). */
export const STATE_NAMES: Record<TerminalState, string> = { serving: '服务中', degraded: '需关注', 'out-of-service': '暂停服务', silent: '失联' };

export const COMMAND_NAMES = { 'run-self-test': '远程自检', 'restart-host': '重启主机程序', 'fetch-logs': '获取日志' } as const;

export function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '从未';
}

/** XFS4IoT device states (DOMAIN.md §4) in the console's words. */
export const DEVICE_STATES: Record<DeviceState, string> = {
  online: '正常',
  offline: '无响应',
  powerOff: '已断电',
  noDevice: '未连接',
  hardwareError: '故障',
  userError: '需现场处理',
  deviceBusy: '忙',
};
