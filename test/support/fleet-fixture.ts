import type { HeartbeatBody } from '../../contract/central/fleet.js';

/** A heartbeat central accepts: a kiosk in 泰山区 with every device online and nothing queued. */
export function sampleHeartbeat(overrides: Partial<HeartbeatBody> = {}): HeartbeatBody {
  const at = new Date().toISOString();
  return {
    sentAt: at,
    intervalSeconds: 60,
    software: { version: '0.1.0', catalogVersion: 'test' },
    terminal: { hallName: '泰安市政务服务中心（测试）', divisionCode: '370902' },
    devices: [
      { id: 'id-card-reader', kind: 'id-card-reader', state: 'online', simulated: true, updatedAt: at },
      { id: 'receipt-printer', kind: 'receipt-printer', state: 'online', paper: 'full', simulated: true, updatedAt: at },
    ],
    cameraPresent: true,
    outbox: { pending: 0, needsStaff: 0, oldestPendingSeconds: null },
    diskFreeBytes: 20 * 1024 ** 3,
    clockOffsetMs: 0,
    lastErrorCode: null,
    outOfService: null,
    hours: { open: true, nextOpening: null },
    sessionActive: false,
    audit: { sequence: 0, mac: '0'.repeat(64), intact: true, anchor: null },
    config: { appliedVersion: null, rejected: null, localOverrides: [] },
    selfTest: null,
    screenshot: null,
    commandResults: [],
    ...overrides,
  };
}
