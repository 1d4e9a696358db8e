/**
 * `llama-swap-swiftbar demo` (`npm run demo` in a clone): the whole product in a terminal. Runs the plugin's real hooks, components and
 * renderer against the built-in simulator (or a llama-swap already answering at the configured
 * address) and shows the menu full-screen: the title line and the key hints always on screen,
 * submenus folded until opened, arrow keys to move, Enter to click the selected item (the line
 * above the hints says what it runs). It tours the simulator's scenarios; keys 1-7 pick one.
 *
 *   npm run demo [-- --simulator] [--scenario busy] [--cycle 20] [--seconds N]
 *                [--appearance auto|light|dark] [--help]     (flags: scripts/demo/args.ts)
 *
 * `--appearance auto` (the default) follows the terminal: COLORFGBG, else an OSC 11 query; the
 * menu is painted on a menu-coloured background either way, so it stays readable. Without a
 * terminal (piped), each frame is printed as plain text.
 */
import { PassThrough } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import React from 'react';
import { App, HostsApp } from '../src/components/App.js';
import { hostInvoker } from '../src/hooks/menu-deps.js';
import { flushHistory } from '../src/hooks/use-history.js';
import { readConfig } from '../src/system/config.js';
import { detectPlatform } from '../src/system/host/platform.js';
import { createLlamaSwapClient } from '../src/system/llama-swap/llama-swap-client.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator, type ScenarioName } from '../src/system/simulator/index.js';
import { createMenuRoot } from '../src/reconciler/index.js';
import { parseFrame, type ParsedFrame } from '../src/reconciler/parse.js';
import type { Appearance } from './preview/colors.js';
import { frameToLines } from './preview/frame-lines.js';
import { framesFromStream } from './preview/live.js';
import { itemArgv } from './preview/render-menu.js';
import { argsOrExit } from './cli-args.js';
import { DEMO_USAGE, parseDemoArgs } from './demo/args.js';
import { createDemoWorld, type DemoWorld } from './demo/demo-world.js';
import { parseKeys, type DemoKey } from './demo/keys.js';
import { firstUseful, indexOfKey, menuRows, moveSelection, selectable, type MenuRow } from './demo/menu-rows.js';
import { layoutScreen } from './demo/screen.js';
import { chooseTarget, type TargetProbe } from './demo/target.js';
import { detectShade } from './demo/terminal-background.js';

/** The order a newcomer sees: calm, work, a load, a swap, then the failures and recovery. */
const TOUR: readonly ScenarioName[] = ['idle', 'busy', 'loading', 'swapping', 'busy', 'down', 'flaky', 'garbage'];
const KEYS: readonly ScenarioName[] = ['idle', 'busy', 'loading', 'swapping', 'down', 'flaky', 'garbage'];
/** How long an action's result replaces the selected item's command on the footer line. */
const MESSAGE_MS = 6000;
/** How long the note on what the demo watches (and why) stays on the footer line at start. */
const NOTE_MS = 15000;

/** The configured llama-swap's address and whether it answers /health. */
function configuredProbe(): TargetProbe {
  const { config } = readConfig(process.env, { home: os.homedir(), platform: detectPlatform().name });
  return { url: config.apiUrl, port: config.apiPort, healthy: async () => (await createLlamaSwapClient(config).health()).ok };
}

/** The held scenarios of the demo's extra hosts, in turn. */
const OTHER_SCENARIOS: readonly ScenarioName[] = ['idle', 'busy', 'down'];

/** Simulators sim-2…sim-N with their own worlds (own cache folders). */
async function startOtherHosts(count: number, appearance: Appearance): Promise<{ name: string; sim: LlamaSwapSimulator; world: DemoWorld }[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const sim = await createLlamaSwapSimulator({ port: 0, scenario: OTHER_SCENARIOS[i % OTHER_SCENARIOS.length] ?? 'idle' });
      return { name: `sim-${i + 2}`, sim, world: createDemoWorld({ sim, url: sim.url, port: sim.port, appearance, platform: detectPlatform() }) };
    }),
  );
}

/** Runs the demo with `argv` (its flags, without node, script or the `demo` word); exits the process when it quits. */
export async function runDemo(argv: readonly string[]): Promise<void> {
  const args = argsOrExit(parseDemoArgs(argv), DEMO_USAGE);
  const tty = process.stdout.isTTY === true && process.stdin.isTTY === true;
  const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
  const shade = args.appearance === 'auto' && tty ? await detectShade(process.env, { stdin: process.stdin, stdout: process.stdout }) : undefined;
  const appearance: Appearance = args.appearance === 'auto' ? (shade ?? 'light') : args.appearance;

  const chosen = await chooseTarget(configuredProbe(), args.forceSimulator);
  const real = chosen.kind === 'llama-swap' ? chosen : null;
  const note = chosen.kind === 'own-simulator' ? chosen.note : null;
  if (note !== null) process.stderr.write(`demo: ${note}\n`);
  const several = args.hosts > 1;
  const sim = real === null || several ? await createLlamaSwapSimulator({ port: 0, scenario: args.scenario ?? 'busy' }) : null;
  const target = sim !== null ? { url: sim.url, port: sim.port } : (real ?? { url: '', port: 0 });
  const world = createDemoWorld({ sim, url: target.url, port: target.port, appearance, platform: detectPlatform() });
  // With --hosts N the other simulators hold steady scenarios beside the touring first one.
  const others = several ? await startOtherHosts(args.hosts - 1, appearance) : [];

  let scenarioIndex = 0;
  let cycling = sim !== null && args.scenario === undefined;
  let nextSwitch = Date.now() + args.cycleSeconds * 1000;
  const setScenario = (name: ScenarioName): void => {
    sim?.setScenario(name);
    nextSwitch = Date.now() + args.cycleSeconds * 1000;
  };
  if (cycling) setScenario(TOUR[0] ?? 'busy');

  const status = (): string => {
    if (sim === null) return `llama-swap at ${target.url}`;
    const left = Math.max(0, Math.round((nextSwitch - Date.now()) / 1000));
    return `simulator · ${sim.scenario()} · ${cycling ? `next in ${left} s` : 'held'}`;
  };
  const scenarios = sim === null ? '' : `  1-7 ${KEYS.map((k, i) => `${i + 1} ${k}`).join(' ')}  c tour`;
  const hints = [
    `↑↓ move  → open  ← close  ⏎ click${scenarios}  q quit`,
    `q quit  ↑↓ move  →← open/close  ⏎ click${sim === null ? '' : '  1-7 scenario  c tour'}`,
    `q quit ↑↓ →← ⏎${sim === null ? '' : ' 1-7 c'}`,
  ];

  // The plugin's real renderer, writing its stream into a pipe instead of stdout.
  const pipe = new PassThrough();
  const root = createMenuRoot({ stdout: pipe, mode: 'stream', appearance, onFatal: () => undefined });
  const hosts = [{ name: 'sim-1', world }, ...others];
  root.render(
    several
      ? React.createElement(HostsApp, { hosts: hosts.map((h) => ({ name: h.name, deps: { ...h.world.deps, invoker: hostInvoker(h.world.deps.invoker, h.name) } })), thisComputer: () => Promise.resolve(null), platform: 'macos' })
      : React.createElement(App, { deps: world.deps }),
  );
  // A click in a host's section goes to that host's simulator.
  const clickOn = (argv: readonly string[]): Promise<string> => {
    const at = argv.indexOf('--host');
    return (hosts.find((h) => at >= 0 && h.name === argv[at + 1])?.world ?? world).click(argv);
  };

  let frame: ParsedFrame | null = null;
  let rows: MenuRow[] = [];
  const expanded = new Set<string>();
  let selected = 0;
  let selectedKey: string | undefined;
  let touched = false;
  let scroll = 0;
  let message: { text: string; until: number } | null = note === null ? null : { text: note, until: Date.now() + NOTE_MS };

  const out = (text: string): void => void process.stdout.write(text);
  const draw = (): void => {
    if (!tty) return;
    rows = frame === null ? [] : menuRows(frame, expanded);
    // Until the first key press the selection follows the menu to its first useful row.
    selected = !touched ? firstUseful(rows) : indexOfKey(rows, selectedKey, selected);
    selectedKey = rows[selected]?.key;
    const screen = layoutScreen({
      frame,
      rows,
      selected,
      scroll,
      width: process.stdout.columns || 80,
      height: process.stdout.rows || 24,
      appearance,
      color,
      status: status(),
      message: message !== null && Date.now() < message.until ? message.text : null,
      hints,
    });
    scroll = screen.scroll;
    // Home, then every line in place (each padded to the width), then clear below.
    out(`\x1b[H${screen.lines.join('\r\n')}\x1b[J`);
  };

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    root.unmount();
    await flushHistory().catch(() => undefined);
    await sim?.close();
    world.dispose();
    for (const o of others) {
      await o.sim.close();
      o.world.dispose();
    }
    if (tty) {
      out('\x1b[?25h\x1b[?7h\x1b[?1049l'); // cursor back, auto-wrap back, leave the alternate screen
      process.stdin.setRawMode(false);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const select = (index: number): void => {
    selected = index;
    selectedKey = rows[index]?.key;
  };
  const page = Math.max(1, (process.stdout.rows || 24) - 4);
  const onKey = async (key: DemoKey): Promise<void> => {
    const row = rows[selected];
    touched = true;
    if (key === 'quit') return stop();
    if (key === 'cycle') cycling = sim !== null;
    else if (typeof key === 'object') {
      const picked = KEYS[key.scenario - 1];
      if (picked !== undefined && sim !== null) {
        cycling = false;
        setScenario(picked);
      }
    } else if (key === 'up' || key === 'down') select(moveSelection(rows, selected, key === 'up' ? -1 : 1));
    else if (key === 'pageup' || key === 'pagedown') {
      let at = selected;
      for (let i = 0; i < page; i++) at = moveSelection(rows, at, key === 'pageup' ? -1 : 1);
      select(at);
    } else if (key === 'home' || key === 'end') {
      const at = key === 'home' ? moveSelection(rows, -1, 1) : moveSelection(rows, rows.length, -1);
      if (at >= 0 && at < rows.length) select(at);
    }
    else if (key === 'left') {
      // Close this submenu, or the one the selection is in (and select its parent).
      if (row?.expanded) expanded.delete(row.key);
      else if (row !== undefined && row.depth > 0) {
        const parent = row.key.slice(0, row.key.lastIndexOf('/'));
        expanded.delete(parent);
        selectedKey = parent;
      }
    } else if ((key === 'right' || key === 'enter') && row?.expandable) {
      if (row.expanded && key === 'enter') expanded.delete(row.key);
      else expanded.add(row.key);
    } else if (key === 'enter' && selectable(row)) {
      const argv = itemArgv(row.node);
      if (argv !== null) {
        message = { text: `… ${argv.slice(1).join(' ')}`, until: Date.now() + MESSAGE_MS };
        draw();
        message = { text: `⏎ ${await clickOn(argv)}`, until: Date.now() + MESSAGE_MS };
      }
    }
    draw();
  };

  if (tty) {
    out('\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[2J'); // alternate screen, no cursor, no auto-wrap
    process.stdout.on('resize', draw);
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.resume();
    process.stdin.on('data', (chunk: string) => {
      void (async () => {
        for (const key of parseKeys(chunk)) await onKey(key);
      })();
    });
  }

  const ticker = setInterval(() => {
    if (cycling && sim !== null && Date.now() >= nextSwitch) {
      scenarioIndex = (scenarioIndex + 1) % TOUR.length;
      setScenario(TOUR[scenarioIndex] ?? 'busy');
    }
    draw();
  }, 1000);
  ticker.unref();
  if (args.seconds !== undefined) setTimeout(() => void stop(), args.seconds * 1000).unref();
  draw();

  for await (const text of framesFromStream(pipe)) {
    frame = parseFrame(text);
    if (tty) draw();
    else out(`${status()}\n${frameToLines(text, appearance, 'blocks').join('\n')}\n\n`);
  }
}

// Run directly (npm run demo); the command `llama-swap-swiftbar demo` imports runDemo from the bundle.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runDemo(process.argv.slice(2));
