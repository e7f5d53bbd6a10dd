import { computed, onBeforeUnmount, ref } from 'vue';
import { describeOpening, describeWeek, isOpen, nextOpening } from '../../../contract/operating-hours.js';
import { useKioskStore } from '../stores/kiosk.js';

/**
 * Whether the hall is open now by its configured hours (KioskInfo.operatingHours, which remote
 * configuration may change at any time), re-checked every 20 s: the closed notice comes and goes by
 * itself at the hour. The host decides the same way and refuses new sessions while closed.
 */
export function useOpeningHours() {
  const kioskStore = useKioskStore();
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), 20_000);
  onBeforeUnmount(() => clearInterval(timer));

  const hours = computed(() => kioskStore.info?.operatingHours ?? null);
  const open = computed(() => isOpen(hours.value, now.value));
  return {
    open,
    /** `周一至周五 08:30–12:00、13:30–17:00` */
    week: computed(() => (hours.value ? describeWeek(hours.value) : '')),
    /** `明天（周二）08:30`, or null when no opening is planned in the next 60 days. */
    nextOpening: computed(() => {
      const next = nextOpening(hours.value, now.value);
      return next === null ? null : describeOpening(next, now.value);
    }),
    nearest24h: computed(() => hours.value?.nearest24h ?? null),
  };
}
