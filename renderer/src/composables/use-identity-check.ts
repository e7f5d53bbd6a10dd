import { computed } from 'vue';
import type { Service } from '../../../contract/catalog.js';
import { afterFaceAttempt, afterStaffCheck, attemptsLeft, checkOptions, equalOptions, needsIdentityCheck, type CheckOption, type FaceAttemptOutcome } from '../../../contract/identity-assurance.js';
import { kiosk } from '../bridge/client.js';
import { useCatalogStore } from '../stores/catalog.js';
import { useScreenStore } from '../stores/screen.js';
import { useSessionStore } from '../stores/session.js';
import { speak } from './use-voice.js';

/**
 * The 请确认是本人办理 step (issue 14): what it offers and says, from the pure rules in
 * contract/identity-assurance.ts; the host counts and records the same outcomes (it is the authority and
 * refuses a submission without a passed check). The words are plain, with what to do next, and never say
 * why a face check failed or how close it came.
 */

/** Does the service being applied for ask for 人证核验, and has it not passed yet for this identity? */
export function checkStillNeeded(service: Service | null): boolean {
  return service !== null && needsIdentityCheck(service.identityAssurance) && useSessionStore().identityCheck.status !== 'passed';
}

/**
 * The proof a citizen chose on 查询打印 before 人证核验 was asked for (issue 15): after the check they go
 * back to it and it is issued, without choosing again.
 */
let pendingProof: string | null = null;

/** 查询打印 asked for 人证核验 for `kind`: the check screen for its service, then back to the proof. */
export function checkBeforeProof(service: Service, kind: string): void {
  useCatalogStore().current = service;
  pendingProof = kind;
  useScreenStore().go({ name: 'assurance' });
}

/** 读卡查询 on 办件查询 waits for 人证核验 (issue 14): after the check the citizen's cases are listed at once. */
let pendingQuery = false;

/** 办件查询 by card asked for 人证核验 (the host refused the list): the check screen for the query's service. */
export function checkBeforeQuery(service: Service): void {
  useCatalogStore().current = service;
  pendingQuery = true;
  useScreenStore().go({ name: 'assurance' });
}

/** Whether 办件查询 was opened after its 人证核验 (then it lists the cases without another tap); once. */
export function takePendingQuery(): boolean {
  const pending = pendingQuery;
  pendingQuery = false;
  return pending;
}

/** The screen after identity (and its check): the situation questions, or the form; for a proof, 查询打印. */
export function goOnAfterIdentity(): void {
  const service = useCatalogStore().current;
  const screen = useScreenStore();
  if (checkStillNeeded(service)) screen.go({ name: 'assurance' });
  // 代办 (issue 12): the agent is confirmed; now the principal, relationship and authorisation.
  else if (useSessionStore().actingFor && !useSessionStore().agency) screen.go({ name: 'agency' });
  else if (service?.kind === 'proof') {
    const kind = pendingProof;
    pendingProof = null;
    screen.go({ name: 'proofs', lifeCycle: service.lifeCycle, ...(kind ? { kind } : {}) });
  } else if (service?.kind === 'query') screen.go({ name: 'progress', caseRef: null });
  else screen.go({ name: service?.flow?.situations.length ? 'situation' : 'form' });
}

export const CHECK_WORDS = {
  unavailable: '无法核验：本机现在不能刷脸核验。请点“请工作人员核验”，工作人员会到您身边当面核对；也可以到人工窗口办理。',
  retry: (left: number) => `未能确认是本人。请正对屏幕，摘下帽子和口罩，再试一次。还可以再试 ${left} 次。`,
  exhausted: '未能确认是本人。请点“请工作人员核验”，由工作人员当面核对；也可以到人工窗口办理。',
  passed: '核验通过。请点“下一步”继续办理。',
  window: '请带好您的证件到人工窗口办理，工作人员会当面核对您的身份。点“结束办理”清除您在本机的信息。',
  staff: '请向大厅工作人员示意。工作人员到您身边当面核对证件后，会在屏幕上输入工号和密码。',
} as const;

export const OPTION_LABELS: Record<CheckOption, string> = { face: '刷脸核验', staff: '请工作人员核验', window: '到窗口办理' };

export function useIdentityCheck(faceAvailable: () => boolean) {
  const session = useSessionStore();
  const catalog = useCatalogStore();
  const service = computed(() => catalog.current);
  const state = computed(() => session.identityCheck);
  const options = computed(() => (service.value ? checkOptions(service.value.identityAssurance, state.value, faceAvailable()) : []));
  /** The options shown with primary weight (the face check first for card+face; face and staff as equals otherwise). */
  const primary = computed(() => (service.value ? equalOptions(service.value.identityAssurance, options.value) : []));
  /** What the screen says about where the check stands (null before any attempt, with a face check on offer). */
  const outcomeText = computed((): string | null => {
    const current = state.value;
    if (current.status === 'passed') return CHECK_WORDS.passed;
    if (current.status === 'unavailable' || (current.status === 'choosing' && !faceAvailable())) return CHECK_WORDS.unavailable;
    if (current.status === 'not-confirmed') return attemptsLeft(current) > 0 ? CHECK_WORDS.retry(attemptsLeft(current)) : CHECK_WORDS.exhausted;
    return null;
  });

  /** One face attempt's outcome, from the face-check component: the host records it, the screen says it. */
  async function faceOutcome(outcome: FaceAttemptOutcome): Promise<void> {
    session.identityCheck = afterFaceAttempt(session.identityCheck, outcome);
    const recorded = await kiosk().identityFaceOutcome({ outcome });
    // The host is the authority: if it has not recorded a pass, neither does the screen.
    if (recorded.ok && !recorded.value.passed && session.identityCheck.status === 'passed') session.identityCheck = { status: 'not-confirmed', failures: recorded.value.failures };
    if (outcomeText.value) speak(outcomeText.value);
  }

  /** The host recorded 人工核验 under `staffNumber`. */
  function staffConfirmed(): void {
    session.identityCheck = afterStaffCheck(session.identityCheck);
    speak(CHECK_WORDS.passed);
  }

  return { service, state, options, primary, outcomeText, faceOutcome, staffConfirmed };
}
