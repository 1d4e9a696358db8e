import { BLUE, GREEN, GREY, RED, YELLOW } from './colors.js';
import * as fx from './fixtures/menu-models.js';
import * as live from './fixtures/live-models.js';
import { Menu } from './Menu.js';
import { ID_BASE64_FLAG, idFromArgs } from './menu-action.js';
import type { MenuModel } from './model.js';
import { allItems, findItem } from '../reconciler/parse.js';
import { actionsOf, argvOf, bodyText, itemsWithAction, pairText, topItems } from './story-helpers.js';
import type { Story, StoryMeta } from './story.js';

const meta: StoryMeta = { title: 'Menu/Menu' };
export default meta;

const EXE = fx.INVOKER.executable;
const SERVICE_ACTIONS = ['do_start', 'do_stop', 'do_restart', 'install_service', 'uninstall_service'];
const menu = (model: MenuModel) => () => <Menu model={model} />;

/** Before the first answer: grey dotted glyph, a plain "connecting" line, no problem and no guessed action. */
export const Connecting: Story = {
  render: menu(fx.connecting),
  assert: (frame, expect) => {
    expect(frame.header[0]?.title).toBe(':circle.dotted:');
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREY));
    expect(topItems(frame)[0]?.title).toBe('Connecting to llama-swap at 127.0.0.1:8080…');
    expect(actionsOf(frame)).toEqual(['refresh', 'view_logs', 'edit_config', 'doctor']);
    expect(bodyText(frame)).not.toMatch(/stopped|not installed|needs macOS/);
  },
};

/** llama-swap answered, service not detected yet: the models show, no service action is guessed. */
export const ServiceUnknown: Story = {
  render: menu(fx.serviceUnknown),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREEN));
    expect(actionsOf(frame).filter((a) => SERVICE_ACTIONS.includes(a))).toEqual([]);
    expect(argvOf(findItem(frame, 'Unload all models'))).toEqual([EXE, 'do_unload']);
    expect(findItem(frame, 'Service control needs macOS')).toBeUndefined();
  },
};

/** Service installed but stopped: red glyph, Start is offered, Stop is not. */
export const Stopped: Story = {
  render: menu(fx.stopped),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(RED));
    expect(argvOf(findItem(frame, 'Start llama-swap'))).toEqual([EXE, 'do_start']);
    expect(findItem(frame, 'The llama-swap service is stopped.')?.params.color).toBe(pairText(RED));
    expect(actionsOf(frame)).not.toContain('do_stop');
  },
};

/** No LaunchAgent: the problem's fix and the service line both install it; nothing to uninstall. */
export const NotInstalled: Story = {
  render: menu(fx.notInstalled),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(RED));
    expect(argvOf(findItem(frame, 'Install the LaunchAgent and start it'))).toEqual([EXE, 'install_service']);
    expect(actionsOf(frame)).not.toContain('uninstall_service');
    expect(actionsOf(frame)).not.toContain('do_start');
  },
};

/** No llama-swap program: the problem links to the installation instructions. */
export const BinaryMissing: Story = {
  render: menu(fx.binaryMissing),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(RED));
    expect(frame.header[0]?.title).toBe(':exclamationmark.circle.fill:');
    expect(bodyText(frame)).toContain('no llama-swap program was found');
    expect(findItem(frame, 'How to fix this')?.params.href).toBe('https://github.com/mostlygeek/llama-swap#installation');
  },
};

/** Configuration file missing: its fix opens the editor. */
export const ConfigMissing: Story = {
  render: menu(fx.configMissing),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(RED));
    expect(argvOf(findItem(frame, 'Create a starter configuration and open it'))).toEqual([EXE, 'edit_config']);
    // Both problems and both fixes: the missing file, and the stopped service (Start, not repeated below).
    expect(argvOf(findItem(frame, 'Start llama-swap'))).toEqual([EXE, 'do_start']);
    expect(itemsWithAction(frame, 'do_start')).toHaveLength(1);
  },
};

/** A model is loading: yellow glyph, the model says "loading…", no figures yet. */
export const Starting: Story = {
  render: menu(fx.starting),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(YELLOW));
    const model = findItem(frame, 'Qwen2.5 Coder 32B');
    expect(model?.title).toBe('Qwen2.5 Coder 32B — loading…');
    expect(model?.children.some((c) => c.type === 'item' && c.title.startsWith('Generation'))).toBe(false);
  },
};

/** Two models ready and idle: green glyph, no live figure, three idle models to load, idle density. */
export const ReadyIdle: Story = {
  render: menu(fx.readyIdle),
  assert: (frame, expect) => {
    expect(frame.header[0]?.title).toBe(':circle.fill:');
    // Less detail when idle: one summary line per model instead of rate and queue charts.
    expect(allItems(frame).filter((i) => i.title.startsWith('Idle · peak in window'))).toHaveLength(2);
    expect(findItem(frame, /^Generation|^Requests/)).toBeUndefined();
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREEN));
    expect(itemsWithAction(frame, 'do_unload_model')).toHaveLength(2);
    expect(itemsWithAction(frame, 'do_load_model').map(argvOf)).toEqual([
      [EXE, 'do_load_model', 'mistral-small-24b'],
      [EXE, 'do_load_model', 'nomic-embed-text'],
      [EXE, 'do_load_model', 'whisper-large-v3'],
    ]);
  },
};

/** Three busy models: blue glyph with the summed generation rate, charts with window stats. */
export const Processing: Story = {
  render: menu(fx.processing),
  assert: (frame, expect) => {
    expect(frame.header[0]?.title).toBe(':circle.fill: 64 t/s');
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(BLUE));
    expect(findItem(frame, /^Llama 3\.1 8B Instruct/)?.title).toBe('Llama 3.1 8B Instruct — 42.3 t/s · 7 waiting');
    const gen = findItem(frame, 'Generation: 42.3 t/s');
    expect(gen?.title).toMatch(/^Generation: 42\.3 t\/s · min [\d.]+ t\/s · avg [\d.]+ t\/s · max [\d.]+ t\/s$/);
    expect(gen?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(findItem(frame, /^Requests: 4 processing · 7 waiting · in flight min /)?.params.image).toMatch(/^iVBORw0KGgo/);
    // More detail while busy: every busy model has its rate charts.
    expect(allItems(frame).filter((i) => /^Generation: .* · max /.test(i.title) && i.params.image !== undefined)).toHaveLength(2);
    expect(itemsWithAction(frame, 'do_unload').map(argvOf)).toEqual([[EXE, 'do_unload']]);
  },
};

/** The same in dark appearance: colours are light,dark pairs SwiftBar resolves; charts use the dark stroke. */
export const ProcessingDark: Story = {
  appearance: 'dark',
  render: menu(fx.processing),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor?.split(',')[1]).toBe(BLUE.dark);
    expect(findItem(frame, 'Generation: 42.3 t/s')?.params.image).toMatch(/^iVBORw0KGgo/);
  },
};

/** Running with nothing loaded: grey glyph, four idle models, no Unload all. */
export const Empty: Story = {
  render: menu(fx.empty),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREY));
    expect(frame.header[0]?.title).toBe(':circle:');
    expect(itemsWithAction(frame, 'do_load_model')).toHaveLength(4);
    expect(actionsOf(frame)).not.toContain('do_unload');
    expect(findItem(frame, 'Loaded')).toBeUndefined();
  },
};

/** The job runs but the API does not answer: red, with Restart. */
export const Unreachable: Story = {
  render: menu(fx.unreachable),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(RED));
    expect(argvOf(findItem(frame, 'Restart llama-swap'))).toEqual([EXE, 'do_restart']);
  },
};

/** 401: plain words about LLAMA_SWAP_API_KEY, wrapped, never a stack trace. */
export const Unauthorized: Story = {
  render: menu(fx.unauthorized),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(RED));
    expect(argvOf(findItem(frame, 'Open the llama-swap configuration (its apiKeys)'))).toEqual([EXE, 'edit_config']);
    expect(frame.header[0]?.title).toBe(':exclamationmark.circle.fill:');
    expect(bodyText(frame)).toContain('run install-plugin with LLAMA_SWAP_API_KEY set');
    expect(bodyText(frame)).toContain('0600 file that the wrapper reads');
    expect(allItems(frame).every((i) => i.title.length <= 60 || i.params.image !== undefined || i.title.startsWith('System'))).toBe(true);
  },
};

/** A model without --metrics says how to fix it. */
export const MetricsDisabled: Story = {
  render: menu(fx.metricsDisabled),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREEN));
    expect(findItem(frame, "metrics off: add --metrics to this model's cmd")?.depth).toBe(1);
    expect(argvOf(findItem(frame, 'Edit the llama-swap configuration'))).toEqual([EXE, 'edit_config']);
  },
};

/** Garbage from the API is reported in one readable line. */
export const GarbageResponse: Story = {
  render: menu(fx.garbageResponse),
  assert: (frame, expect) => {
    expect(bodyText(frame)).toContain('llama-swap answered badly: GET /running: expected JSON, got text/html');
    expect(frame.header[0]?.params.tooltip).toBe('llama-swap: answering badly');
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(RED));
  },
};

/** llama-swap on another machine: GPU figures from its /api/performance, no local service control. */
export const Remote: Story = {
  render: menu(fx.remote),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(BLUE));
    expect(frame.header[0]?.title).toBe(':circle.fill: 12 t/s');
    expect(findItem(frame, 'Figures from llama-swap')).toBeDefined();
    expect(findItem(frame, /^GPU: 97%/)?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(findItem(frame, 'GPU memory: 140 GB / 144 GB')).toBeDefined();
    expect(actionsOf(frame).filter((a) => SERVICE_ACTIONS.includes(a) || a === 'view_logs' || a === 'edit_config')).toEqual([]);
    expect(findItem(frame, 'Open web UI')?.params.href).toBe('http://studio.local:8080/ui/');
    expect(findItem(frame, 'llama-swap runs on another machine: control its service there')).toBeDefined();
  },
};

/** Profiles: the active one is checked, a click runs set_profile with the id. */
export const Profiles: Story = {
  render: menu(fx.profiles),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREEN));
    const profile = findItem(frame, 'Profile: coding');
    expect(profile?.children.filter((c) => c.type === 'item' && c.params.checked === 'true')).toHaveLength(1);
    expect(argvOf(findItem(frame, 'chat — Llama 8B + Whisper'))).toEqual([EXE, 'set_profile', 'chat']);
  },
};

/** Hostile ids and names stay text: exact argv, no extra params, items or levels. */
export const HostileNames: Story = {
  render: menu(fx.hostileNames),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(BLUE));
    expect(frame.header[0]?.title).toBe(':circle.fill: 13 t/s');
    // Every model keeps its action; ids SwiftBar would alter go as --id-base64, decoded to the exact id.
    const ids = (action: 'do_unload_model' | 'do_load_model'): (string | undefined)[] => itemsWithAction(frame, action).map((i) => {
      const argv = argvOf(i);
      expect(argv.slice(0, 2)).toEqual([EXE, action]);
      return idFromArgs(argv.slice(2));
    });
    expect(ids('do_unload_model')).toEqual([fx.HOSTILE_IDS[0], fx.HOSTILE_IDS[5], fx.HOSTILE_IDS[2]]);
    expect(ids('do_load_model')).toEqual([fx.HOSTILE_IDS[1], fx.HOSTILE_IDS[3], fx.HOSTILE_IDS[4], fx.HOSTILE_IDS[6]]);
    expect(itemsWithAction(frame, 'do_load_model').map(argvOf)[1]).toEqual([EXE, 'do_load_model', '--x']);
    // The three model submenus and nothing else at their level came from the hostile texts.
    const models = topItems(frame).filter((i) => i.children.some((c) => c.type === 'item' && c.title === 'Unload this model'));
    expect(models.map((m) => m.title)).toEqual(['\u200B--x — 12.5 t/s', 'bash=/bin/rm param1=-rf — ready', ':warning: loading — loading…']);
    for (const item of allItems(frame)) {
      expect(Object.keys(item.params).every((k) => /^(color|sfcolor|symbolize|emojize|sfimage|tooltip|checked|href|bash|param\d|terminal|image)$/.test(k))).toBe(true);
      if (item.params.href !== undefined) expect(item.params.href).toMatch(/^http:\/\/127\.0\.0\.1:8080\/ui\/$|^https:\/\/github\.com\//);
    }
    expect(argvOf(findItem(frame, (i) => i.title === '~~\u200B~'))).toEqual([EXE, 'do_load_model', ID_BASE64_FLAG, 'fn5+']);
    expect(allItems(frame).every((i) => !i.title.includes('~~~'))).toBe(true);
  },
};

/** On Linux one line replaces every service action. */
export const Linux: Story = {
  render: menu(fx.linux),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREEN));
    expect(findItem(frame, 'Service control needs macOS')).toBeDefined();
    expect(actionsOf(frame).filter((a) => SERVICE_ACTIONS.includes(a))).toEqual([]);
    expect(findItem(frame, 'Figures from this computer')).toBeDefined();
  },
};

/** After a successful action: a green line. */
export const LastActionOk: Story = {
  render: menu(fx.lastActionOk),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREEN));
    expect(findItem(frame, 'Unloaded mistral-small-24b')?.params.color).toBe(pairText(GREEN));
  },
};

/** After a failed action: a red line with the reason. */
export const LastActionFailed: Story = {
  render: menu(fx.lastActionFailed),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(RED));
    expect(findItem(frame, /^Failed: launchctl kickstart exited 113/)?.params.color).toBe(pairText(RED));
  },
};

/** 100 configured models: 20 listed, the rest in one "More models" submenu. */
export const ManyModels: Story = {
  render: menu(fx.manyModels),
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(GREEN));
    const more = findItem(frame, 'More models (78)');
    expect(more?.children).toHaveLength(78);
    expect(topItems(frame).filter((i) => i.params.param1 === 'do_load_model')).toHaveLength(20);
    expect(itemsWithAction(frame, 'do_load_model')).toHaveLength(98);
  },
};

/** 20,000 configured models: 100 listed (20 + 80 in the submenu), then "and N more — open the web UI". */
export const TooManyModels: Story = {
  render: menu(fx.tooManyModels),
  assert: (frame, expect) => {
    expect(itemsWithAction(frame, 'do_load_model')).toHaveLength(100);
    const more = findItem(frame, 'and 19,898 more — open the web UI');
    expect(more?.params.href).toBe(fx.tooManyModels.uiUrl);
  },
};

/** llama-swap's live API at once: a busy fake-model, seven requests on a llama.cpp model, a failed start, selectors and pins. */
export const LiveApi: Story = {
  render: menu(live.liveApi),
  assert: (frame, expect) => {
    expect(findItem(frame, 'Broken model failed to start: upstream command exited prematurely')?.params.color).toBe(pairText(RED));
    expect(findItem(frame, 'Selectors (2)')).toBeDefined();
    expect(findItem(frame, 'beta → fake (loaded)')).toBeDefined();
    // Neither a selector nor a pin is offered as a model to load.
    const loads = itemsWithAction(frame, 'do_load_model').map((i) => idFromArgs(argvOf(i).slice(2)));
    expect(loads).not.toContain('coder');
    expect(loads).not.toContain('beta');
    expect(itemsWithAction(frame, 'do_cancel_request')).toHaveLength(7);
  },
};

/** A llama-swap with peers: their models under "via <peer>", never offered as Load; local models still are. */
export const Peers: Story = {
  render: menu(live.withPeers),
  assert: (frame, expect) => {
    expect(findItem(frame, 'via bravo-box — 2 models')).toBeDefined();
    expect(findItem(frame, 'qwen3-32b')).toBeDefined();
    const loads = itemsWithAction(frame, 'do_load_model').map((i) => idFromArgs(argvOf(i).slice(2)));
    expect(loads.length).toBeGreaterThan(0);
    expect(loads.filter((id) => id?.startsWith('bravo-box/') === true || id?.startsWith('openrouter/') === true)).toEqual([]);
  },
};
