import { eligibilityProblems } from '../../../contract/flow.js';
import { kiosk } from '../bridge/client.js';
import { useApplicationStore } from '../stores/application.js';
import { useCatalogStore } from '../stores/catalog.js';
import { useFinishConfirmationStore } from '../stores/finish-confirmation.js';
import { useKioskStore } from '../stores/kiosk.js';
import { usePreferencesStore } from '../stores/preferences.js';
import { useScreenStore, type ScreenName } from '../stores/screen.js';
import { useSessionStore } from '../stores/session.js';
import { reportActivity } from './use-activity.js';
import { idleExempt } from './idle-backstop.js';
import { todayInChina } from './use-application-flow.js';
import { speak, stopSpeaking } from './use-voice.js';
import { goOnAfterIdentity } from './use-identity-check.js';
import { INITIAL_CHECK } from '../../../contract/identity-assurance.js';
import { connectHelpCalls } from './use-help-call.js';

/**
 * Forgets the citizen without leaving the screen: every store holding their data, and the way back to
 * the screens that showed it. The thanks screen does this as it opens (nothing on it is personal), so no
 * 返回 or tap from there can bring a previous citizen's data back.
 */
export function wipeCitizen(): void {
  useApplicationStore().wipe();
  useSessionStore().wipe();
  useCatalogStore().current = null;
  useScreenStore().forget();
}

/** Clears every trace of the citizen from the UI: stores, and (by returning home) the DOM of every screen. */
export function wipeUi(): void {
  const screen = useScreenStore();
  // The prompt of the screen being left stops first; home then says its own welcome when it mounts. A
  // second wipe for the same end (the host's session:ended and endSession's own wipe both arrive) finds
  // home already showing and must not silence its welcome (it did: home was captioned but never heard).
  if (screen.name !== 'home') stopSpeaking();
  wipeCitizen();
  usePreferencesStore().reset();
  useFinishConfirmationStore().asking = false;
  // The caption goes with the screen it belongs to (App.vue).
  screen.home();
}

/** Screens a scanned receipt QR may leave: never an application in progress, whose work would be lost. */
const LEAVE_FOR_SCAN = new Set<ScreenName>(['home', 'browse', 'search', 'guide', 'progress', 'thanks']);

/** Connects host events to the stores; called once by the composition root. */
export async function connectHost(): Promise<void> {
  const api = kiosk();
  const kioskStore = useKioskStore();
  const session = useSessionStore();
  const screen = useScreenStore();

  api.on('device:status-changed', (status) => kioskStore.setDevice(status));
  api.on('outbox:depth-changed', (depth) => (kioskStore.depth = depth));
  api.on('kiosk:out-of-service', ({ message }) => (kioskStore.outOfService = message));
  // Remote configuration changed idle times, voice volume or opening hours: in force from now on.
  api.on('kiosk:info-changed', (info) => kioskStore.setInfo(info));
  api.on('identity:read', ({ identity, source }) => {
    kioskStore.takeCardReminder = false;
    session.cardAbsentSecondsLeft = null;
    // 代办: the agent's own card laid back after the principal's was read (issue 12).
    if (session.principalMasked && session.identity?.idNumber === identity.idNumber) session.agentCardBack = true;
    // Another person's identity: their 人证核验 starts afresh (the same card laid back keeps it).
    if (session.identity?.idNumber !== identity.idNumber) session.identityCheck = INITIAL_CHECK;
    session.identity = identity;
    session.identitySource = source;
    session.identityProblem = null;
    // The identity screen moves on by itself, unless the card already decides that this person cannot
    // apply (it then says why and what to do instead); anywhere else a new card only updates the session.
    const service = useCatalogStore().current;
    if (screen.name !== 'identity') return;
    // 代办: this card is the agent's; the principal's eligibility is decided once they are named (issue 12).
    if (service && !session.actingFor && eligibilityProblems(service, identity, {}, todayInChina()).length > 0) return;
    goOnAfterIdentity();
  });
  // 代办 (issue 12): the principal's card was read while the agency screen waited for it.
  api.on('agency:principal-read', ({ nameMasked, idMasked, identity }) => {
    session.principal = identity;
    session.principalMasked = { nameMasked, idMasked };
    session.agentCardBack = false;
    session.identityProblem = null;
    speak('已读取委托人身份证。请取回委托人的身份证，将您本人的身份证放回读卡区，然后选择您与委托人的关系。');
  });
  api.on('identity:rejected', ({ message }) => {
    session.identityProblem = message;
    speak(message);
  });
  api.on('scanner:scanned', (scan) => {
    if (scan.kind === 'case') {
      if (LEAVE_FOR_SCAN.has(screen.name)) screen.go({ name: 'progress', caseRef: scan.caseRef });
    } else if (scan.kind === 'identity-code') {
      if (screen.name === 'identity') speak('正在核验电子身份码，请稍候');
    } else if (screen.name === 'progress') {
      speak('这个二维码不是办件回执的二维码。请扫描回执上的二维码，或输入受理编号');
    }
  });
  api.on('session:idle-warning', ({ secondsLeft }) => (session.idleSecondsLeft = secondsLeft));
  api.on('session:card-absent', ({ secondsLeft }) => (session.cardAbsentSecondsLeft = secondsLeft));
  api.on('identity:card-removed', () => (kioskStore.takeCardReminder = false));
  api.on('session:ended', ({ cardOnReader }) => {
    // Set before the wipe: the home screen the wipe returns to says it first (screen and voice).
    kioskStore.takeCardReminder = cardOnReader === true;
    // The thanks screen stays for its countdown (it holds nothing personal); anywhere else, home.
    if (screen.name === 'thanks') wipeCitizen();
    else wipeUi();
  });

  reportActivity({
    idleTimeoutMs: () => (kioskStore.info ? kioskStore.info.idleTimeoutSeconds * 1000 : null),
    exempt: idleExempt,
    onIdle: () => {
      if (session.view !== null || session.identity !== null) void api.sessionEnd({ reason: 'idle-timeout' });
      wipeUi();
    },
  });

  void connectHelpCalls();
  const [info, tree, devices, depth] = await Promise.all([api.kioskGetInfo({}), api.catalogGetTree({}), api.deviceListStatus({}), api.outboxGetDepth({})]);
  if (info.ok) kioskStore.setInfo(info.value);
  else kioskStore.outOfService = info.error.message;
  if (tree.ok) {
    const catalog = useCatalogStore();
    catalog.version = tree.value.version;
    catalog.stages = tree.value.stages;
    catalog.services = tree.value.services;
  } else kioskStore.outOfService = tree.error.message;
  if (devices.ok) for (const status of devices.value) kioskStore.setDevice(status);
  if (depth.ok) kioskStore.depth = depth.value;
}
