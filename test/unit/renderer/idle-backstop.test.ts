import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { IDLE_BACKSTOP_MARGIN_MS, idleExempt, startIdleBackstop, type IdleBackstop } from '../../../renderer/src/composables/idle-backstop.js';
import { useScreenStore, type Screen } from '../../../renderer/src/stores/screen.js';
import { useSessionStore } from '../../../renderer/src/stores/session.js';

/**
 * The window's idle backstop (issue 9 item 3: waiting on the previous citizen's confirm page, it was
 * never wiped), with the kiosk's real exemptions; use-activity.ts feeds it the window's touches.
 */
const IDLE_MS = 30_000;
const SESSION_VIEW = { sessionId: 's-1', serviceId: 'senior-preferential-card', identity: null, identitySource: null, startedAt: new Date(0).toISOString() };

/** Every screen a citizen can be left on, with its parameters. */
const CITIZEN_SCREENS: Screen[] = [
  { name: 'browse', lifeCycle: 'individual', stageId: null },
  { name: 'search' },
  { name: 'guide', serviceId: 'senior-preferential-card' },
  { name: 'identity' },
  { name: 'situation' },
  { name: 'form' },
  { name: 'materials' },
  { name: 'review' },
  { name: 'result' },
  { name: 'rating', caseRef: 'TA20261201000001' },
  { name: 'thanks' },
  { name: 'progress', caseRef: null },
  { name: 'staff-sign-in' },
];

let backstop: IdleBackstop | null = null;

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
});

afterEach(() => {
  backstop?.stop();
  backstop = null;
  vi.useRealTimers();
});

/** Starts the backstop with the kiosk's real exemptions; counts how many times it sent the window home. */
function start(): { idled: () => number; touch: () => void } {
  let count = 0;
  const started = startIdleBackstop({ idleTimeoutMs: () => IDLE_MS, exempt: idleExempt, onIdle: () => count++ });
  backstop = started;
  return { idled: () => count, touch: () => started.activity() };
}

describe('startIdleBackstop', () => {
  it.each(CITIZEN_SCREENS.map((screen) => [screen.name, screen] as const))('sends %s home when nobody touches it for the idle timeout', async (_name, where) => {
    const screen = useScreenStore();
    const { idled } = start();
    screen.go(where);
    await nextTick();
    vi.advanceTimersByTime(IDLE_MS + IDLE_BACKSTOP_MARGIN_MS - 2_000);
    expect(idled()).toBe(0);
    vi.advanceTimersByTime(3_000);
    expect(idled()).toBe(1);
  });

  it('sends the confirm page home even with no session left on the host (the previous citizen’s page)', async () => {
    const screen = useScreenStore();
    screen.go({ name: 'review' });
    const { idled } = start();
    await nextTick();
    vi.advanceTimersByTime(IDLE_MS + IDLE_BACKSTOP_MARGIN_MS + 1_000);
    expect(idled()).toBe(1);
  });

  it('waits again after a touch', async () => {
    const screen = useScreenStore();
    useSessionStore().view = SESSION_VIEW;
    const { idled, touch } = start();
    screen.go({ name: 'form' });
    await nextTick();
    vi.advanceTimersByTime(IDLE_MS);
    touch();
    vi.advanceTimersByTime(IDLE_MS);
    expect(idled()).toBe(0);
    vi.advanceTimersByTime(IDLE_BACKSTOP_MARGIN_MS + 1_000);
    expect(idled()).toBe(1);
  });

  it('counts a screen that changes by itself (a card read) as activity', async () => {
    const screen = useScreenStore();
    const { idled } = start();
    screen.go({ name: 'identity' });
    await nextTick();
    vi.advanceTimersByTime(IDLE_MS);
    screen.go({ name: 'situation' });
    await nextTick();
    vi.advanceTimersByTime(IDLE_MS);
    expect(idled()).toBe(0);
    vi.advanceTimersByTime(IDLE_BACKSTOP_MARGIN_MS + 1_000);
    expect(idled()).toBe(1);
  });

  it('leaves an empty home screen and the staff screens alone, but not home while someone’s card is held', async () => {
    const screen = useScreenStore();
    const { idled } = start();
    vi.advanceTimersByTime(3 * IDLE_MS);
    expect(idled()).toBe(0);
    screen.go({ name: 'technician' });
    await nextTick();
    vi.advanceTimersByTime(3 * IDLE_MS);
    expect(idled()).toBe(0);
    screen.home();
    useSessionStore().view = SESSION_VIEW;
    await nextTick();
    vi.advanceTimersByTime(IDLE_MS + IDLE_BACKSTOP_MARGIN_MS + 1_000);
    expect(idled()).toBe(1);
  });
});
