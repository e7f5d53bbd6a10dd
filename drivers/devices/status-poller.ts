/**
 * A device's status loop: `refresh` now, then again `intervalMs` after each refresh settles (never two at
 * once, so a slow answer cannot pile polls up), until `stop`. A refresh still in flight at `stop` finishes
 * but schedules nothing more.
 */
export class StatusPoller {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly refresh: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  /** Resolves after the first refresh, so a caller starts with a known status. */
  async start(): Promise<void> {
    this.stop();
    this.stopped = false;
    await this.refresh();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule());
    }, this.intervalMs);
  }
}
