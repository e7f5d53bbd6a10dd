import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { KioskInfo } from '../../../contract/channels.js';
import type { DeviceStatus, OutboxDepth } from '../../../contract/domain.js';

/** What the whole terminal is doing: who it is, its devices, its queue. */
export const useKioskStore = defineStore('kiosk', () => {
  /** Terminal identity and settings from the host; null until the bridge answers. */
  const info = ref<KioskInfo | null>(null);
  /** Latest status of each device, by device id. */
  const devices = ref<Record<string, DeviceStatus>>({});
  /** Outbox depth and central reachability, for the status badge. */
  const depth = ref<OutboxDepth>({ pending: 0, needsStaff: 0, online: true });
  /** Plain-Chinese reason the terminal cannot serve now (out of service screen), or null. */
  const outOfService = ref<string | null>(null);
  /** A session ended with a card still on the reader: 请取走身份证 until it is lifted. No personal data. */
  const takeCardReminder = ref(false);

  const cardReader = computed(() => Object.values(devices.value).find((device) => device.kind === 'id-card-reader') ?? null);
  const receiptPrinter = computed(() => Object.values(devices.value).find((device) => device.kind === 'receipt-printer') ?? null);

  function setDevice(status: DeviceStatus): void {
    devices.value = { ...devices.value, [status.id]: status };
  }

  /**
   * The host's answer to `kiosk:get-info`, which a window that loads after a storage fault learns it from.
   * A `kiosk:out-of-service` event that arrived while the answer was on its way is newer than the answer's
   * null: a late null must not reopen a kiosk over a broken store. Only the host's own event (after a
   * technician acknowledged the fault) brings it back into service.
   */
  function setInfo(value: KioskInfo): void {
    info.value = value;
    outOfService.value = value.outOfService ?? outOfService.value;
  }

  return { info, devices, depth, outOfService, takeCardReminder, cardReader, receiptPrinter, setDevice, setInfo };
});
