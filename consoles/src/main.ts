import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import './styles.css';

// Composition root of central's web consoles: one app, one Pinia, sections registered in sections.ts.
createApp(App).use(createPinia()).mount('#app');
