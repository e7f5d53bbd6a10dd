/**
 * Keeps the kiosk window showing the kiosk. Electron tells main when the page's renderer process is gone
 * (`render-process-gone`: crashed, killed, out of memory), when the GPU process is gone
 * (`child-process-gone` with type `GPU`, after which the page may stay white), and when the page stops
 * answering (`unresponsive`). Without a supervisor each of these leaves a white screen in the hall until
 * someone restarts the machine.
 *
 * Each failure reloads the page; `maxFailures` failures within `windowMs` relaunch the whole app instead
 * (a reload that keeps failing will not heal: a fresh process might). Every failure and what was done
 * about it is recorded (main forwards it to the host's audit chain). Pure of Electron: main wires the
 * events and the actions (electron/main.ts), tests drive it directly.
 */
export type WindowFailure = 'render-process-gone' | 'gpu-process-gone' | 'unresponsive';

export interface WindowSupervisorOptions {
  reload(): void;
  /** Ends this app and starts it again. */
  relaunch(): void;
  /** Called before the action, with what happened and what will be done. */
  record(entry: { failure: WindowFailure; detail: string; action: 'reload' | 'relaunch' }): void;
  /** A page that hangs is crashed first, so that the reload gets a fresh renderer process. */
  crashRenderer(): void;
  now?: () => number;
  /** Failures within `windowMs` that relaunch the app (default 3 within 2 minutes). */
  maxFailures?: number;
  windowMs?: number;
}

export class WindowSupervisor {
  private readonly failures: number[] = [];
  private readonly now: () => number;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  /** We crashed a hung renderer ourselves: its render-process-gone is the same failure, not a second one. */
  private crashedByUs = false;
  private relaunching = false;

  constructor(private readonly options: WindowSupervisorOptions) {
    this.now = options.now ?? Date.now;
    this.maxFailures = options.maxFailures ?? 3;
    this.windowMs = options.windowMs ?? 120_000;
  }

  /** `render-process-gone`; `reason` is Electron's (crashed, killed, oom, launch-failed, clean-exit, …). */
  renderProcessGone(reason: string, exitCode: number): void {
    // clean-exit: the renderer was closed on purpose (window closing, app quitting).
    if (reason === 'clean-exit') return;
    if (this.crashedByUs) {
      this.crashedByUs = false;
      return;
    }
    this.fail('render-process-gone', `${reason} (exit ${exitCode})`);
  }

  /** `child-process-gone` of app; only the GPU process concerns the window. */
  childProcessGone(type: string, reason: string): void {
    if (type !== 'GPU' || reason === 'clean-exit') return;
    this.fail('gpu-process-gone', reason);
  }

  /** `unresponsive` of the window: the page has not answered for a while. */
  unresponsive(): void {
    this.crashedByUs = true;
    this.options.crashRenderer();
    this.fail('unresponsive', 'page stopped answering');
  }

  private fail(failure: WindowFailure, detail: string): void {
    if (this.relaunching) return;
    const now = this.now();
    this.failures.push(now);
    while (this.failures.length > 0 && (this.failures[0] ?? 0) <= now - this.windowMs) this.failures.shift();
    if (this.failures.length >= this.maxFailures) {
      this.relaunching = true;
      this.options.record({ failure, detail, action: 'relaunch' });
      this.options.relaunch();
      return;
    }
    this.options.record({ failure, detail, action: 'reload' });
    this.options.reload();
  }
}
