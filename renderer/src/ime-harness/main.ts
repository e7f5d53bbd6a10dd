import { createApp } from 'vue';
import '../styles.css';
import ImeHarness from './ImeHarness.vue';

// Test-only entry (vite.ime-harness.config.ts → dist/ime-harness): mounts one input panel against the
// real host, for the panels' e2e test and the keystroke-to-paint benchmark. Not part of the citizen app.
createApp(ImeHarness).mount('#app');
