import type { OutOfServiceReason } from '../../../contract/central/fleet.js';

/**
 * Why this kiosk takes no citizens now, if it does not: a storage fault (the outbox could not keep a
 * promise), a self-test failure that stops service, or out of service set from the console. Each
 * reason is set and cleared on its own; the citizen sees one message, the most serious first
 * (storage, then self-test, then the console's own words), and the UI is told at each change.
 */
const PRIORITY: OutOfServiceReason[] = ['storage', 'self-test', 'remote'];

export class ServiceState {
  private readonly reasons = new Map<OutOfServiceReason, string>();

  /** `onChange` gets the message to show, or null when the kiosk serves again. */
  constructor(private readonly onChange: (message: string | null) => void) {}

  /** Sets (message) or clears (null) one reason; tells the UI when what it shows changes. */
  set(reason: OutOfServiceReason, message: string | null): void {
    const before = this.message();
    if (message === null) this.reasons.delete(reason);
    else this.reasons.set(reason, message);
    const after = this.message();
    if (after !== before) this.onChange(after);
  }

  has(reason: OutOfServiceReason): boolean {
    return this.reasons.has(reason);
  }

  /** The message citizens see, or null when in service. */
  message(): string | null {
    for (const reason of PRIORITY) {
      const message = this.reasons.get(reason);
      if (message !== undefined) return message;
    }
    return null;
  }

  /** For the heartbeat: every reason in force, and the message shown. */
  report(): { reasons: OutOfServiceReason[]; message: string } | null {
    const message = this.message();
    return message === null ? null : { reasons: PRIORITY.filter((reason) => this.reasons.has(reason)), message };
  }
}
