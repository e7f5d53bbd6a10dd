import { ref } from 'vue';
import type { CaseProgress, MyCases } from '../../../contract/channels.js';
import type { CaseStatus } from '../../../contract/domain.js';
import { CASE_QUERY_SERVICE_ID } from '../../../contract/personal-query.js';
import { kiosk } from '../bridge/client.js';
import { checkBeforeQuery } from './use-identity-check.js';
import { speak } from './use-voice.js';

/** What a case's status says to the citizen; an application stuck on the kiosk says who acts next. */
export function statusLabel(item: Pick<CaseProgress, 'status' | 'needsStaff'>): string {
  return item.needsStaff ? '待提交（需工作人员处理，请到服务台咨询）' : STATUS_LABELS[item.status];
}

export const STATUS_LABELS: Record<CaseStatus, string> = {
  queued: '待提交（网络恢复后本机自动提交）',
  accepted: '已受理，正在审核',
  approved: '已办结（准予办理）',
  rejected: '不予受理',
  completed: '已办结',
};

/**
 * 办件查询, three ways in: a case reference typed on the screen keyboard, a receipt QR read by the
 * scanner (the host turns it into a case reference), or the ID card (every case of its holder).
 */
export function useProgressQuery() {
  /** One case found by its reference. */
  const found = ref<CaseProgress | null>(null);
  /** The card holder's cases (and a notice when only some could be listed); null until the card has been read. */
  const mine = ref<MyCases | null>(null);
  /** Plain Chinese when a query failed. */
  const problem = ref<string | null>(null);
  const busy = ref(false);

  async function lookUp(caseRef: string): Promise<void> {
    const reference = caseRef.trim();
    if (reference.length < 4) return;
    busy.value = true;
    problem.value = null;
    found.value = null;
    const result = await kiosk().caseGetProgress({ caseRef: /^ta\d/i.test(reference) ? reference.toUpperCase() : reference });
    busy.value = false;
    if (result.ok) {
      found.value = result.value;
      speak(`查询结果：${result.value.serviceName}，${statusLabel(result.value)}`);
    } else {
      problem.value = result.error.message;
      speak(result.error.message);
    }
  }

  async function listMine(): Promise<void> {
    busy.value = true;
    problem.value = null;
    const result = await kiosk().caseListMine({});
    busy.value = false;
    if (!result.ok && result.error.code === 'identity-check-needed') {
      // 人证核验 first (issue 14): the list shows every case of the card's holder; back here afterwards.
      const service = await kiosk().catalogGetService({ serviceId: CASE_QUERY_SERVICE_ID });
      if (service.ok) {
        checkBeforeQuery(service.value);
        return;
      }
    }
    if (result.ok) {
      mine.value = result.value;
      const count = result.value.cases.length;
      speak([count > 0 ? `查到您名下${count}件办件，办理状态显示在屏幕上` : '没有查到您名下的办件', result.value.notice ?? ''].join('。'));
    } else {
      problem.value = result.error.message;
      speak(result.error.message);
    }
  }

  return { found, mine, problem, busy, lookUp, listMine };
}
