import { computed } from 'vue';
import type { Material } from '../../../contract/catalog.js';
import { chinaDate } from '../../../contract/china-time.js';
import {
  applicableItems,
  checkDraft,
  eligibilityProblems,
  nextQuestion,
  requiredMaterials,
  visibleFields,
  visibleQuestions,
  type DraftProblem,
  type EligibilityProblem,
} from '../../../contract/flow.js';
import { kiosk } from '../bridge/client.js';
import { useApplicationStore } from '../stores/application.js';
import { useCatalogStore } from '../stores/catalog.js';
import { useScreenStore, type ScreenName } from '../stores/screen.js';
import { useSessionStore } from '../stores/session.js';

/**
 * The steps of one self-service application, driven by the shared flow engine (contract/flow.ts):
 * the screens show what the engine says applies, and the host runs the same engine again on submit.
 */
export const STEP_LABELS: Partial<Record<ScreenName, string>> = {
  identity: '核验身份',
  situation: '选择情形',
  form: '填写信息',
  materials: '提供材料',
  review: '确认提交',
  result: '办理结果',
};

/** Today's date in Beijing, for eligibility rules decided on this kiosk's clock (contract/china-time.ts). */
export function todayInChina(): string {
  return chinaDate(Date.now());
}

export function useApplicationFlow() {
  const catalog = useCatalogStore();
  const application = useApplicationStore();
  const screen = useScreenStore();
  const session = useSessionStore();

  const service = computed(() => catalog.current);
  const state = computed(() => ({ answers: application.answers, form: application.form }));
  const questions = computed(() => (service.value ? visibleQuestions(service.value, application.answers) : []));
  const pendingQuestion = computed(() => (service.value ? nextQuestion(service.value, application.answers) : null));
  const fields = computed(() => (service.value ? visibleFields(service.value, state.value) : []));
  const materials = computed<Material[]>(() => (service.value ? requiredMaterials(service.value, state.value) : []));
  /** The single items (事项) the answers so far bring into this 一件事. */
  const items = computed(() => (service.value ? applicableItems(service.value, state.value) : []));
  /** Eligibility rules the card and the answers so far already fail: told now, not after the form. */
  const ineligible = computed<EligibilityProblem[]>(() =>
    // 代办: the principal must be eligible, not the agent (issue 12); nothing is decided before the principal is named.
    service.value && session.applicant ? eligibilityProblems(service.value, session.applicant, application.answers, todayInChina()) : [],
  );

  /** The steps this service needs, in order: a service without situations skips that screen. */
  const steps = computed<ScreenName[]>(() => {
    const list: ScreenName[] = ['identity'];
    if (service.value?.flow?.situations.length) list.push('situation');
    list.push('form');
    if (materials.value.length > 0) list.push('materials');
    list.push('review', 'result');
    return list;
  });

  function goNext(from: ScreenName): void {
    const index = steps.value.indexOf(from);
    const next = steps.value[index + 1];
    if (next) screen.go({ name: next } as never);
  }

  function answer(questionId: string, value: string): void {
    // Changing an earlier answer drops later answers that may no longer be asked.
    const order = questions.value.map((question) => question.id);
    const position = order.indexOf(questionId);
    const kept = Object.fromEntries(Object.entries(application.answers).filter(([id]) => order.indexOf(id) < position && order.includes(id)));
    application.answers = { ...kept, [questionId]: value };
  }

  /** Checks the draft locally (same engine as the host) and returns the problems of the given targets. */
  function problemsFor(prefix: string): DraftProblem[] {
    if (!service.value) return [];
    const checked = checkDraft(service.value, application.draft(service.value.id));
    return checked.ok ? [] : checked.problems.filter((problem) => problem.target.startsWith(prefix));
  }

  async function submit(): Promise<boolean> {
    if (!service.value) return false;
    const delivery = service.value.paperResult ? application.delivery : null;
    const result = await kiosk().applicationSubmit({ ...application.draft(service.value.id), ...(delivery ? { delivery } : {}) });
    if (!result.ok) {
      application.problems = [{ target: 'service', message: result.error.message }];
      return false;
    }
    application.problems = [];
    application.outcome = result.value;
    screen.goOneWay({ name: 'result' });
    return true;
  }

  return { service, questions, pendingQuestion, fields, materials, items, ineligible, steps, goNext, answer, problemsFor, submit };
}
