import type { KioskConfig } from '../config.js';
import type { StaffAccount } from './staff-auth.js';

/**
 * Demo mode's accounts, documented in the README's demo section. Their PINs are public, so they are
 * used only when the kiosk runs in demo mode with no accounts configured; a live kiosk without
 * accounts simply has no staff sign-in.
 */
export const DEMO_STAFF: readonly StaffAccount[] = [
  // PIN 246810
  { number: '0001', name: '演示工作人员', role: 'staff', pinHash: 'scrypt$16384$8$1$LPe2d+H3iOI+1LZK8hiTKA==$YNX8eHmiqodo7IQQRl/vr4nz7Ise+Y6BhAUfp2WRglg=' },
  // PIN 135790
  { number: '9001', name: '演示运维人员', role: 'technician', pinHash: 'scrypt$16384$8$1$+itqxti4ZWX7K49GI2eITA==$nVJ+u6xkVR1u3/i1QXXzh8oS51u8JCPKTI0RGYIzPfo=' },
];

export function staffAccounts(config: KioskConfig): readonly StaffAccount[] {
  return config.staff.length === 0 && config.mode === 'demo' ? DEMO_STAFF : config.staff;
}
