import { createPinia } from 'pinia';
import { createApp, defineAsyncComponent } from 'vue';
import App from './App.vue';
import { connectHost } from './composables/use-host-events.js';
import { startFleetDisplayReports } from './composables/use-fleet-display.js';
import { connectStaff } from './composables/use-staff.js';
import { registerFaceCheck } from './composables/face-check.js';
import { connectVideoCall } from './composables/use-video-call.js';
import './styles.css';

// Composition root of the renderer: one app, one Pinia, one bridge.
// 刷脸核验 (issue 14): the face check and its models load only when a citizen chooses it, not at start-up.
registerFaceCheck(defineAsyncComponent(() => import('./components/face/FaceCheck.vue')));
const app = createApp(App);
app.use(createPinia());
app.mount('#app');
void connectHost();
connectStaff();
connectVideoCall();
startFleetDisplayReports();
