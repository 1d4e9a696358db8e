import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld, type DemoWorld } from '../../scripts/demo/demo-world.js';
import { parseKeys } from '../../scripts/demo/keys.js';
import { firstUseful, indexOfKey, isDestructive, menuRows, moveSelection } from '../../scripts/demo/menu-rows.js';
import { chooseTarget } from '../../scripts/demo/target.js';
import { renderMenu } from '../../scripts/preview/render-menu.js';
import { runScript } from './run-script.js';
import { layoutScreen, type ScreenInput } from '../../scripts/demo/screen.js';
import { shadeFromColorFgBg, shadeFromOsc11 } from '../../scripts/demo/terminal-background.js';
import { readLastAction } from '../../src/system/cli/action-log.js';
import { ManyModels, Processing, Stopped } from '../../src/components/Menu.stories.js';
import { parseFrame, type ParsedFrame, type ParsedItem } from '../../src/reconciler/parse.js';
import { renderToString } from '../../src/reconciler/render-to-string.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../src/system/simulator/index.js';

const strip = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''); // eslint-disable-line no-control-regex
const frameOf = async (story: { render: () => React.ReactElement }): Promise<ParsedFrame> => parseFrame(await renderToString(story.render()));

function screen(frame: ParsedFrame, over: Partial<ScreenInput> = {}, expanded: ReadonlySet<string> = new Set()) {
  const rows = menuRows(frame, expanded);
  return layoutScreen({
    frame, rows, selected: indexOfKey(rows, undefined, 0), scroll: 0, width: 80, height: 24, appearance: 'dark', color: true,
    status: 'simulator · busy · next in 12 s', message: null,
    hints: ['↑↓ move  → open  ← close  ⏎ click  1-7 1 idle 2 busy 3 loading 4 swapping 5 down  c tour  q quit', 'q quit  ↑↓ move  ⏎ click'],
    ...over,
  });
}

describe('demo screen', () => {
  it('fills exactly the terminal at 80x24: title first, key hints last, every line cut to the width', async () => {
    const frame = await frameOf(ManyModels);
    const expanded = new Set(menuRows(frame, new Set()).filter((r) => r.expandable).map((r) => r.key));
    const { lines } = screen(frame, {}, expanded);
    expect(lines).toHaveLength(24);
    const plain = lines.map(strip);
    for (const line of plain) expect(stringWidth(line)).toBe(80);
    expect(plain[0]).toMatch(/^▌ .*simulator · busy/);
    expect(plain[23]).toMatch(/^q quit/); // the long hints do not fit 80 columns: the short ones do
    expect(plain.some((l) => l.trimEnd().endsWith('…'))).toBe(true);
    // Painted on the menu's dark background; a colour reset falls back to the menu's text colour.
    for (const line of lines) expect(line.startsWith('\x1b[48;2;42;42;44m')).toBe(true);
    expect(lines.join('')).not.toContain('\x1b[39m');
  });

  it('keeps title and hints on a tiny terminal and scrolls the selection into view', async () => {
    const frame = await frameOf(Processing);
    const rows = menuRows(frame, new Set());
    const last = indexOfKey(rows, undefined, rows.length - 1);
    const out = screen(frame, { width: 40, height: 8, selected: last });
    const plain = out.lines.map(strip);
    expect(plain).toHaveLength(8);
    expect(plain[0]).toMatch(/^▌/);
    expect(plain[7]).toMatch(/^q quit/);
    expect(plain.filter((l) => l.startsWith('›'))).toHaveLength(1);
    expect(out.scroll).toBeGreaterThan(0);
    expect(plain[6]).toMatch(/^\[↑\d+\]/);
  });

  it('shows what a click runs for the selected item only', async () => {
    const frame = await frameOf(Stopped);
    const rows = menuRows(frame, new Set());
    const start = rows.findIndex((r) => r.node.type === 'item' && r.node.title === 'Start llama-swap');
    expect(start).toBeGreaterThanOrEqual(0);
    const plain = screen(frame, { selected: start }).lines.map(strip);
    expect(plain.filter((l) => l.includes('runs '))).toHaveLength(1);
    expect(plain[22]).toContain('⏎ runs ');
    expect(plain[22]).toContain('do_start');
    const message = screen(frame, { selected: start, message: '⏎ started llama-swap' }).lines.map(strip);
    expect(message[22]?.trimEnd()).toBe('⏎ started llama-swap');
  });

  it('folds submenus until opened and follows an item when a line appears above it', async () => {
    const frame = await frameOf(Processing);
    const folded = menuRows(frame, new Set());
    const model = folded.find((r) => r.expandable);
    expect(model).toBeDefined();
    expect(folded.every((r) => r.depth === 0)).toBe(true);
    const open = menuRows(frame, new Set([model?.key ?? '']));
    expect(open.length).toBeGreaterThan(folded.length);
    expect(open.some((r) => r.depth === 1)).toBe(true);
    // A problem line inserted at the top: the same item keeps the same key.
    const shifted: ParsedFrame = { ...frame, body: [{ type: 'item', depth: 0, title: 'A new problem', params: {}, children: [] }, ...frame.body] };
    const again = menuRows(shifted, new Set([model?.key ?? '']));
    expect(again.find((r) => r.key === model?.key)?.expanded).toBe(true);
    expect(moveSelection(again, 0, -1)).toBe(0);
    // At start the selection rests on the first thing worth clicking, not a heading.
    expect(folded[firstUseful(folded)]?.expandable).toBe(true);
  });
});

describe('demo selection when the menu changes', () => {
  const NODE = ['/Users/someone/.nvm/versions/node/v20.20.2/bin/node', '/Users/someone/src/llama-swap-swiftbar/bin/llama-swap-swiftbar.js'];
  const item = (title: string, action?: string, ...args: string[]): ParsedItem => ({
    type: 'item', depth: 0, title, children: [],
    params: action === undefined ? {} : { bash: NODE[0] ?? '', param1: NODE[1] ?? '', param2: action, ...Object.fromEntries(args.map((a, i) => [`param${i + 3}`, a])) },
  });
  const frame = (body: ParsedFrame['body']): ParsedFrame => ({ header: [item('ready')], body });
  const model: ParsedItem = { ...item('qwen2.5-coder-7b — ready'), children: [item('Context: 4096'), item('Unload this model', 'do_unload_model', 'qwen2.5-coder-7b')] };
  const service = [item('Stop llama-swap', 'do_stop'), item('Uninstall the llama-swap service', 'uninstall_service'), item('View logs', 'view_logs')];

  it('never lands on a destructive item by position after Enter on "Unload this model"', () => {
    const before = menuRows(frame([model, ...service]), new Set(['qwen2.5-coder-7b#1']));
    const selected = before.findIndex((r) => r.key.endsWith('Unload this model#1'));
    expect(selected).toBe(2);
    // The model is gone: the service items move up under the old position.
    const after = menuRows(frame([item('No model loaded'), ...service]), new Set(['qwen2.5-coder-7b#1']));
    const now = indexOfKey(after, before[selected]?.key, selected);
    expect(isDestructive(after[2])).toBe(true);
    expect(isDestructive(after[now])).toBe(false);
    expect(after[now]?.node.type === 'item' && after[now].node.title).toBe('View logs');
  });

  it('keeps the selection on the submenu when the item inside it goes', () => {
    const before = menuRows(frame([model, ...service]), new Set(['qwen2.5-coder-7b#1']));
    const key = before[2]?.key;
    const stillThere: ParsedItem = { ...model, children: [item('Context: 4096')] };
    const after = menuRows(frame([stillThere, ...service]), new Set(['qwen2.5-coder-7b#1']));
    expect(after[indexOfKey(after, key, 2)]?.key).toBe('qwen2.5-coder-7b#1');
  });

  it('says at 80 columns which action and id a click runs, not the node path', () => {
    const f = frame([item('qwen2.5-coder-7b-instruct-q4_k_m — ready'), item('Unload this model', 'do_unload_model', 'qwen2.5-coder-7b-instruct-q4_k_m')]);
    const rows = menuRows(f, new Set());
    const plain = screen(f, { selected: 1 }).lines.map(strip);
    expect(plain[22]?.trimEnd()).toBe('⏎ runs llama-swap-swiftbar do_unload_model qwen2.5-coder-7b-instruct-q4_k_m');
    expect(rows).toHaveLength(2);
  });

  it('draws SF Symbol icons as a glyph, or nothing, never as their names', () => {
    const f = frame([{ ...item('View logs', 'view_logs'), params: { sfimage: 'doc.text.magnifyingglass' } }, { ...item('Odd'), params: { sfimage: 'no.such.symbol' } }]);
    const lines = renderMenu(f, { appearance: 'light', images: 'blocks', color: false, actions: false });
    expect(lines.slice(-2)).toEqual(['⌕ View logs', 'Odd']);
  });
});

describe('a simulator already on the configured port', () => {
  let other: LlamaSwapSimulator | null = null;
  afterEach(async () => {
    await other?.close();
    other = null;
  });

  it('is not taken for the user\'s llama-swap: the demo runs its own and says why', async () => {
    other = await createLlamaSwapSimulator({ port: 0, scenario: 'idle' });
    const target = await chooseTarget({ url: other.url, port: other.port, healthy: () => Promise.resolve(true) }, false);
    expect(target).toEqual({ kind: 'own-simulator', note: `a simulator already answers at ${other.url}: the demo runs its own on another port` });
    // A plain llama-swap (no simulator control endpoint) is watched.
    const real = await chooseTarget({ url: 'http://127.0.0.1:9', port: 9, healthy: () => Promise.resolve(true) }, false);
    expect(real).toEqual({ kind: 'llama-swap', url: 'http://127.0.0.1:9', port: 9 });
  });

  it('the demo process says so and tours its own simulator', async () => {
    other = await createLlamaSwapSimulator({ port: 0, scenario: 'idle' });
    const home = mkdtempSync(path.join(os.tmpdir(), 'demo-home-'));
    try {
      const env = { PATH: process.env['PATH'], HOME: home, LLAMA_SWAP_API_BASE_URL: 'http://127.0.0.1', LLAMA_SWAP_API_PORT: String(other.port) };
      const run = await runScript('scripts/demo.tsx', ['--seconds', '2', '--scenario', 'busy'], env);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`demo: a simulator already answers at ${other.url}: the demo runs its own on another port`);
      expect(run.stdout).toContain('simulator · busy · held');
      expect(run.stdout).not.toContain(`llama-swap at ${other.url}`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('terminal background', () => {
  it('reads COLORFGBG and OSC 11 replies', () => {
    expect(shadeFromColorFgBg('15;0')).toBe('dark');
    expect(shadeFromColorFgBg('0;15')).toBe('light');
    expect(shadeFromColorFgBg('default;default;0')).toBe('dark');
    expect(shadeFromColorFgBg('7;default')).toBeUndefined();
    expect(shadeFromColorFgBg(undefined)).toBeUndefined();
    expect(shadeFromOsc11('\x1b]11;rgb:1e1e/1e1e/1e1e\x07')).toBe('dark');
    expect(shadeFromOsc11('\x1b]11;rgb:ffff/ffff/ffff\x1b\\')).toBe('light');
    expect(shadeFromOsc11('\x1b]11;rgb:f5/f5/f0\x07')).toBe('light');
    expect(shadeFromOsc11('nonsense')).toBeUndefined();
  });
});

describe('demo keys', () => {
  it('decodes arrows, several keys in one chunk, digits, and skips unknown sequences', () => {
    expect(parseKeys('\x1b[A\x1b[B5q')).toEqual(['up', 'down', { scenario: 5 }, 'quit']);
    expect(parseKeys('\x1b[1~\x1b[4~\r\x1b[15~c')).toEqual(['home', 'end', 'enter', 'cycle']);
    // A terminal's late answer to the background query is not typing (its digits are no scenario keys).
    expect(parseKeys('\x1b]11;rgb:1e1e/1e1e/1e1e\x07j')).toEqual(['down']);
    expect(parseKeys('\x1b]11;rgb:1111/2222/3333\x1b\\q')).toEqual(['quit']);
  });
});

describe('demo world', () => {
  let sim: LlamaSwapSimulator | null = null;
  let world: DemoWorld | null = null;
  afterEach(async () => {
    world?.dispose();
    await sim?.close();
  });

  it('is self-contained: temporary cache, the simulator as host and service, clicks acted out on it', async () => {
    sim = await createLlamaSwapSimulator({ port: 0, scenario: 'idle' });
    world = createDemoWorld({ sim, url: sim.url, port: sim.port, appearance: 'dark', platform: { name: 'linux', uid: 1000 } });
    const { deps } = world;
    expect(deps.config.cacheDir.startsWith(os.tmpdir())).toBe(true);
    expect(await deps.localHostStats()).toBeNull();
    expect(await deps.processStats({ running: [], llamaSwapPid: null })).toBeNull();
    expect((await deps.detectService()).pid).not.toBeNull();

    expect(await world.click(['/usr/bin/node', '/x/bin/llama-swap-swiftbar.js', 'do_stop'])).toBe('stopped llama-swap (the simulator)');
    expect(sim.scenario()).toBe('down');
    expect((await deps.detectService()).pid).toBeNull();
    expect(await readLastAction(deps.config.cacheDir)).toMatchObject({ action: 'do_stop', ok: true });
    await world.click(['/usr/bin/node', '/x/bin/llama-swap-swiftbar.js', 'do_start']);
    expect(sim.scenario()).toBe('idle');

    // An API action really runs against the simulator.
    await sim.settled();
    const before = sim.requestLog.length;
    const loaded = await world.click(['/usr/bin/node', '/x/bin/llama-swap-swiftbar.js', 'do_load_model', 'qwen2.5-coder-7b']);
    expect(loaded).toContain('qwen2.5-coder-7b');
    expect(sim.requestLog.slice(before).some((r) => r.path.includes('qwen2.5-coder-7b'))).toBe(true);
    // Anything acting on this machine is only described.
    expect(await world.click(['/usr/bin/node', '/x/bin/llama-swap-swiftbar.js', 'edit_config'])).toMatch(/^demo: would run .*edit_config/);

    const dir = deps.config.cacheDir;
    world.dispose();
    world = null;
    expect(existsSync(dir)).toBe(false);
  });
});
