import type { Component } from 'vue';
import type { ConsoleRole } from '../../contract/central/console.js';
import FleetSection from './sections/fleet/FleetSection.vue';
import HelpSection from './sections/help/HelpSection.vue';

/**
 * The console's sections, in menu order. A section is a title, the roles that may open it (central
 * checks the same roles on every call of its routes), and its root component under sections/<id>/.
 * Adding one — the staff section of issue 12 (help calls, 帮办代办) — is one folder and one line here.
 */
export interface ConsoleSection {
  id: string;
  title: string;
  roles: readonly ConsoleRole[];
  component: Component;
}

export const SECTIONS: readonly ConsoleSection[] = [
  { id: 'fleet', title: '终端运维', roles: ['technician', 'manager'], component: FleetSection },
  { id: 'help', title: '呼叫与帮办', roles: ['staff', 'manager'], component: HelpSection },
];

export function sectionsFor(role: ConsoleRole): ConsoleSection[] {
  return SECTIONS.filter((section) => section.roles.includes(role));
}
