import { createPinia } from 'pinia';
import { createApp } from 'vue';
import '../styles.css';
import FaceHarness from './FaceHarness.vue';

// Test-only entry (vite.face-harness.config.ts → dist/face-harness): mounts the face check against the
// real host and central, for its e2e test and benchmark. Not part of the citizen app; the citizen flow
// around the check (请确认是本人办理, retries, staff) is the app's own.
createApp(FaceHarness).use(createPinia()).mount('#app');
