import { defineStore } from 'pinia';
import { z } from 'zod';
import { ref } from 'vue';
import { CONSOLE_PATHS, ConsoleSession } from '../../../contract/central/console.js';
import { consoleApi, hasToken, onSignedOut, setToken } from '../api.js';

/**
 * Who is signed in to the console. Central holds the truth (the token's idle limit, moved on by every
 * user action); the console also signs out by itself after the same idle time without a touch, a key
 * or a click, so an unattended screen does not stay open (DOMAIN.md §7 idle logout, like the kiosk).
 */
export const useSessionStore = defineStore('console-session', () => {
  /** The signed-in account, or null on the sign-in page. */
  const user = ref<ConsoleSession | null>(null);
  /** Why the last sign-in ended, shown on the sign-in page (plain Chinese), or null. */
  const endedBecause = ref<string | null>(null);
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  function armIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    if (!user.value) return;
    idleTimer = setTimeout(() => void signOut('长时间未操作，已自动退出，请重新登录'), user.value.idleSeconds * 1000);
  }

  function activity(): void {
    if (user.value) armIdle();
  }

  async function signIn(staffNumber: string, pin: string): Promise<void> {
    const session = await consoleApi('POST', CONSOLE_PATHS.signIn, ConsoleSession, { staffNumber, pin });
    setToken(session.token ?? null);
    user.value = { ...session, token: undefined };
    endedBecause.value = null;
    armIdle();
  }

  /** A reload of the page keeps the sign-in while central still accepts its token. */
  async function resume(): Promise<void> {
    if (!hasToken()) return;
    try {
      user.value = await consoleApi('GET', CONSOLE_PATHS.me, ConsoleSession);
      armIdle();
    } catch {
      setToken(null);
    }
  }

  async function signOut(reason: string | null = null): Promise<void> {
    if (idleTimer) clearTimeout(idleTimer);
    if (user.value) await consoleApi('POST', CONSOLE_PATHS.signOut, z.null()).catch(() => undefined);
    setToken(null);
    user.value = null;
    endedBecause.value = reason;
  }

  onSignedOut(() => {
    if (idleTimer) clearTimeout(idleTimer);
    user.value = null;
    endedBecause.value = '登录已失效（长时间未操作或已在别处退出），请重新登录';
  });

  return { user, endedBecause, signIn, resume, signOut, activity };
});
