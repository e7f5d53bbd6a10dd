import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { VideoCallState } from '../../../contract/video-call.js';

/**
 * 远程视频帮办 on the kiosk (issue 12): the call's phase (contract/video-call.ts state machine), who asks,
 * the citizen's choices and the media shown. The streams live here only while a call runs; ending the
 * call stops every track and empties them (composables/use-video-call.ts).
 */
export const useVideoCallStore = defineStore('video-call', () => {
  /** Phase of the call: idle, asking for consent, connecting, connected, ended. */
  const state = ref<VideoCallState>({ phase: 'idle' });
  /** The staff member who asked, as central named them (name, 工号). */
  const staff = ref<{ name: string; number: string } | null>(null);
  /** The hall records this call (its configuration, told by central in `start`): what for and how many days kept; null: not recorded. */
  const recording = ref<{ purpose: string; retentionDays: number } | null>(null);
  /** The citizen allowed staff to see what they typed (default no: only which fields are filled). */
  const valuesShared = ref(false);
  /** The control staff point at now (its data-help-id or data-test), or null. */
  const highlightId = ref<string | null>(null);
  /** The staff member's camera and microphone, while connected. */
  const remoteStream = shallowRef<MediaStream | null>(null);
  /** This kiosk's camera and microphone, opened only after consent. */
  const localStream = shallowRef<MediaStream | null>(null);
  /** A plain-Chinese line after the call ended (视频已结束 …), shown briefly; null otherwise. */
  const notice = ref<string | null>(null);

  return { state, staff, valuesShared, highlightId, remoteStream, localStream, notice, recording };
});
