import type { Citizen } from './citizen.js';
import { PANEL, strokesOf } from './citizen.js';
import { MODE_SETS, pageClock, screenState, type ModeSet } from './citizen-checks.js';
import { CARDS, FATHER_ID_X, TYPED_MOBILE, answer, daysFromToday, next, placeCard, supply } from './walkthroughs.js';

/**
 * Every citizen screen, reached by tapping (issue 9: "a layout check over every screen in every mode and
 * both orientations"), as states of one kiosk: each state says which state it is reached from and how.
 * The application screens follow 出生一件事 (situation questions, every field kind of the form, 告知承诺 with
 * the signature pad), then 办件查询 and the search. Overlay states (a panel open, errors shown, the 结束办理
 * question) are looked at in place and left as they came.
 *
 * `walkMatrix` visits the states in order, switching the modes with the header's buttons on each, and
 * hands each (state, mode) to the caller's inspection. Reaching a state that failed before starts again
 * from the home screen (the host ends the session, as between citizens), so one broken screen does not
 * hide the others.
 */
export interface ScreenState {
  key: string;
  /** main[data-screen] while the state shows (App.vue). */
  screen: string;
  /** The state it is reached from; null for the home screen. */
  from: string | null;
  /** From `from` to here. */
  go(citizen: Citizen, memo: Memo): Promise<void>;
  /** After each switch of mode, before looking: e.g. open the panel again. */
  prepare?(citizen: Citizen): Promise<void>;
  /** Overlays leave the citizen where `from` is once looked at (by `leave`, if anything is needed). */
  overlay?: boolean;
  leave?(citizen: Citizen): Promise<void>;
  /** A spoken prompt is due on arrival: the screen's own, or the first error shown. */
  voice: 'screen' | 'error' | null;
}

/** What one state leaves for a later one (the case the application screens submitted). */
export interface Memo {
  localNumber?: string;
}

const birthDate = daysFromToday(-20);

/** Opens the panel of a form field (if it is not open on it already). */
async function openPanel(citizen: Citizen, field: string, switchTo?: string): Promise<void> {
  await citizen.tap({ field });
  await citizen.find(PANEL.root);
  if (switchTo && !(await citizen.sees(PANEL.handwritingPad, PANEL.root))) await citizen.tapKey(switchTo);
}

/** Opens the handwriting panel of a form field and writes one character on its pad, not choosing yet. */
async function writeOnPad(citizen: Citizen, field: string, character: string): Promise<void> {
  await openPanel(citizen, field, '手写');
  if (await citizen.sees({ test: 'candidate' }, PANEL.root)) return;
  await citizen.draw(PANEL.handwritingPad, strokesOf(character), { within: PANEL.root });
  // The candidates come from the host a moment later, as a person sees them appear.
  for (let waited = 0; !(await citizen.sees({ test: 'candidate' }, PANEL.root)); waited += 100) {
    if (waited > 5_000) throw new Error(`no candidates 5 s after writing «${character}» on the pad`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const SCREEN_STATES: readonly ScreenState[] = [
  { key: 'home', screen: 'home', from: null, voice: 'screen', go: async () => undefined },
  { key: 'browse', screen: 'browse', from: 'home', voice: 'screen', go: (c) => c.tapText('个人服务') },
  { key: 'browse-stage', screen: 'browse', from: 'browse', voice: 'screen', go: (c) => c.tapText('出生') },
  { key: 'guide', screen: 'guide', from: 'browse-stage', voice: 'screen', go: (c) => c.tapText('出生一件事') },
  { key: 'identity', screen: 'identity', from: 'guide', voice: 'screen', go: (c) => c.tap({ name: '开始办理' }) },
  {
    key: 'finish-confirmation',
    screen: 'identity',
    from: 'identity',
    overlay: true,
    voice: 'screen',
    go: async (c) => {
      await c.tap({ name: '结束办理' });
      await c.find({ test: 'finish-confirmation' });
    },
    prepare: async (c) => {
      if (!(await c.sees({ test: 'finish-confirmation' }))) await c.tap({ name: '结束办理' });
    },
    leave: (c) => c.tap({ name: '继续办理' }),
  },
  {
    key: 'situation',
    screen: 'situation',
    from: 'identity',
    voice: 'screen',
    // Looked at as it opens (focus on its h1, nothing answered yet); the answers are the way on to the form.
    go: async (c) => {
      await placeCard(c, CARDS.li.button);
      await c.waitForScreen('situation');
    },
  },
  {
    key: 'form',
    screen: 'form',
    from: 'situation',
    voice: 'screen',
    go: async (c) => {
      await answer(c, 'married', '已登记结婚');
      await answer(c, 'same-county', '不在同一区县');
      await answer(c, 'social-security-card', '同时申领');
      await next(c, 'form');
    },
  },
  { key: 'form-errors', screen: 'form', from: 'form', overlay: true, voice: 'error', go: (c) => c.tap({ name: '下一步' }) },
  { key: 'form-pinyin', screen: 'form', from: 'form', overlay: true, voice: null, go: (c) => openPanel(c, '新生儿姓名'), prepare: (c) => openPanel(c, '新生儿姓名') },
  {
    key: 'form-handwriting',
    screen: 'form',
    from: 'form',
    overlay: true,
    voice: null,
    go: (c) => openPanel(c, '新生儿姓名', '手写'),
    prepare: (c) => openPanel(c, '新生儿姓名', '手写'),
  },
  {
    // The handwriting panel with a page of candidates and 下一页 live: what a citizen sees after writing.
    key: 'form-handwriting-written',
    screen: 'form',
    from: 'form',
    overlay: true,
    voice: null,
    go: (c) => writeOnPad(c, '新生儿姓名', '王'),
    prepare: (c) => writeOnPad(c, '新生儿姓名', '王'),
  },
  { key: 'form-date', screen: 'form', from: 'form', overlay: true, voice: null, go: (c) => openPanel(c, '出生日期'), prepare: (c) => openPanel(c, '出生日期') },
  { key: 'form-code', screen: 'form', from: 'form', overlay: true, voice: null, go: (c) => openPanel(c, '出生医学证明编号'), prepare: (c) => openPanel(c, '出生医学证明编号') },
  { key: 'form-id-number', screen: 'form', from: 'form', overlay: true, voice: null, go: (c) => openPanel(c, '另一方父母身份证号码'), prepare: (c) => openPanel(c, '另一方父母身份证号码') },
  { key: 'form-phone', screen: 'form', from: 'form', overlay: true, voice: null, go: (c) => openPanel(c, '联系电话'), prepare: (c) => openPanel(c, '联系电话') },
  {
    key: 'materials',
    screen: 'materials',
    from: 'form',
    voice: 'screen',
    go: async (c) => {
      await c.typeWithPinyin('新生儿姓名', '李小满');
      await c.pickOption('新生儿性别', '男');
      await c.pickDate('出生日期', birthDate);
      await c.typeAlnum('出生医学证明编号', 'R370123456');
      await c.typeWithPinyin('另一方父母姓名', '王志强');
      await c.typeId('另一方父母身份证号码', FATHER_ID_X);
      await c.pickOption('新生儿随哪一方落户', '随父亲');
      await c.pickOption('落户区县', '泰山区');
      await c.typeDigits('联系电话', TYPED_MOBILE);
      await next(c, 'materials');
    },
  },
  { key: 'materials-errors', screen: 'materials', from: 'materials', overlay: true, voice: 'error', go: (c) => c.tap({ name: '下一步' }) },
  {
    key: 'materials-signature',
    screen: 'materials',
    from: 'materials',
    voice: null,
    go: async (c) => {
      await supply(c, 'household-register', '同意调取电子证照');
      await supply(c, 'marriage-certificate', '同意调取电子证照');
      await supply(c, 'birth-medical-certificate', '同意调取电子证照');
      await supply(c, 'bank-account', '稍后窗口补交');
      await supply(c, 'other-parent-consent', '告知承诺（签字代替材料）');
      await c.find({ test: 'signature-pad' });
    },
  },
  {
    key: 'review',
    screen: 'review',
    from: 'materials-signature',
    voice: 'screen',
    go: async (c) => {
      await c.sign(CARDS.li.name);
      await next(c, 'review');
    },
  },
  {
    key: 'result',
    screen: 'result',
    from: 'review',
    voice: 'screen',
    go: async (c, memo) => {
      await c.tap({ name: '确认提交' });
      await c.waitForScreen('result', 30_000);
      memo.localNumber = await c.read({ test: 'local-number' });
    },
  },
  { key: 'rating', screen: 'rating', from: 'result', voice: 'screen', go: (c) => c.tap({ name: '评价本次服务' }) },
  {
    key: 'rating-dissatisfied',
    screen: 'rating',
    from: 'rating',
    overlay: true,
    voice: null,
    go: (c) => c.tap({ name: '不满意' }),
    prepare: async (c) => {
      if ((await (await c.find({ name: '不满意' })).getAttribute('aria-checked')) !== 'true') await c.tap({ name: '不满意' });
    },
  },
  {
    key: 'rating-error',
    screen: 'rating',
    from: 'rating-dissatisfied',
    overlay: true,
    voice: 'error',
    go: (c) => c.tap({ name: '提交评价' }),
  },
  {
    key: 'thanks',
    screen: 'thanks',
    from: 'rating',
    voice: 'screen',
    go: async (c) => {
      await c.tap({ name: '满意' });
      await c.tap({ name: '提交评价' });
      await c.waitForScreen('thanks');
    },
  },
  { key: 'search', screen: 'search', from: 'home', voice: 'screen', go: (c) => c.tapText('搜索事项') },
  {
    key: 'search-results',
    screen: 'search',
    from: 'search',
    voice: null,
    go: async (c) => {
      if (!(await c.sees(PANEL.root))) await c.tap({ field: '输入事项名称的拼音或首字母，如“出生一件事”输入 csyjs' });
      await c.typeKeys('csyjs');
      await c.find({ text: '出生一件事' }, { within: { test: 'search-results' } });
    },
  },
  { key: 'progress', screen: 'progress', from: 'home', voice: 'screen', go: (c) => c.tapText('办件查询') },
  {
    key: 'progress-code',
    screen: 'progress',
    from: 'progress',
    overlay: true,
    voice: null,
    go: (c) => openPanel(c, '受理编号或本机编号（在回执上）'),
    prepare: (c) => openPanel(c, '受理编号或本机编号（在回执上）'),
  },
  {
    key: 'progress-found',
    screen: 'progress',
    from: 'progress',
    voice: null,
    go: async (c, memo) => {
      if (!memo.localNumber) throw new Error('no case to look up: the application screens did not reach a result');
      await c.typeAlnum('受理编号或本机编号（在回执上）', memo.localNumber);
      await c.page.waitForTimeout(500);
      if (!(await c.sees({ test: 'progress-result' }))) await c.tap({ name: '查询' });
      await c.find({ test: 'progress-result' }, { timeoutMs: 15_000 });
    },
  },
  {
    key: 'progress-mine',
    screen: 'progress',
    from: 'progress-found',
    voice: null,
    go: async (c) => {
      await c.tap({ name: '读取身份证查询' });
      await c.placeDemoCard(CARDS.li.button, () => c.sees({ test: 'my-cases' }));
    },
  },
];

export interface MatrixHooks {
  /** Between citizens: the host ends any session and the UI wipes; resolves on the home screen. */
  resetToHome(citizen: Citizen): Promise<void>;
  /** Looks at the state in one mode; returns findings (empty = fine). */
  inspect(citizen: Citizen, state: ScreenState, modes: ModeSet, arrival: Arrival): Promise<string[]>;
}

/** What was true the moment a state was reached (before any mode switch): its scroll, focus, voice. */
export interface Arrival {
  scrollTops: number[];
  focused: string;
  heading: string;
  /** The page clock (performance.now()) just before the last step into the state. */
  since: number;
}

/**
 * Keeps track of where the citizen is in the state graph and gets them to any state by tapping, from
 * where they are if the target is downstream, else from the home screen.
 */
export class MatrixWalker {
  private at: string | null = null;
  readonly memo: Memo = {};

  constructor(
    private readonly citizen: Citizen,
    private readonly hooks: MatrixHooks,
  ) {}

  private state(key: string): ScreenState {
    const found = SCREEN_STATES.find((state) => state.key === key);
    if (!found) throw new Error(`no screen state ${key}`);
    return found;
  }

  /** The chain of states from the home screen to `key`. */
  private chain(key: string): ScreenState[] {
    const chain: ScreenState[] = [];
    for (let state: ScreenState | undefined = this.state(key); state; state = state.from ? this.state(state.from) : undefined) chain.unshift(state);
    return chain;
  }

  /** Reaches `key`; returns what was true on arrival. Throws (with the citizen's reason) if it cannot. */
  async reach(key: string): Promise<Arrival> {
    const chain = this.chain(key);
    let start = this.at ? chain.findIndex((state) => state.key === this.at) : -1;
    if (start < 0) {
      await this.hooks.resetToHome(this.citizen);
      this.at = 'home';
      start = 0;
    }
    let since = 0;
    for (const state of chain.slice(start + 1)) {
      since = await pageClock(this.citizen);
      this.at = null;
      await state.go(this.citizen, this.memo);
      await this.citizen.waitForScreen(state.screen);
      this.at = state.key;
    }
    const target = this.state(key);
    const arrival = await screenState(this.citizen);
    return { ...arrival, since: start === chain.length - 1 && target.key === 'home' ? 0 : since };
  }

  /** After looking at an overlay, back to its `from` (so the next state can go on from there). */
  async leave(key: string): Promise<void> {
    const state = this.state(key);
    if (!state.overlay) return;
    if (state.leave) await state.leave(this.citizen);
    // Back where the overlay was opened: the nearest state that is not itself an overlay.
    let back: ScreenState | undefined = state;
    while (back?.overlay) back = back.from ? this.state(back.from) : undefined;
    this.at = back?.key ?? null;
  }

  /** Reaches `key` and inspects it in every mode set; returns the findings, prefixed with the mode. */
  async look(key: string, modeSets: readonly ModeSet[] = MODE_SETS): Promise<string[]> {
    const state = this.state(key);
    const arrival = await this.reach(key);
    const findings: string[] = [];
    for (const modes of modeSets) {
      try {
        await this.citizen.setModes(modes);
        if (state.prepare) await state.prepare(this.citizen);
        const shown = await this.citizen.page.getAttribute('main', 'data-screen');
        if (shown !== state.screen) {
          findings.push(`[${modes.name}] the ${state.screen} screen went away (now ${shown}) before it could be looked at`);
          this.at = null;
          break;
        }
        for (const finding of await this.hooks.inspect(this.citizen, state, modes, arrival)) findings.push(`[${modes.name}] ${finding}`);
      } catch (error) {
        findings.push(`[${modes.name}] ${error instanceof Error ? error.message : String(error)}`);
        this.at = null;
        break;
      }
    }
    if (this.at !== null) {
      await this.citizen.setModes({});
      await this.leave(key);
    }
    return findings;
  }
}
