import { join } from 'node:path';
import { z } from 'zod';
import { PrinterAssignment, ReaderSetting } from '../../contract/staff.js';
import type { KioskConfig } from '../config.js';
import { readJsonState, writeFileAtomic } from './state-file.js';

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

  /** The saved overrides; a missing file is none, a damaged one (empty, torn, invalid) is reported and ignored: the kiosk must start. */
  load(): { overrides: DeviceOverrides; problem: string | null } {
    const saved = readJsonState(this.file, DeviceOverrides);
    if (saved.problem === 'missing') return { overrides: {}, problem: null };
    return saved.problem ? { overrides: {}, problem: saved.problem } : { overrides: saved.value, problem: null };
  }

  /** Written whole and durably (temporary file, fsync, rename, directory fsync). */
  save(overrides: DeviceOverrides): void {
    writeFileAtomic(this.file, `${JSON.stringify(DeviceOverrides.parse(overrides), null, 2)}\n`);
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
