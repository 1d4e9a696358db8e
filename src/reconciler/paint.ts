/**
 * Paint: the async stage between commit and text that gives every visible sb-sparkline node its
 * image (cache first). A failed render leaves the item without an image, never a crash. The sync
 * half (`paintCached`) lets the root serialise in the same tick as its last paint pass.
 */
import type { ElementNode, MenuNode } from './nodes.js';
import { cachedSparkline, renderSparkline, sparklineKey, type SparklineSpec } from './sparkline/rasterize.js';

/** Which stroke of a `{light, dark}` pair to draw. */
export type Appearance = 'light' | 'dark';

/** Images resolved in this root: base64, or null when rendering failed (not retried). */
export type PaintMemo = Map<string, string | null>;

/** A sparkline still to be drawn. */
export type PendingSparkline = { readonly key: string; readonly spec: SparklineSpec };

type SparklineNode = Extract<ElementNode, { type: 'sb-sparkline' }>;

function sparklines(nodes: readonly MenuNode[], out: SparklineNode[] = []): SparklineNode[] {
  for (const node of nodes) {
    if (node.kind !== 'element' || node.hidden) continue;
    if (node.type === 'sb-sparkline') out.push(node);
    else sparklines(node.children, out);
  }
  return out;
}

/** The rasterizer input for a node in an appearance. */
export function specOf(node: SparklineNode, appearance: Appearance): SparklineSpec {
  const { values, width, height, stroke, min, max } = node.props;
  return {
    values,
    width,
    height,
    color: appearance === 'dark' ? stroke.dark : stroke.light,
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
  };
}

function lookup(spec: SparklineSpec, key: string, memo: PaintMemo): string | null | undefined {
  if (memo.has(key)) return memo.get(key);
  try {
    return cachedSparkline(spec);
  } catch {
    return null;
  }
}

/** The rasterizer's content key (cheap); a spec it rejects falls back to its JSON form. */
function memoKey(spec: SparklineSpec): string {
  try {
    return sparklineKey(spec);
  } catch {
    return JSON.stringify(spec);
  }
}

/** Sets every image already known; returns the sparklines that still need rendering. */
export function paintCached(nodes: readonly MenuNode[], appearance: Appearance, memo: PaintMemo): PendingSparkline[] {
  const pending = new Map<string, PendingSparkline>();
  for (const node of sparklines(nodes)) {
    const spec = specOf(node, appearance);
    const key = memoKey(spec);
    const image = lookup(spec, key, memo);
    node.image = image ?? undefined;
    if (image === undefined) pending.set(key, { key, spec });
  }
  return [...pending.values()];
}

/** Draws one chart into a base64 PNG, cache first (in-process by default; child-drawer.ts). */
export type SparklineDraw = (spec: SparklineSpec) => Promise<string>;

/** Renders the pending sparklines into the memo (failures recorded as null). */
export async function renderPending(pending: readonly PendingSparkline[], memo: PaintMemo, draw: SparklineDraw = renderSparkline): Promise<void> {
  await Promise.all(
    pending.map(async ({ key, spec }) => {
      try {
        memo.set(key, await draw(spec));
      } catch {
        memo.set(key, null);
      }
    }),
  );
}

/** Paints a static tree completely. */
export async function paint(nodes: readonly MenuNode[], appearance: Appearance, memo: PaintMemo = new Map()): Promise<void> {
  for (;;) {
    const pending = paintCached(nodes, appearance, memo);
    if (pending.length === 0) return;
    await renderPending(pending, memo);
  }
}
