import { randomUUID } from 'node:crypto';
import type { StaffAlert } from '../../contract/staff.js';

/**
 * Things a person in the hall must do something about: a receipt kept for 补打, a printer out of
 * paper, an application that cannot be sent. Each alert is broadcast at once (`staff:alert`, a badge on
 * every screen) and the latest few are kept for the staff screen. Alerts carry no personal data: a
 * local number at most. The lists they point at (pending prints, needs-staff outbox items) are the
 * authority; an alert is only the knock on the door, so the ring may forget old ones.
 */
export class StaffAlerts {
  private readonly recent: StaffAlert[] = [];

  constructor(
    private readonly options: { emit: (alert: StaffAlert) => void; keep?: number; now?: () => Date },
  ) {}

  raise(kind: StaffAlert['kind'], message: string, reference?: string): StaffAlert {
    const alert: StaffAlert = { id: randomUUID(), kind, message, ...(reference ? { reference } : {}), at: (this.options.now?.() ?? new Date()).toISOString() };
    this.recent.unshift(alert);
    this.recent.length = Math.min(this.recent.length, this.options.keep ?? 20);
    this.options.emit(alert);
    return alert;
  }

  /**
   * Raises an alert unless the same kind and message was raised within `quietMs`: for conditions seen on
   * every attempt (a redirecting central, a skewed clock), one knock, not one per retry.
   */
  raiseOnce(kind: StaffAlert['kind'], message: string, quietMs: number, reference?: string): StaffAlert | null {
    const now = (this.options.now?.() ?? new Date()).getTime();
    const recent = this.recent.find((alert) => alert.kind === kind && alert.message === message);
    if (recent && now - Date.parse(recent.at) < quietMs) return null;
    return this.raise(kind, message, reference);
  }

  /** Newest first. */
  list(): StaffAlert[] {
    return [...this.recent];
  }
}

const NOT_PRINTED_BECAUSE: Record<string, string> = {
  'paper-out': '打印机缺纸',
  'cover-open': '纸仓盖未关好',
  offline: '打印机脱机',
  'no-response': '打印机没有响应',
  'no-device': '没有可用的打印机',
  'hardware-error': '打印机故障',
  busy: '打印机忙',
};

/** Staff's words for a job kept after a failed attempt: what, why, and what to do. */
export function printPendingMessage(document: string, reference: string, reason: string): string {
  if (document === 'proof') {
    return `证明未打印（${NOT_PRINTED_BECAUSE[reason] ?? reason}），核验码 ${reference}，已保留。排除故障后，市民仍在办理时本机自动补打一次；市民已拿到手机获取二维码，离开后请在“待补打”中标记已处理。`;
  }
  const what = document === 'receipt' ? '回执' : '文书';
  return `${what}未打印（${NOT_PRINTED_BECAUSE[reason] ?? reason}），编号 ${reference}，已保留。排除故障后请在“待补打”中补打。`;
}
