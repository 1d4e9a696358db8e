#!/usr/bin/env node
/**
 * Composition root. `llama-swap-swiftbar <action> [args]` runs the action CLI and loads no
 * React, satori or resvg. With no action it runs the menu: streaming frames (SwiftBar
 * streamable), or one frame with `--once` or LLAMA_SWAP_STREAMING_MODE=false.
 */
import nodeModule from 'node:module';

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

/**
 * Loads the sparkline images saved by earlier runs into the cache (so charts drawn before need no
 * satori/resvg) and returns the function that saves them again when new ones were drawn.
 */
async function persistentSparklines(cacheDir: string): Promise<() => Promise<void>> {
  const [cache, store, drawing] = await Promise.all([import('./reconciler/sparkline/cache.js'), import('./system/sparkline-store.js'), drawingId()]);
  cache.cacheImport(await store.loadSparklines(cacheDir, drawing));
  let saved = cache.cacheVersion();
  return async () => {
    if (cache.cacheVersion() === saved) return;
    saved = cache.cacheVersion();
    await store.saveSparklines(cacheDir, drawing, cache.cacheEntries(store.PERSISTED_SPARKLINES));
  };
}

async function runPlugin(once: boolean | undefined): Promise<void> {
  // React is CommonJS: the bundle exposes it only as the default export, so use that.
  const [{ default: React }, { createMenuRoot }, { createHostsMenuDeps }] = await Promise.all([
    import('react'),
    import('./reconciler/index.js'),
    import('./hooks/menu-deps.js'),
  ]);
  const setup = await createHostsMenuDeps();
  const streaming = once === undefined ? setup.streaming : !once;
  const only = setup.hosts[0]?.deps;

  if (!streaming) {
    // One frame: fetch everything once (no SWR, no timers), then print the pure menu.
    const [{ loadMenuModelOnce }, { Menu }, { HostsMenu }, { thisComputerView }, saveSparklines] = await Promise.all([
      import('./hooks/model/load-menu-model.js'),
      import('./components/Menu.js'),
      import('./components/HostsMenu.js'),
      import('./hooks/use-this-computer.js'),
      persistentSparklines(setup.cacheDir),
    ]);
    // Each host is asked at the same time; a slow one bounds the frame only by its own timeout.
    const [models, computer] = await Promise.all([
      Promise.all(setup.hosts.map(async (h) => ({ name: h.name, model: await loadMenuModelOnce(h.deps) }))),
      setup.named ? setup.thisComputer().catch(() => null) : null,
    ]);
    const root = createMenuRoot({ stdout: process.stdout, mode: 'once', appearance: setup.appearance });
    const writeStats = await benchStatsWriter(() => root.stats());
    const single = models[0];
    root.render(!setup.named && single !== undefined ? React.createElement(Menu, { model: single.model }) : React.createElement(HostsMenu, { hosts: models, thisComputer: thisComputerView(computer), platform: setup.platform }));
    await root.done;
    writeStats();
    await saveSparklines();
    return;
  }

  const [{ App, HostsApp }, { flushHistory }, saveSparklines, { createChildDrawer }] = await Promise.all([
    import('./components/App.js'),
    import('./hooks/use-history.js'),
    persistentSparklines(setup.cacheDir),
    import('./reconciler/sparkline/child-drawer.js'),
  ]);
  // Charts are drawn in a child process that lives only while charts change (satori and resvg
  // would otherwise stay in this long-running process for good). Under tsx the entry is the source.
  const fromSource = import.meta.url.endsWith('.tsx');
  const draw = createChildDrawer({ entry: new URL(fromSource ? './reconciler/sparkline/draw-child.ts' : './draw-child.js', import.meta.url) });
  // Forked now, so it has loaded satori while the first answers are on their way.
  draw.prewarm();
  const root = createMenuRoot({ stdout: process.stdout, mode: 'stream', appearance: setup.appearance, draw });
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
    void Promise.allSettled([flushHistory(), saveSparklines()]).finally(() => process.exit(0));
  };
  // `on`, not `once`: a library using signal-exit (none today) re-raises
  // the signal when it finds itself the only listener left, which killed the plugin unsaved.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  root.render(!setup.named && only !== undefined ? React.createElement(App, { deps: only }) : React.createElement(HostsApp, { hosts: setup.hosts, thisComputer: setup.thisComputer, platform: setup.platform }));
  await root.done;
}

if (first !== undefined && first !== '--once' && first !== '--stream') {
  const { runCliFromProcess } = await import('./system/cli/cli-process.js');
  process.exitCode = await runCliFromProcess(argv);
} else {
  await runPlugin(argv.includes('--once') ? true : argv.includes('--stream') ? false : undefined);
}
