import type { Browser } from 'playwright-core';
import { startDemoStack, type DemoOptions, type DemoStack } from '../../../scripts/demo-stack.js';
import { DEMO_POPULATION } from '../../../central/identity-population.js';
import type { IdentityCard } from '../../../contract/domain.js';
import { launchChromium } from './browser.js';
import { Citizen, type Orientation } from './citizen.js';

/**
 * One kiosk for an e2e file, the way most files need it: a demo stack (host + reference central), Debian's
 * Chromium, and a citizen's page at a kiosk size on the home screen. `close()` ends them in order.
 */
export interface OpenKiosk {
  stack: DemoStack;
  browser: Browser;
  citizen: Citizen;
  close(): Promise<void>;
}

export interface OpenKioskOptions {
  /** Names the screenshots (`<label>-…`). */
  label: string;
  /** Default portrait (1080×1920), the hall's upright kiosk. */
  orientation?: Orientation;
  /** Chromium's fake camera (default; the demo's 高拍仪) or none (no video device at all). */
  camera?: 'fake' | 'none';
  stack?: DemoOptions;
  /**
   * Runs after the page opened and before the home screen is awaited, for init scripts (a test camera, stream
   * recording); reload the page in it if a script must apply to the first document.
   */
  prepare?: (citizen: Citizen) => Promise<void>;
  /** How long to wait for the home screen, ms (default 60 s: a loaded machine starts slowly). */
  homeTimeoutMs?: number;
}

export async function openKiosk(options: OpenKioskOptions): Promise<OpenKiosk> {
  const stack = await startDemoStack(options.stack);
  let browser: Browser | null = null;
  try {
    browser = await launchChromium({ camera: options.camera ?? 'fake' });
    const citizen = await Citizen.open(browser, options.orientation ?? 'portrait', stack.host.bridge?.launchUrl ?? '', options.label);
    await options.prepare?.(citizen);
    await citizen.waitForScreen('home', options.homeTimeoutMs ?? 60_000);
    const opened = browser;
    return {
      stack,
      browser: opened,
      citizen,
      async close() {
        await opened.close();
        await stack.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await stack.close();
    throw error;
  }
}

/** A person of central's demo population by name (the reference 人口库); throws naming the person if absent. */
export function demoPerson(name: string): IdentityCard {
  const person = DEMO_POPULATION.find((entry) => entry.name === name);
  if (!person) throw new Error(`central’s demo population has no ${name}`);
  return person;
}

/**
 * 代办's principal named without their card, as the agent does it on the agency screen: 输入委托人身份证号码, the
 * number on the ID pad, the name by pinyin, 核验委托人身份 (central's population check), then the relationship.
 * Returns the matched line the screen shows (the name masked).
 */
export async function namePrincipalByNumber(citizen: Citizen, principal: IdentityCard, relationship: string): Promise<string> {
  await citizen.tap({ name: '输入委托人身份证号码' });
  await citizen.typeId('委托人身份证号码', principal.idNumber);
  await citizen.typeWithPinyin('委托人姓名', principal.name);
  await citizen.tap({ name: '核验委托人身份' });
  const matched = await citizen.read({ test: 'agency-principal-matched' });
  await citizen.pickOption('与委托人关系', relationship);
  return matched;
}
