import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StaffAlert, StaffView } from '../../../contract/staff.js';

/**
 * Staff and technician mode in the UI: who is signed in and what needs a person. Nothing here is a
 * citizen's personal data (jobs and alerts carry local numbers only); it is wiped on sign-out all the same.
 */
export const useStaffStore = defineStore('staff', () => {
  /** The signed-in staff member or technician; null outside staff mode. */
  const signedIn = ref<StaffView | null>(null);
  /** Latest alerts from the host, newest first (kept short). */
  const alerts = ref<StaffAlert[]>([]);
  /** Alerts that arrived since staff last opened their screen: the badge on the status bar. */
  const unseenAlerts = ref(0);

  function addAlert(alert: StaffAlert): void {
    alerts.value = [alert, ...alerts.value.filter((known) => known.id !== alert.id)].slice(0, 20);
    unseenAlerts.value += 1;
  }

  function wipe(): void {
    signedIn.value = null;
  }

  return { signedIn, alerts, unseenAlerts, addAlert, wipe };
});
