import type { KioskConfig } from '../config.js';
import { hashIdCard, type StaffAccount } from './staff-auth.js';

/**
 * Demo mode's accounts, documented in the README's demo section. Their PINs are public, so they are
 * used only when the kiosk runs in demo mode with no accounts configured; a live kiosk without
 * accounts simply has no staff sign-in.
 */
/**
 * 刷身份证登录 in demo mode (issue 12): the public card key the demo accounts' `idCardHash` is made under. Like
 * the demo PINs it is published (README), so it is used only where the demo accounts are.
 */
export const DEMO_STAFF_CARD_KEY = 'demo-staff-card-key-not-for-halls';

/** The ID number on the demo deck's staff card (drivers/simulators/id-card-deck.ts, 周*明), account 0001's. */
export const DEMO_STAFF_CARD_NUMBER = '370902198706052112';

export const DEMO_STAFF: readonly StaffAccount[] = [
  // PIN 246810; the deck's card 周*明（演示工作人员） is this account's
  { number: '0001', name: '演示工作人员', role: 'staff', pinHash: 'scrypt$16384$8$1$LPe2d+H3iOI+1LZK8hiTKA==$YNX8eHmiqodo7IQQRl/vr4nz7Ise+Y6BhAUfp2WRglg=', idCardHash: hashIdCard(DEMO_STAFF_CARD_NUMBER, DEMO_STAFF_CARD_KEY) },
  // PIN 135790
  { number: '9001', name: '演示运维人员', role: 'technician', pinHash: 'scrypt$16384$8$1$+itqxti4ZWX7K49GI2eITA==$nVJ+u6xkVR1u3/i1QXXzh8oS51u8JCPKTI0RGYIzPfo=' },
];

export function staffAccounts(config: KioskConfig): readonly StaffAccount[] {
  return config.staff.length === 0 && config.mode === 'demo' ? DEMO_STAFF : config.staff;
}

/**
 * The key the accounts' `idCardHash` are checked under: the configured `staffCardKey`, or the demo key where the
 * demo accounts are used; null (no card sign-in) otherwise.
 */
export function staffCardKey(config: KioskConfig): string | null {
  if (config.staffCardKey) return config.staffCardKey;
  return config.staff.length === 0 && config.mode === 'demo' ? DEMO_STAFF_CARD_KEY : null;
}
