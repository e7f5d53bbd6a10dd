import { fail, ok, type Result } from '../../contract/result.js';
import type { StorageFaultView } from '../../contract/staff.js';
import type { Logger } from './log.js';
import { checkOutboxFile, inodeOf, type OutboxDamage } from './outbox-integrity.js';
import type { StaffAlerts } from './staff-alerts.js';
import type { AuditSink } from './staff-auth.js';
import { StorageFaultFile } from './storage-fault.js';

/** What citizens read while the store cannot keep "已提交": what happened, and where to go instead. */
export const STORAGE_DAMAGED_MESSAGE = '本机存储出现故障，暂停服务。请到人工窗口办理，工作人员正在处理。';
export const STORAGE_FULL_MESSAGE = '本机存储空间不足或出现故障，暂停服务。请到人工窗口办理，工作人员正在处理。';

export interface StorageHealthOptions {
  dataDir: string;
  outboxFile: string;
  log: Logger;
  alerts: StaffAlerts;
  audit: AuditSink;
  /** The kiosk goes out of service with this message, or back into service (null). */
  onOutOfService: (message: string | null) => void;
}

/**
 * Whether the kiosk may take applications, as far as its storage goes (issue 10, kind 2). Damage found at
 * start (outbox-integrity.ts), by the periodic check of the outbox file, or a damaged key file takes it
 * out of service with a staff alert, and keeps it so across restarts (storage-fault.json) until a
 * technician acknowledges it; a full disk takes it out of service until then too.
 */
export class StorageHealth {
  private readonly faults: StorageFaultFile;
  private current: string | null = null;
  private inode: number | null;
  private lastProblem: string | null = null;

  constructor(private readonly options: StorageHealthOptions) {
    this.faults = new StorageFaultFile(options.dataDir);
    this.inode = inodeOf(options.outboxFile);
    // A fault on record from before this start still holds.
    if (this.faults.load()) this.outOfService(STORAGE_DAMAGED_MESSAGE);
  }

  /** The message citizens see, or null while in service. */
  message(): string | null {
    return this.current;
  }

  /** For the technician's diagnostics: the fault on record. */
  view(): StorageFaultView | null {
    const record = this.faults.load();
    return record ? { since: record.since, problems: record.problems, salvagedRows: record.salvagedRows, unreadableRows: record.unreadableRows, lost: record.lost, setAside: record.setAside } : null;
  }

  /** What openCheckedOutbox found at start. */
  outboxDamaged(damage: OutboxDamage): void {
    this.damaged({ problems: [damage.problem], setAside: damage.setAside, salvagedRows: damage.salvagedRows, unreadableRows: damage.unreadableRows, lost: damage.lost });
  }

  /** The outbox key file was damaged and replaced: what it sealed no longer opens. */
  keyReplaced(setAsideAs: string): void {
    this.damaged({ problems: ['outbox key file damaged: replaced, earlier applications cannot be opened'], setAside: [setAsideAs], salvagedRows: 0, unreadableRows: 0, lost: [] });
  }

  /** The disk refused a write (full, I/O error): nothing was lost, but nothing more can be promised. */
  writeFailed(error: unknown): void {
    this.options.log.log('error', 'storage.failure', { error });
    this.outOfService(STORAGE_FULL_MESSAGE);
  }

  /** The outbox file as it is on disk now (periodic): damaged, deleted or replaced under the host is a fault. */
  check(): string {
    const problem = checkOutboxFile(this.options.outboxFile, this.inode);
    if (problem !== 'ok' && problem !== this.lastProblem) {
      this.lastProblem = problem;
      this.damaged({ problems: [problem], setAside: [], salvagedRows: 0, unreadableRows: 0, lost: [] });
    }
    return problem;
  }

  /**
   * A technician has seen the fault: back in service, audited with their 工号, if the outbox on disk is
   * sound now. A damaged file is salvaged at the next start, so that is what the refusal says to do.
   */
  acknowledge(actor: string): Result<{ acknowledged: boolean }> {
    const problem = checkOutboxFile(this.options.outboxFile, this.inode);
    if (problem !== 'ok') {
      return fail('storage-still-damaged', `本机申请存储仍有故障（${problem}）。请重新启动终端：启动时会自动抢救可读取的申请，然后再确认。`);
    }
    const record = this.faults.load();
    this.faults.clear();
    this.lastProblem = null;
    this.options.audit.append({
      actor,
      event: 'storage.fault-acknowledged',
      outcome: record ? `${record.problems.join(' | ')}; lost ${record.lost.length}, unreadable ${record.unreadableRows}` : 'no fault on record',
    });
    this.options.log.log('info', 'storage.fault-acknowledged', { actor });
    if (this.current) {
      this.current = null;
      this.options.onOutOfService(null);
    }
    return ok({ acknowledged: true });
  }

  private damaged(fault: Omit<StorageFaultView, 'since'>): void {
    this.faults.add(fault);
    this.options.log.log('error', 'storage.damaged', { problems: fault.problems, salvaged: fault.salvagedRows, unreadable: fault.unreadableRows, lost: fault.lost });
    const lost = fault.lost.length > 0 ? `${fault.lost.length} 件已受理申请的记录丢失，已列入“待处理申请”（${fault.lost.slice(0, 5).join('、')}${fault.lost.length > 5 ? ' 等' : ''}）；` : '';
    this.options.alerts.raise(
      'storage-damaged',
      `本机申请存储出现故障，已暂停服务。${lost}可读取的申请已保留并继续提交。请运维人员检查后，在运维界面确认恢复服务。`,
    );
    this.outOfService(STORAGE_DAMAGED_MESSAGE);
  }

  private outOfService(message: string): void {
    if (this.current === message) return;
    // Damage outranks a full disk in what citizens and staff are told; nothing outranks damage.
    if (this.current === STORAGE_DAMAGED_MESSAGE) return;
    this.current = message;
    this.options.onOutOfService(message);
  }
}
