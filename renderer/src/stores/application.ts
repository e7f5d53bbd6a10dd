import type { DeliveryChoice } from '../../../contract/proofs.js';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ApplicationDraft, FieldValue, MaterialProvision, SubmissionOutcome } from '../../../contract/domain.js';
import type { DraftProblem } from '../../../contract/flow.js';

/** The application being filled in. Personal data: wiped with the session. */
export const useApplicationStore = defineStore('application', () => {
  /** Situation answers (情形引导), question id → option value. */
  const answers = ref<Record<string, string>>({});
  /** Form values, field id → value; prefilled from the card and central. */
  const form = ref<Record<string, FieldValue>>({});
  /** How each required material is supplied. */
  const materials = ref<Record<string, MaterialProvision>>({});
  /** The 告知承诺 signature as a PNG data URL. */
  const signature = ref<string | null>(null);
  /** Problems the flow engine or the host found, shown beside their fields. */
  const problems = ref<DraftProblem[]>([]);
  /** What the host answered on submit. */
  const outcome = ref<SubmissionOutcome | null>(null);
  /** Whether the case of `outcome` has been rated in this session. */
  const rated = ref(false);
  /** How a paper result reaches the applicant (issue 15); null until chosen, or for services without a paper result. */
  const delivery = ref<DeliveryChoice | null>(null);

  const draft = computed(
    () => (serviceId: string): ApplicationDraft => ({
      serviceId,
      answers: answers.value,
      form: form.value,
      materials: materials.value,
      ...(signature.value ? { signature: signature.value } : {}),
    }),
  );

  function problemFor(target: string): string | null {
    return problems.value.find((problem) => problem.target === target)?.message ?? null;
  }

  function wipe(): void {
    answers.value = {};
    form.value = {};
    materials.value = {};
    signature.value = null;
    problems.value = [];
    outcome.value = null;
    rated.value = false;
    delivery.value = null;
  }

  return { answers, form, materials, signature, problems, outcome, rated, delivery, draft, problemFor, wipe };
});
