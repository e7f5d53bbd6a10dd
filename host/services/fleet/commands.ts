import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CommandResult, type FleetCommand } from '../../../contract/central/fleet.js';
import type { Logger } from '../log.js';

/**
 * Runs the one-shot commands central sends in heartbeat answers (self-test, restart, fetch logs), each
 * id once: ids are written to `<dataDir>/fleet-commands.json` before the command runs, so a command
 * that restarts the host (or a host that dies mid-command) is never run twice. Results wait in the same
 * file until a heartbeat carrying them was answered, so they outlive a restart too.
 */
const CommandsFile = z.object({ executed: z.array(z.string()).max(200), unreported: z.array(CommandResult).max(50) });
type CommandsFile = z.infer<typeof CommandsFile>;

/** What a command does; answers a short technical note (never personal data). */
export type CommandHandlers = Record<FleetCommand['kind'], (command: FleetCommand) => Promise<string>>;

export class FleetCommands {
  private readonly file: string;
  private state: CommandsFile;

  constructor(
    dataDir: string,
    private readonly handlers: CommandHandlers,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(dataDir, 'fleet-commands.json');
    this.state = this.load();
  }

  /** Results central has not seen yet, oldest first. */
  unreported(): CommandResult[] {
    return [...this.state.unreported];
  }

  /** Central answered a heartbeat carrying these results. */
  reported(ids: string[]): void {
    const done = new Set(ids);
    this.state = { ...this.state, unreported: this.state.unreported.filter((result) => !done.has(result.id)) };
    this.save();
  }

  /** Runs every command not run before, in order; `beforeRestart` is called for a restart once its result is saved. */
  async run(commands: FleetCommand[]): Promise<void> {
    for (const command of commands) {
      if (this.state.executed.includes(command.id)) continue;
      this.state = { ...this.state, executed: [...this.state.executed, command.id].slice(-200) };
      this.save();
      let result: CommandResult;
      try {
        const note = await this.handlers[command.kind](command);
        result = { id: command.id, outcome: 'done', note: note.slice(0, 200), at: new Date(this.now()).toISOString() };
      } catch (error) {
        result = { id: command.id, outcome: 'failed', note: (error as Error).message.slice(0, 200), at: new Date(this.now()).toISOString() };
      }
      this.log.log('info', 'fleet.command', { id: command.id, kind: command.kind, by: command.issuedBy, outcome: result.outcome, note: result.note });
      this.state = { ...this.state, unreported: [...this.state.unreported, result].slice(-50) };
      this.save();
    }
  }

  private load(): CommandsFile {
    if (!existsSync(this.file)) return { executed: [], unreported: [] };
    try {
      return CommandsFile.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch (error) {
      this.log.log('warn', 'fleet.commands-file-ignored', { error });
      return { executed: [], unreported: [] };
    }
  }

  private save(): void {
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
