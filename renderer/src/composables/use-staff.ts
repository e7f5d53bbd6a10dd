import { watch } from 'vue';
import { kiosk } from '../bridge/client.js';
import { STAFF_SCREENS, useScreenStore } from '../stores/screen.js';
import { useStaffStore } from '../stores/staff.js';

/** How long the hall name must be held to open the sign-in pad: long enough that no citizen does it by chance. */
export const HIDDEN_ENTRY_HOLD_MS = 3_000;

/** The staff member's own screen after sign-in. */
export function staffHome(role: 'staff' | 'technician'): { name: 'technician' } | { name: 'staff-desk' } {
  return role === 'technician' ? { name: 'technician' } : { name: 'staff-desk' };
}

/**
 * The hidden entry: the sign-in pad, or straight back to the staff screen while the host still has
 * someone signed in (the host decides: a stale store never opens a staff screen).
 */
export async function openStaffMode(): Promise<void> {
  const screen = useScreenStore();
  const staff = useStaffStore();
  const current = await kiosk().staffGet({});
  staff.signedIn = current.ok ? current.value : null;
  screen.go(staff.signedIn ? staffHome(staff.signedIn.role) : { name: 'staff-sign-in' });
}

export async function signOutStaff(): Promise<void> {
  await kiosk().staffSignOut({});
  leaveStaffMode();
}

function leaveStaffMode(): void {
  useStaffStore().wipe();
  const screen = useScreenStore();
  if (STAFF_SCREENS.has(screen.name) || screen.name === 'staff-sign-in') screen.home();
}

/**
 * Connects staff mode to the host; called once by the composition root.
 * - Alerts become the badge; an idle or replaced sign-in takes the screen home.
 * - Leaving a staff screen for a citizen screen by any way (结束办理, 返回, a wipe) signs out, so no
 *   staff channel stays open behind the next citizen.
 */
export function connectStaff(): void {
  const api = kiosk();
  const staff = useStaffStore();
  const screen = useScreenStore();
  api.on('staff:alert', (alert) => staff.addAlert(alert));
  api.on('staff:signed-out', () => leaveStaffMode());
  watch(
    () => screen.name,
    (now, before) => {
      if (STAFF_SCREENS.has(before) && !STAFF_SCREENS.has(now) && staff.signedIn) void signOutStaff();
    },
  );
}

/**
 * Press and hold (the hall name) for HIDDEN_ENTRY_HOLD_MS to open staff mode. Lifting the finger,
 * sliding off or a second finger cancels, so a tap, a scroll or a lean on the screen never opens it.
 */
export function useHiddenEntry(): { start: (event: PointerEvent) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const start = (event: PointerEvent): void => {
    if (!event.isPrimary) return cancel();
    cancel();
    timer = setTimeout(() => {
      timer = null;
      void openStaffMode();
    }, HIDDEN_ENTRY_HOLD_MS);
  };
  return { start, cancel };
}
