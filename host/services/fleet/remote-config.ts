import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RemoteSettings } from '../../../contract/central/fleet.js';
import { ConfigError, parseConfig, type KioskConfig } from '../../config.js';
import type { Logger } from '../log.js';
import type { AuditSink } from '../staff-auth.js';

/**
 * Remote configuration on the kiosk (issue 13). Central sends a version and its settings in a
 * heartbeat answer; the kiosk checks them with its own configuration schema (host/config.ts: the
 * settings laid over the configuration file and parsed as one), applies each section live through an
 * applier (session idle times, voice volume, operating hours, printers, central URL, staff accounts,
 * heartbeat and self-test times), keeps the last configuration that applied in
 * `<dataDir>/remote-config.json` (and applies it again at start, offline too), and reports the version
 * in force. When a version fails — the schema refuses it or an applier throws — every section goes back
 * to the last good configuration, the version is reported as rejected with the reason, and it is not
 * tried again. Every outcome is in the audit trail (actor `central`).
 */
export interface Applier {
  /** The RemoteSettings section this applier puts into effect. */
  section: keyof RemoteSettings;
  /** Puts `config` (the effective configuration) and `settings` (central's) into effect; throws a plain reason when it cannot. */
  apply(config: KioskConfig, settings: RemoteSettings): Promise<void> | void;
}

const SavedConfig = z.object({ version: z.number().int().nonnegative(), settings: z.unknown() });

/** The sections of RemoteSettings that are keys of the kiosk's configuration file, laid over it. */
function overlay(base: KioskConfig, settings: RemoteSettings): unknown {
  return {
    ...base,
    ...(settings.session ? { session: { ...base.session, ...settings.session } } : {}),
    ...(settings.voice ? { voice: { ...(base as { voice?: object }).voice, ...settings.voice } } : {}),
    ...(settings.operatingHours !== undefined ? { operatingHours: settings.operatingHours } : {}),
    ...(settings.central?.url ? { central: { ...base.central, url: settings.central.url } } : {}),
    ...(settings.staff ? { staff: settings.staff } : {}),
    ...(settings.fleet ? { fleet: { ...base.fleet, ...settings.fleet } } : {}),
  };
}

export class RemoteConfig {
  private readonly file: string;
  /** The configuration in force: the file's, with the applied remote settings over it. */
  current: KioskConfig;
  private settings: RemoteSettings = {};
  appliedVersion: number | null = null;
  rejected: { version: number; reason: string } | null = null;
  private applying: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: { base: KioskConfig; dataDir: string; appliers: Applier[]; audit: AuditSink; log: Logger; onApplied?: (config: KioskConfig) => void },
  ) {
    this.file = join(options.dataDir, 'remote-config.json');
    this.current = options.base;
  }

  /** Applies the last good configuration kept on disk, if any (at start, before central answers). */
  async start(): Promise<void> {
    if (!existsSync(this.file)) return;
    try {
      const saved = SavedConfig.parse(JSON.parse(readFileSync(this.file, 'utf8')));
      await this.offer(saved.version, saved.settings);
    } catch (error) {
      this.options.log.log('warn', 'remote-config.saved-ignored', { error });
    }
  }

  /** Central's configuration `version`; applied unless it is the one in force or one already rejected. */
  offer(version: number, settings: unknown): Promise<void> {
    this.applying = this.applying.then(() => this.apply(version, settings));
    return this.applying;
  }

  private async apply(version: number, raw: unknown): Promise<void> {
    if (version === this.appliedVersion || version === this.rejected?.version) return;
    const parsed = RemoteSettings.safeParse(raw);
    if (!parsed.success) return this.reject(version, `配置项 ${parsed.error.issues[0]?.path.join('.') ?? ''} 不正确：${parsed.error.issues[0]?.message ?? ''}`);
    let candidate: KioskConfig;
    try {
      candidate = parseConfig(overlay(this.options.base, parsed.data));
    } catch (error) {
      return this.reject(version, error instanceof ConfigError ? error.problems.join('；') : (error as Error).message);
    }
    const applied: Applier[] = [];
    try {
      for (const applier of this.options.appliers) {
        applied.push(applier);
        await applier.apply(candidate, parsed.data);
      }
    } catch (error) {
      // Back to the last good configuration, section by section, in the same order.
      for (const applier of applied) {
        try {
          await applier.apply(this.current, this.settings);
        } catch (restoreError) {
          this.options.log.log('error', 'remote-config.restore-failed', { section: applier.section, error: restoreError });
        }
      }
      return this.reject(version, `${applied.at(-1)?.section ?? ''}: ${(error as Error).message}`);
    }
    this.current = candidate;
    this.settings = parsed.data;
    this.appliedVersion = version;
    this.rejected = null;
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version, settings: parsed.data }), { mode: 0o600 });
    renameSync(temporary, this.file);
    this.options.audit.append({ actor: 'central', event: 'config.applied', outcome: `version ${version}: ${Object.keys(parsed.data).join(', ') || '(none)'}` });
    this.options.log.log('info', 'remote-config.applied', { version });
    this.options.onApplied?.(candidate);
  }

  private reject(version: number, reason: string): void {
    this.rejected = { version, reason: reason.slice(0, 300) };
    this.options.audit.append({ actor: 'central', event: 'config.rejected', outcome: `version ${version}: ${reason}`.slice(0, 300) });
    this.options.log.log('warn', 'remote-config.rejected', { version, reason });
  }
}
