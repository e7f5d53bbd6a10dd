import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { connectHost } from './composables/use-host-events.js';
import { startFleetDisplayReports } from './composables/use-fleet-display.js';
import { connectStaff } from './composables/use-staff.js';
import { connectVideoCall } from './composables/use-video-call.js';
import './styles.css';

// Composition root of the renderer: one app, one Pinia, one bridge.
const app = createApp(App);
app.use(createPinia());
app.mount('#app');
void connectHost();
connectStaff();
connectVideoCall();
startFleetDisplayReports();
