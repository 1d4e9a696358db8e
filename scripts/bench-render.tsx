/**
 * Render benchmark (`npm run bench:render`): median time per frame of a 40-line menu with three
 * 300-sample sparklines (commit → painted → serialised text), with a warm and a cold sparkline
 * cache, against the same text built by plain string concatenation in the same run; plus bytes
 * per frame and one cold sparkline. Prints a table; never asserts (benchmarks are not tests).
 */
import { Writable } from 'node:stream';
import type { ReactElement } from 'react';
import type { SparklineSpec } from '../src/reconciler/sparkline/rasterize.js';

// The plugin ships React's production build; `--dev` measures the development build instead.
const DEV = process.argv.includes('--dev');
process.env['NODE_ENV'] = DEV ? 'development' : 'production';
const { createElement: h, Fragment } = await import('react');
const { Item, Separator, Sparkline, Submenu, Title } = await import('../src/components/primitives/index.js');
const { renderToString, renderToFrame } = await import('../src/reconciler/render-to-string.js');
const { createMenuRoot } = await import('../src/reconciler/root.js');
const { createFiberRoot, renderSync } = await import('../src/reconciler/container.js');
const { createRootNode } = await import('../src/reconciler/nodes.js');
const { paint } = await import('../src/reconciler/paint.js');
const { serializeFrame } = await import('../src/reconciler/serialize.js');
const { cachedSparkline, renderSparkline, resetSparklineCache } = await import('../src/reconciler/sparkline/rasterize.js');

type Model = { readonly name: string; readonly tps: readonly number[]; readonly stats: readonly string[] };

const STROKE = { light: '#1f6feb', dark: '#58a6ff' } as const;
const EXE = '/usr/local/bin/llama-swap-swiftbar';
const HISTORY = 300;

const series = (seed: number): number[] =>
  Array.from({ length: HISTORY }, (_, i) => (i % 97 === 13 ? Number.NaN : 40 + 30 * Math.sin(i / (5 + seed)) + ((i * 7919 * seed) % 11)));

const models: readonly Model[] = [1, 2, 3].map((seed) => ({
  name: `model-${seed}-8b-q4_k_m`,
  tps: series(seed),
  stats: ['Tokens/s 42.0', 'Prompt 812.5 t/s', 'Context 4096/32768', 'Slots 2/4 busy', 'Queue 1', 'KV cache 31%', 'Up 1h 12m', 'Port 5801'],
}));

/** 40 lines: title, `---`, 3 × (submenu + 8 stats + sparkline + separator + unload), separator, CPU. */
// createElement, not JSX: the JSX runtime import would load before NODE_ENV is set above.
function menu(title: string): ReactElement {
  return h(
    Fragment,
    null,
    h(Title, { color: { light: '#1f6feb', dark: '#58a6ff' } }, title),
    ...models.map((m) =>
      h(
        Submenu,
        { key: m.name, label: m.name, color: 'green' },
        ...m.stats.map((s) => h(Item, { key: s }, s)),
        h(Sparkline, { values: m.tps, width: 60, height: 20, stroke: STROKE }, 'tokens/s'),
        h(Separator, {}),
        h(Item, { bash: { executable: EXE, args: ['unload', m.name] } }, 'Unload'),
      ),
    ),
    h(Separator, {}),
    h(Item, { color: 'red' }, 'CPU 87%'),
  );
}

const SAFE = 'symbolize=false emojize=false';

/** The same frame by string concatenation, images already rendered (the floor for any renderer). */
function baseline(title: string, images: readonly string[]): string {
  let out = `${title} | color=#1f6feb,#58a6ff ${SAFE}\n---\n`;
  models.forEach((m, i) => {
    out += `${m.name} | color=green ${SAFE}\n`;
    for (const s of m.stats) out += `--${s} | ${SAFE}\n`;
    out += `--tokens/s | ${SAFE} image=${images[i] ?? ''}\n`;
    out += '-----\n';
    out += `--Unload | ${SAFE} bash=${EXE} param1=unload param2=${m.name} terminal=false\n`;
  });
  out += `---\nCPU 87% | color=red ${SAFE}\n`;
  return out;
}

const specOf = (m: Model): SparklineSpec => ({ values: m.tps, width: 60, height: 20, color: STROKE.light });

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

async function time(runs: number, before: () => void, fn: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    before();
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/** Streaming root: time from render() of an updated tree to the frame reaching stdout. */
async function streamFrameMedian(runs: number): Promise<number> {
  let onWrite: () => void = () => undefined;
  const stdout = new Writable({ write: (_c, _e, cb) => (onWrite(), cb()) });
  const root = createMenuRoot({ stdout, mode: 'stream', appearance: 'light', coalesceMs: 0, onFatal: () => undefined });
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const written = new Promise<void>((resolve) => (onWrite = resolve));
    const t = performance.now();
    root.render(menu(`LS ${i}`));
    await written;
    samples.push(performance.now() - t);
  }
  root.unmount();
  return median(samples);
}

const ms = (x: number): string => `${x.toFixed(3)} ms`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const firstSpark = await renderSparkline(specOf(models[0] as Model));
  const firstSparkMs = performance.now() - t0;
  await Promise.all(models.map((m) => renderSparkline(specOf(m))));
  const warmImages = models.map((m) => cachedSparkline(specOf(m)) ?? '');

  const text = await renderToString(menu('LS 42.0'), { appearance: 'light' });
  const base = baseline('LS 42.0', warmImages);
  const lines = text.trimEnd().split('\n').length;
  const same = text === base;

  for (let i = 0; i < 30; i++) await renderToString(menu('LS 42.0'));
  // Both sides end with the frame as bytes (what gets written), so V8's lazy string ropes are paid for.
  const baseMs = await time(2000, () => undefined, () => Buffer.from(baseline('LS 42.0', warmImages)));
  const warmMs = await time(300, () => undefined, async () => Buffer.from(await renderToString(menu('LS 42.0'))));
  const coldMs = await time(40, resetSparklineCache, async () => Buffer.from(await renderToString(menu('LS 42.0'))));
  const commitMs = await time(300, () => undefined, () => {
    const root = createFiberRoot(createRootNode(), { onUncaughtError: () => undefined });
    renderSync(root, menu('LS 42.0'));
    renderSync(root, null);
  });
  const { nodes } = await renderToFrame(menu('LS 42.0'));
  const paintMs = await time(300, () => undefined, () => paint(nodes, 'light'));
  const serializeMs = await time(300, () => undefined, () => serializeFrame(nodes));
  const sparkMs = await time(60, resetSparklineCache, () => renderSparkline(specOf(models[1] as Model)));
  await Promise.all(models.map((m) => renderSparkline(specOf(m))));
  const streamMs = await streamFrameMedian(200);

  const bytes = Buffer.byteLength(text);
  const imageBytes = warmImages.reduce((n, b) => n + b.length, 0);
  const rows: [string, string, string][] = [
    ['string concatenation (baseline)', ms(baseMs), '1.0x'],
    ['renderToString, warm sparkline cache', ms(warmMs), `${(warmMs / baseMs).toFixed(1)}x`],
    ['  of which: React commit + teardown (40 host nodes)', ms(commitMs), `${(commitMs / baseMs).toFixed(1)}x`],
    ['  of which: paint, 3 cache hits', ms(paintMs), `${(paintMs / baseMs).toFixed(1)}x`],
    ['  of which: serialise to text', ms(serializeMs), `${(serializeMs / baseMs).toFixed(1)}x`],
    ['renderToString, cold cache (3 charts)', ms(coldMs), `${(coldMs / baseMs).toFixed(1)}x`],
    ['stream root update → frame, warm (incl. ≥1 ms timer)', ms(streamMs), `${(streamMs / baseMs).toFixed(1)}x`],
    ['one cold sparkline (300 samples, 60x20 pt)', ms(sparkMs), ''],
    ['first sparkline incl. lazy satori/resvg import', ms(firstSparkMs), ''],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`React build: ${DEV ? 'development (--dev)' : 'production'}; Node ${process.version}`);
  console.log(`menu: ${lines} lines, 3 sparklines x ${HISTORY} samples; text identical to baseline: ${same ? 'yes' : 'NO'}`);
  console.log(`${'case'.padEnd(w)}  ${'median'.padStart(12)}  ratio`);
  for (const [name, value, ratio] of rows) console.log(`${name.padEnd(w)}  ${value.padStart(12)}  ${ratio}`);
  console.log(`bytes per frame: ${bytes} (3 sparklines: ${imageBytes} bytes of base64)`);
  console.log(
    `targets: warm ≤ 3x baseline ${warmMs <= 3 * baseMs ? 'met' : 'MISSED'}, warm < 2 ms ${warmMs < 2 ? 'met' : 'MISSED'}, ` +
      `cold sparkline < 15 ms ${sparkMs < 15 ? 'met' : 'MISSED'}, frame < 12 KB ${bytes < 12 * 1024 ? 'met' : 'MISSED'}`,
  );
  if (!same) {
    const a = text.split('\n');
    const b = base.split('\n');
    const at = a.findIndex((l, i) => l !== b[i]);
    console.log(`first difference at line ${at + 1}:\n  render:   ${a[at]?.slice(0, 160)}\n  baseline: ${b[at]?.slice(0, 160)}`);
  }
  void firstSpark;
}

await main();
