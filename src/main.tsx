#!/usr/bin/env node
/**
 * Composition root. `llama-swap-swiftbar <action> [args]` runs the action CLI and loads no
 * React, satori or resvg. With no action it runs the menu: streaming frames (SwiftBar
 * streamable), or one frame with `--once` or LLAMA_SWAP_STREAMING_MODE=false.
 */
const argv = process.argv.slice(2);
const first = argv[0];

/** How long shutdown may take to save the history before we exit anyway. */
const EXIT_SAVE_BUDGET_MS = 1000;

async function runPlugin(once: boolean | undefined): Promise<void> {
  const [{ createElement }, { createMenuRoot }, { createMenuDeps }] = await Promise.all([
    import('react'),
    import('./reconciler/index.js'),
    import('./hooks/menu-deps.js'),
  ]);
  const deps = createMenuDeps();
  const streaming = once === undefined ? deps.config.streaming : !once;

  if (!streaming) {
    // One frame: fetch everything once (no SWR, no timers), then print the pure menu.
    const [{ loadMenuModelOnce }, { Menu }] = await Promise.all([
      import('./hooks/load-menu-model.js'),
      import('./components/Menu.js'),
    ]);
    const model = await loadMenuModelOnce(deps);
    const root = createMenuRoot({ stdout: process.stdout, mode: 'once', appearance: deps.config.appearance });
    root.render(createElement(Menu, { model }));
    await root.done;
    return;
  }

  const [{ App }, { flushHistory }] = await Promise.all([import('./components/App.js'), import('./hooks/use-history.js')]);
  const root = createMenuRoot({ stdout: process.stdout, mode: 'stream', appearance: deps.config.appearance });
  const stop = (): void => {
    // SwiftBar sends SIGTERM on refresh, sleep and quit: unmount saves the history first.
    setTimeout(() => process.exit(0), EXIT_SAVE_BUDGET_MS).unref();
    root.unmount();
    void flushHistory().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  root.render(createElement(App, { deps }));
  await root.done;
}

if (first !== undefined && first !== '--once' && first !== '--stream') {
  const { runCliFromProcess } = await import('./system/cli-process.js');
  process.exitCode = await runCliFromProcess(argv);
} else {
  await runPlugin(argv.includes('--once') ? true : argv.includes('--stream') ? false : undefined);
}
