/**
 * System figures never mix two machines: the installed plugin first reads llama-swap's
 * `/api/performance` (a machine with far more memory in use than this one has at all), then
 * llama-swap stops answering it and the plugin falls back to this computer. Every frame that says
 * the figures come from this computer must chart and summarise this computer's values only: the
 * memory line's min/avg/max within this computer's total, and its chart (decoded from the PNG the
 * plugin wrote) without the other machine's level.
 */
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../scripts/preview/decode-png.js';
import { allItems, parseFrame, type ParsedFrame, type ParsedItem } from '../../src/reconciler/parse.js';
import { startFaultServer } from './helpers/fault-server.js';
import { childRow } from './helpers/frame-queries.js';
import { startPluginProcess } from './helpers/plugin-process.js';

const WAIT = 30_000;
/** The other machine: 58.6 GB used of 64 GB, more than this computer has (see the guard below). */
const REMOTE_USED_MB = 60_000;
const REMOTE_TOTAL_MB = 65_536;
const GB = 1024 ** 3;

function performanceBody(): string {
  const sample = {
    timestamp: new Date().toISOString(),
    cpu_util_per_core: [50, 50, 50, 50],
    mem_total_mb: REMOTE_TOTAL_MB,
    mem_used_mb: REMOTE_USED_MB,
    mem_free_mb: REMOTE_TOTAL_MB - REMOTE_USED_MB,
    swap_total_mb: 0,
    swap_used_mb: 0,
  };
  return JSON.stringify({ enabled: true, sys_stats: [sample], gpu_stats: [] });
}

function systemMenu(frame: ParsedFrame): ParsedItem | undefined {
  return allItems(frame).find((i) => i.depth === 0 && i.title.startsWith('System — '));
}

/** "remote" / "local" from the System submenu's source line, or null without one. */
function sourceOf(frame: ParsedFrame): 'remote' | 'local' | null {
  const line = systemMenu(frame)?.children.find((c): c is ParsedItem => c.type === 'item' && c.title.startsWith('Figures'))?.title ?? '';
  if (line.includes('llama-swap')) return 'remote';
  if (line.includes('this computer') || line.includes('this Mac')) return 'local';
  return null;
}

const memoryRow = (frame: ParsedFrame): ParsedItem | undefined => childRow(systemMenu(frame), 'Memory:');

/** "1.2 GB" → bytes. */
function bytesOf(text: string): number {
  const m = /([\d.]+) (B|KB|MB|GB|TB)/.exec(text);
  if (!m?.[1] || !m[2]) return Number.NaN;
  return Number(m[1]) * 1024 ** ['B', 'KB', 'MB', 'GB', 'TB'].indexOf(m[2]);
}

/** The memory line's figures: used, total and the window's min/avg/max (null without a window). */
function memoryFigures(row: ParsedItem): { total: number; stats: number[] | null } {
  const m = /^Memory: [^/]+ \/ ([^·]+)(?: · min ([^·]+) · avg ([^·]+) · max (.+))?$/.exec(row.title);
  if (!m?.[1]) throw new Error(`unexpected memory line: ${row.title}`);
  return { total: bytesOf(m[1]), stats: m[2] && m[3] && m[4] ? [m[2], m[3], m[4]].map(bytesOf) : null };
}

/**
 * The highest level the chart's line reaches, as a fraction of its height (0 bottom, 1 top): the
 * topmost row holding any ink. The memory chart spans 0 to the machine's total.
 */
function chartTop(row: ParsedItem): number | null {
  const image = row.params.image;
  if (image === undefined) return null;
  const png = decodePng(Buffer.from(image, 'base64'));
  if (!png) throw new Error('chart is not a PNG');
  for (let y = 0; y < png.height; y += 1) {
    for (let x = 0; x < png.width; x += 1) if (png.pixel(x, y)[3] > 0) return 1 - y / (png.height - 1);
  }
  return 0;
}

describe('system figures from one machine at a time', () => {
  it('after /api/performance stops answering, the memory line and its chart hold only this computer\'s values', async (ctx) => {
    const fs = await startFaultServer([{ id: 'model-one', name: 'Model One', state: 'ready' }]);
    ctx.onTestFinished(() => fs.close());
    fs.fault('/api/performance', { kind: 'reply', status: 200, body: performanceBody(), type: 'application/json' });
    const p = startPluginProcess({ apiUrl: fs.url, timeoutSecs: 1 });
    ctx.onTestFinished(() => p.dispose());

    // llama-swap's machine, with a recorded sample of it in the window (the line has min/avg/max and a chart).
    const remote = await p.waitForFrame(
      (f) => sourceOf(f) === 'remote' && memoryRow(f)?.params.image !== undefined && memoryFigures(memoryRow(f) as ParsedItem).stats !== null,
      WAIT,
      "a memory chart of llama-swap's machine",
    );
    const remoteRow = memoryRow(remote) as ParsedItem;
    expect(memoryFigures(remoteRow).total).toBeCloseTo(REMOTE_TOTAL_MB * 1024 * 1024, -8);
    // The decoder sees the other machine's level near the top (58.6 of 64 GB): the check below can see it.
    expect(chartTop(remoteRow)).toBeGreaterThan(0.8);

    const switched = p.frames.length;
    fs.fault('/api/performance', { kind: 'reply', status: 404, body: '404 page not found\n' });
    // This computer's figures, charted once a sample of them is recorded.
    await p.waitForFrame((f) => sourceOf(f) === 'local' && memoryRow(f)?.params.image !== undefined, WAIT, "a memory chart of this computer's figures", switched);

    const local = p.frames.slice(switched).map((raw) => parseFrame(raw)).filter((f) => sourceOf(f) === 'local');
    expect(local.length).toBeGreaterThan(0);
    for (const frame of local) {
      const row = memoryRow(frame);
      if (row === undefined) continue;
      const { total, stats } = memoryFigures(row);
      // The guard: this computer has less memory than the other machine had in use.
      expect(total).toBeLessThan(REMOTE_USED_MB * 1024 * 1024);
      for (const v of stats ?? []) expect(v, row.title).toBeLessThanOrEqual(total);
      const top = chartTop(row);
      if (top === null) continue;
      // The chart spans 0..total; the line stays at this computer's own level (its stated max, plus the stroke).
      const max = stats === null ? total : Math.max(...stats);
      expect(top, `${row.title}: chart reaches ${(top * 100).toFixed(0)} % of ${(total / GB).toFixed(1)} GB`).toBeLessThanOrEqual(max / total + 0.1);
    }
    expect(p.malformed).toEqual([]);
  }, 90_000);
});
