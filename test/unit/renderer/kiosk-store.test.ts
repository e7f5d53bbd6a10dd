import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KioskInfo } from '../../../contract/channels.js';
import { useKioskStore } from '../../../renderer/src/stores/kiosk.js';

const FAULT = '本机存储空间不足或出现故障，暂停服务。请到人工窗口办理，工作人员正在处理。';

function info(outOfService: string | null): KioskInfo {
  return {
    terminalId: 'TA-TEST-0001',
    hallName: '泰安市政务服务中心',
    divisionCode: '370902',
    mode: 'demo',
    version: '0.1.0',
    catalogVersion: 'test',
    idleTimeoutSeconds: 120,
    idleWarningSeconds: 30,
    outOfService,
    operatingHours: null,
    voiceVolume: 0.8,
  };
}

beforeEach(() => setActivePinia(createPinia()));

describe('useKioskStore', () => {
  it('shows out of service from kiosk:get-info when the window loads after the storage fault', () => {
    const kiosk = useKioskStore();
    kiosk.setInfo(info(FAULT));
    expect(kiosk.outOfService).toBe(FAULT);
    expect(kiosk.info?.terminalId).toBe('TA-TEST-0001');
  });

  it('keeps a kiosk:out-of-service event that arrived while the kiosk:get-info answer (null) was on its way', () => {
    const kiosk = useKioskStore();
    kiosk.outOfService = FAULT; // the event, handled before the start-up calls all resolved
    kiosk.setInfo(info(null));
    expect(kiosk.outOfService).toBe(FAULT);
  });

  it('stays in service when the host reports no fault', () => {
    const kiosk = useKioskStore();
    kiosk.setInfo(info(null));
    expect(kiosk.outOfService).toBeNull();
  });
});
