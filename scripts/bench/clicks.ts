/**
 * Click → frame against the REAL llama-swap, through the installed wrapper: how long from a
 * click until the plugin's frame shows it ("Loading "m"…", "Unloading "m"…" or already the
 * outcome). Two plugins on the same llama-swap, clicks alternating so both see the same load:
 * - `stdin`: SwiftBar 2.1's environment; the click writes the item's `stdin=` token and a
 *   newline to the running plugin (timed from the write);
 * - `bash` (the baseline): SwiftBar 2.0.1's environment; the click runs the item's `bash=`
 *   command as SwiftBar does (node starts, runs the action, writes last-action.json, which the
 *   running plugin watches), timed from the spawn.
 * Each round loads then unloads one model with each plugin, waiting for llama-swap to settle
 * before the next click.
 */
import { performance } from 'node:perf_hooks';
import { allItems, type ParsedFrame, type ParsedItem } from '../../src/reconciler/parse.js';
import { startPluginProcess, type PluginProcess } from '../../test/e2e/helpers/plugin-process.js';
import { findLlamaSwapBinary, startRealLlamaSwap } from '../../test/e2e/helpers/real-llama-swap.js';
import { round } from './proc.js';

export type ClickPath = { readonly medianMs: number; readonly worstMs: number; readonly samples: readonly number[] };

export type ClickResult = {
  readonly rounds: number;
  readonly stdin: ClickPath;
  readonly bash: ClickPath;
  /** bash median ÷ stdin median. */
  readonly speedup: number;
  /** The warm-up round's two clicks per path (the first click loads the action code), not in the figures above. */
  readonly firstRound: { readonly stdin: readonly number[]; readonly bash: readonly number[] };
};

const WAIT_MS = 60_000;
const MODEL = 'm';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const summary = (samples: readonly number[]): ClickPath => ({
  medianMs: round(median(samples), 1),
  worstMs: round(Math.max(...samples), 1),
  samples: samples.map((s) => round(s, 1)),
});

const loadItem = (f: ParsedFrame): ParsedItem | undefined => allItems(f).find((i) => i.title === MODEL && i.params.tooltip === 'Load this model now');
const unloadItem = (f: ParsedFrame): ParsedItem | undefined => {
  const row = f.body.find((n): n is ParsedItem => n.type === 'item' && n.title.startsWith(`${MODEL} — ready`));
  return row === undefined ? undefined : allItems({ header: [], body: row.children }).find((i) => i.title === 'Unload this model');
};
/** The click shows: its progress note, the action's "waiting" record, or its outcome. */
const shows = (words: readonly string[]) => (f: ParsedFrame): boolean => allItems(f).some((i) => words.some((w) => i.title.startsWith(w)));

/** One click and the time until a frame shows it. */
async function timedClick(plugin: PluginProcess, item: ParsedItem, how: 'stdin' | 'bash', words: readonly string[]): Promise<number> {
  const from = plugin.frameCount();
  const shown = plugin.waitForFrame(shows(words), WAIT_MS, words[0], from);
  const start = performance.now();
  const run = how === 'stdin' ? (plugin.clickStdin(item), null) : plugin.click(item);
  await shown;
  const ms = performance.now() - start;
  if (run !== null) {
    const r = await run;
    if (r.code !== 0) throw new Error(`bash click failed: ${r.stderr}`);
  }
  return ms;
}

/** Resolves once llama-swap lists no model (an unload it answered has finished stopping it). */
async function llamaSwapIdle(url: string): Promise<void> {
  for (;;) {
    const body = (await (await fetch(`${url}/running`)).json()) as { running: { state: string }[] };
    if (body.running.every((m) => m.state === 'stopped')) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Loads, then unloads, with one plugin; every wait is for a frame of that plugin drawn after its previous step. */
async function loadThenUnload(plugin: PluginProcess, how: 'stdin' | 'bash', url: string): Promise<number[]> {
  await llamaSwapIdle(url);
  const idle = await plugin.waitForFrame((f) => loadItem(f) !== undefined, WAIT_MS, 'model idle', Math.max(0, plugin.frameCount() - 1));
  const load = await timedClick(plugin, loadItem(idle) as ParsedItem, how, [`Loading "${MODEL}"…`, `loaded model "${MODEL}"`]);
  const from = plugin.frameCount();
  const ready = await plugin.waitForFrame((f) => unloadItem(f) !== undefined && shows([`loaded model "${MODEL}"`])(f), WAIT_MS, 'model ready', Math.max(0, from - 1));
  const unload = await timedClick(plugin, unloadItem(ready) as ParsedItem, how, [`Unloading "${MODEL}"…`, `unloaded model "${MODEL}"`]);
  await plugin.waitForFrame((f) => loadItem(f) !== undefined && shows([`unloaded model "${MODEL}"`])(f), WAIT_MS, 'model idle again', Math.max(0, plugin.frameCount() - 1));
  return [load, unload];
}

/** Null (with the reason on stderr) when no real llama-swap binary is installed. */
export async function clickFigures(rounds: number): Promise<ClickResult | null> {
  const bin = findLlamaSwapBinary();
  if (bin === null) {
    process.stderr.write('clicks: skipped, no llama-swap binary (bash scripts/install-llama-swap.sh or LLAMA_SWAP_BIN)\n');
    return null;
  }
  const sw = await startRealLlamaSwap({ models: { [MODEL]: { loadMs: 50 } } }, bin);
  const stdinPlugin = startPluginProcess({ apiUrl: sw.url, timeoutSecs: 2, swiftbar: '2.1.0' });
  const bashPlugin = startPluginProcess({ apiUrl: sw.url, timeoutSecs: 2, swiftbar: '2.0.1' });
  const stdin: number[] = [];
  const bash: number[] = [];
  let first: ClickResult['firstRound'] = { stdin: [], bash: [] };
  try {
    // One warm-up round each: the first click of a process pays for loading the action code.
    const firstStdin = await loadThenUnload(stdinPlugin, 'stdin', sw.url);
    const firstBash = await loadThenUnload(bashPlugin, 'bash', sw.url);
    first = { stdin: firstStdin.map((x) => round(x, 1)), bash: firstBash.map((x) => round(x, 1)) };
    for (let i = 0; i < rounds; i++) {
      process.stderr.write(`clicks: round ${i + 1}/${rounds}\n`);
      stdin.push(...(await loadThenUnload(stdinPlugin, 'stdin', sw.url)));
      bash.push(...(await loadThenUnload(bashPlugin, 'bash', sw.url)));
    }
  } finally {
    await Promise.all([stdinPlugin.dispose(), bashPlugin.dispose()]);
    await sw.stop();
  }
  const s = summary(stdin);
  const b = summary(bash);
  return { rounds, stdin: s, bash: b, speedup: round(b.medianMs / Math.max(s.medianMs, 0.1), 1), firstRound: first };
}
