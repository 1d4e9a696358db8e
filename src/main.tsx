#!/usr/bin/env node
/**
 * Composition root. `llama-swap-swiftbar <action> [args]` runs the action CLI and loads no
 * React, satori or resvg. With no action it runs the menu: streaming frames (SwiftBar
 * streamable), or one frame with `--once` or LLAMA_SWAP_STREAMING_MODE=false. `demo` runs the
 * terminal demo against the built-in simulator.
 */
import nodeModule from 'node:module';
import type { MenuDeps } from './hooks/deps.js';

// Node 22.1+ keeps compiled code of the bundle on disk (os.tmpdir()/node-compile-cache), so
// later starts skip most parsing and compiling; older Node has no such function: nothing to do.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const argv = process.argv.slice(2);
const first = argv[0];

/** How long shutdown may take to save the history before we exit anyway. */
const EXIT_SAVE_BUDGET_MS = 1000;

/** `npm run bench` sets this: on exit the plugin writes its frame and sparkline-cache counters there. */
const BENCH_STATS_FILE = process.env['LLAMA_SWAP_BENCH_STATS'];

async function benchStatsWriter(stats: () => object): Promise<() => void> {
  if (BENCH_STATS_FILE === undefined || BENCH_STATS_FILE === '') return () => undefined;
  const [{ writeFileSync }, { sparklineCacheStats }] = await Promise.all([import('node:fs'), import('./reconciler/sparkline/rasterize.js')]);
  return () => writeFileSync(BENCH_STATS_FILE, JSON.stringify({ ...stats(), sparkline: sparklineCacheStats(), memory: process.memoryUsage() }));
}

/** What a persisted sparkline must have been drawn by: this bundle (its size and mtime). */
async function drawingId(): Promise<string> {
  const [{ stat }, { fileURLToPath }] = await Promise.all([import('node:fs/promises'), import('node:url')]);
  try {
    const s = await stat(fileURLToPath(import.meta.url));
    return `${s.size}-${Math.round(s.mtimeMs)}`;
  } catch {
    return 'unknown';
  }
}

type PersistentSparklines = {
  /** Saves the images again when new ones were drawn. */
  readonly save: () => Promise<void>;
  /** The menu line when sparklines.json had to be set aside; else null. */
  readonly warning: string | null;
};

/**
 * Loads the sparkline images saved by earlier runs into the cache (so charts drawn before need no
 * satori/resvg) and returns the function that saves them again when new ones were drawn.
 */
async function persistentSparklines(cacheDir: string): Promise<PersistentSparklines> {
  const [cache, store, drawing] = await Promise.all([import('./reconciler/sparkline/cache.js'), import('./system/sparkline-store.js'), drawingId()]);
  const loaded = await store.loadSparklines(cacheDir, drawing);
  cache.cacheImport(loaded.entries);
  let saved = cache.cacheVersion();
  const save = async (): Promise<void> => {
    if (cache.cacheVersion() === saved) return;
    saved = cache.cacheVersion();
    await store.saveSparklines(cacheDir, drawing, cache.cacheEntries(store.PERSISTED_SPARKLINES));
  };
  return { save, warning: loaded.warning };
}

/** Removes temporary files a killed earlier run left in the cache folder (kill -9 mid-save). */
async function removeStaleTemps(cacheDir: string): Promise<void> {
  const [{ removeStaleTempFiles }, { CACHE_FILE_NAMES }] = await Promise.all([import('./system/stale-temp-files.js'), import('./system/cache-file.js')]);
  await removeStaleTempFiles(cacheDir, { names: CACHE_FILE_NAMES });
}

/** `deps` with one more file warning for the menu (none: `deps` itself). */
function withFileWarning<T extends { readonly fileWarnings?: readonly string[] }>(deps: T, warning: string | null): T {
  return warning === null ? deps : { ...deps, fileWarnings: [...(deps.fileWarnings ?? []), warning] };
}

/** Runs clicked actions in this process (the same code the CLI runs); one runner for every host. */
async function inProcessActions(env: NodeJS.ProcessEnv, debug: MenuDeps['debug']) {
  const [{ default: os }, { createInProcessActions }, { createCommandRunner }, { detectPlatform }] = await Promise.all([
    import('node:os'),
    import('./system/cli/in-process-actions.js'),
    import('./system/cli/command-runner.js'),
    import('./system/host/platform.js'),
  ]);
  return createInProcessActions({ runner: createCommandRunner(), fsRoot: { home: os.homedir() }, platform: detectPlatform(), env }, debug);
}

/**
 * A host's deps with its clicks run by `actions`: a named host's actions carry `--host <name>`,
 * and its menu hears only the records of its own actions.
 */
function withInProcessActions(deps: MenuDeps, actions: Awaited<ReturnType<typeof inProcessActions>>, host: string | null): MenuDeps {
  const leading = host === null ? [] : ['--host', host];
  const mine = (l: readonly string[]): boolean => l.length === leading.length && l.every((a, i) => a === leading[i]);
  return {
    ...deps,
    invoker: { ...deps.invoker, run: (action, args) => actions.run(action, args, leading) },
    actionRecords: { subscribe: (listener) => actions.subscribe((rec, provisional, l) => (mine(l) ? listener(rec, provisional) : undefined)) },
  };
}

async function runPlugin(once: boolean | undefined): Promise<void> {
  // React is CommonJS: the bundle exposes it only as the default export, so use that.
  const [{ default: React }, { createMenuRoot }, { createHostsMenuDeps }, { forgetSecrets }] = await Promise.all([
    import('react'),
    import('./reconciler/index.js'),
    import('./hooks/menu-deps.js'),
    import('./system/child-env.js'),
  ]);
  const setup = await createHostsMenuDeps();
  // Actions run in this process read their settings (the key too) from this copy.
  const pluginEnv = { ...process.env };
  // The keys now live in the hosts' deps only: no program started from here (ours or a library's) inherits them.
  forgetSecrets(process.env);
  const streaming = once === undefined ? setup.streaming : !once;
  const cacheDir = setup.cacheDir;

  if (!streaming) {
    // One frame: fetch everything once (no SWR, no timers), then print the pure menu.
    const [{ loadMenuModelOnce }, { Menu }, { HostsMenu }, { thisComputerView }, sparklines] = await Promise.all([
      import('./hooks/model/load-menu-model.js'),
      import('./components/Menu.js'),
      import('./components/HostsMenu.js'),
      import('./hooks/use-this-computer.js'),
      persistentSparklines(cacheDir),
      // Beside the start, not before it: a temporary file of this process is never taken for stale.
      removeStaleTemps(cacheDir),
    ]);
    const hosts = setup.hosts.map((h) => ({ ...h, deps: withFileWarning(h.deps, sparklines.warning) }));
    // Each host is asked at the same time; a slow one bounds the frame only by its own timeout.
    const [models, computer] = await Promise.all([
      Promise.all(hosts.map(async (h) => ({ name: h.name, model: await loadMenuModelOnce(h.deps) }))),
      setup.named ? setup.thisComputer().catch(() => null) : null,
    ]);
    const root = createMenuRoot({ stdout: process.stdout, mode: 'once', appearance: setup.appearance });
    const writeStats = await benchStatsWriter(() => root.stats());
    const single = models[0];
    root.render(!setup.named && single !== undefined ? React.createElement(Menu, { model: single.model }) : React.createElement(HostsMenu, { hosts: models, thisComputer: thisComputerView(computer), platform: setup.platform }));
    await root.done;
    writeStats();
    await sparklines.save();
    return;
  }

  const [{ App, HostsApp }, { flushHistory }, sparklines, { createChildDrawer }] = await Promise.all([
    import('./components/App.js'),
    import('./hooks/use-history.js'),
    persistentSparklines(cacheDir),
    import('./reconciler/sparkline/child-drawer.js'),
    removeStaleTemps(cacheDir),
  ]);
  let hosts = setup.hosts.map((h) => ({ ...h, deps: withFileWarning(h.deps, sparklines.warning) }));
  // Charts are drawn in a child process that lives only while charts change (satori and resvg
  // would otherwise stay in this long-running process for good). Under tsx the entry is the source.
  // The child starts with an empty environment: it draws from what it is sent, nothing else.
  const fromSource = import.meta.url.endsWith('.tsx');
  const draw = createChildDrawer({ entry: new URL(fromSource ? './reconciler/sparkline/draw-child.ts' : './draw-child.js', import.meta.url) });
  // Forked now, so it has loaded satori while the first answers are on their way.
  draw.prewarm();
  // SwiftBar 2.1+ writes a clicked `stdin=` item's text to a streaming plugin's stdin: clicks then
  // run in this process (no node start per click) and the menu shows their progress at once.
  const stdinClicks = (await import('./system/swiftbar/swiftbar-version.js')).swiftBarWritesStdin(process.env['SWIFTBAR_VERSION']);
  const debug = hosts[0]?.deps.debug;
  const actions = stdinClicks ? await inProcessActions(pluginEnv, debug) : null;
  if (actions !== null) hosts = hosts.map((h) => ({ ...h, deps: withInProcessActions(h.deps, actions, setup.named ? h.name : null) }));
  const root = createMenuRoot({ stdout: process.stdout, mode: 'stream', appearance: setup.appearance, draw, clicks: stdinClicks ? 'stdin' : 'bash' });
  if (stdinClicks) {
    const { listenForClicks } = await import('./system/stdin-clicks.js');
    listenForClicks(process.stdin, (token) => root.click(token), debug ?? (() => undefined));
  }
  const writeStats = await benchStatsWriter(() => root.stats());
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    writeStats();
    draw.close();
    // SwiftBar sends SIGTERM on refresh, sleep and quit: unmount saves the history first.
    setTimeout(() => process.exit(0), EXIT_SAVE_BUDGET_MS).unref();
    root.unmount();
    void Promise.allSettled([flushHistory(), sparklines.save(), actions?.interrupt(cacheDir)]).finally(() => process.exit(0));
  };
  // `on`, not `once`: a library using signal-exit (none today) re-raises
  // the signal when it finds itself the only listener left, which killed the plugin unsaved.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const only = hosts[0]?.deps;
  root.render(!setup.named && only !== undefined ? React.createElement(App, { deps: only }) : React.createElement(HostsApp, { hosts, thisComputer: setup.thisComputer, platform: setup.platform }));
  await root.done;
}

if (first === 'demo') {
  // The terminal demo (scripts/demo.tsx): a chunk of the bundle of its own, so the command needs
  // no devDependency and neither the menu nor an action loads it.
  const { runDemo } = await import('../scripts/demo.js');
  await runDemo(argv.slice(1));
} else if (first !== undefined && first !== '--once' && first !== '--stream') {
  const { runCliFromProcess } = await import('./system/cli/cli-process.js');
  process.exitCode = await runCliFromProcess(argv);
} else {
  await runPlugin(argv.includes('--once') ? true : argv.includes('--stream') ? false : undefined);
}
