import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AgencyView } from '../../../contract/agency.js';
import type { SessionView } from '../../../contract/channels.js';
import type { IdentityCard, IdentitySource } from '../../../contract/domain.js';
import { INITIAL_CHECK, type CheckState } from '../../../contract/identity-assurance.js';

/** The citizen being served. Everything here is personal data and is wiped when the session ends. */
export const useSessionStore = defineStore('session', () => {
  /** Host's view of the session; null between citizens. */
  const view = ref<SessionView | null>(null);
  /** The identity read for this session. */
  const identity = ref<IdentityCard | null>(null);
  /** How the identity was established. */
  const identitySource = ref<IdentitySource | null>(null);
  /** Seconds left in the idle countdown, shown as a banner; null when no countdown runs. */
  const idleSecondsLeft = ref<number | null>(null);
  /** Plain-Chinese reason the last card could not be used. */
  const identityProblem = ref<string | null>(null);
  /** Seconds until the session ends because its card left the reader (the screen is covered meanwhile); null otherwise. */
  const cardAbsentSecondsLeft = ref<number | null>(null);
  /** 人证核验 of this identity (issue 14): face attempts so far, or passed; starts afresh for another identity. */
  const identityCheck = ref<CheckState>(INITIAL_CHECK);
  /** 代办 chosen on the identity screen (issue 12): the card read is the agent's, the application someone else's. */
  const actingFor = ref(false);
  /** 代办: the principal's card fields once central's 人口库 matched them; the application is theirs. */
  const principal = ref<IdentityCard | null>(null);
  /** 代办: the principal as the screen shows them (masked name and number), once named by card or by 人口库 match. */
  const principalMasked = ref<{ nameMasked: string; idMasked: string } | null>(null);
  /** 代办 by the principal's card: the agent's own card has been laid back since (the step is done). */
  const agentCardBack = ref(false);
  /** 代办 as the host holds it (masked identities, relationship, authorisation kind), once the authorisation is given. */
  const agency = ref<AgencyView | null>(null);
  /** Whom the application is for: the principal in 代办 (null until named), else the identity read. */
  const applicant = computed<IdentityCard | null>(() => (actingFor.value ? principal.value : identity.value));

  function wipe(): void {
    view.value = null;
    identity.value = null;
    identitySource.value = null;
    idleSecondsLeft.value = null;
    identityProblem.value = null;
    cardAbsentSecondsLeft.value = null;
    identityCheck.value = INITIAL_CHECK;
    actingFor.value = false;
    principal.value = null;
    principalMasked.value = null;
    agentCardBack.value = false;
    agency.value = null;
  }

  return { view, identity, identitySource, idleSecondsLeft, identityProblem, cardAbsentSecondsLeft, identityCheck, actingFor, principal, principalMasked, agentCardBack, agency, applicant, wipe };
});
