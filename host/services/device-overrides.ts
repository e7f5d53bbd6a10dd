import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PrinterAssignment, ReaderSetting } from '../../contract/staff.js';
import type { KioskConfig } from '../config.js';

/**
 * What a technician changed on this kiosk, kept in `<dataDir>/device-overrides.json` so it outlives a
 * restart without touching the configuration file (which deployment owns and may overwrite). Read at
 * start-up over the configuration; written whole, through a temporary file and a rename, so a power
 * cut leaves the old file or the new one, never half of one.
 */
export const DeviceOverrides = z.object({
  /** Absent or `configured`: the configuration file decides. */
  idCardReader: ReaderSetting.optional(),
  printers: PrinterAssignment.optional(),
});
export type DeviceOverrides = z.infer<typeof DeviceOverrides>;

export class DeviceOverridesFile {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'device-overrides.json');
  }

  /** The saved overrides; a missing file is none, a damaged one is reported and ignored (the kiosk must start). */
  load(): { overrides: DeviceOverrides; problem: string | null } {
    if (!existsSync(this.file)) return { overrides: {}, problem: null };
    try {
      const parsed = DeviceOverrides.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? { overrides: parsed.data, problem: null } : { overrides: {}, problem: 'invalid' };
    } catch {
      return { overrides: {}, problem: 'unreadable' };
    }
  }

  save(overrides: z.input<typeof DeviceOverrides>): void {
    const valid = DeviceOverrides.parse(overrides);
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }

  update(change: (current: DeviceOverrides) => DeviceOverrides): DeviceOverrides {
    const next = change(this.load().overrides);
    this.save(next);
    return next;
  }
}

/** The configuration the devices are built from at start-up: the file's, with the technician's reader setting over it. */
export function withReaderOverride(config: KioskConfig, setting: ReaderSetting | undefined): KioskConfig {
  if (!setting || setting.kind === 'configured') return config;
  return { ...config, devices: { ...config.devices, idCardReader: setting } };
}
