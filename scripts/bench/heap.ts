/**
 * Heap breakdown of a running plugin: it is started with `--heapsnapshot-signal=SIGUSR2`, the
 * bench sends the signal, waits for the `.heapsnapshot` file and sums V8's self sizes by kind
 * (strings, code, arrays, closures…) and by constructor, biggest first.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export type HeapRow = { readonly name: string; readonly mb: number; readonly count: number };
export type HeapBreakdown = { readonly totalMb: number; readonly byType: readonly HeapRow[]; readonly byName: readonly HeapRow[] };

type Snapshot = {
  readonly snapshot: { readonly meta: { readonly node_fields: readonly string[]; readonly node_types: readonly [readonly string[], ...unknown[]] } };
  readonly nodes: readonly number[];
  readonly strings: readonly string[];
};

const MB = 1024 * 1024;

function top(map: Map<string, { size: number; count: number }>, n: number): HeapRow[] {
  return [...map]
    .sort((a, b) => b[1].size - a[1].size)
    .slice(0, n)
    .map(([name, v]) => ({ name, mb: Math.round((v.size / MB) * 100) / 100, count: v.count }));
}

/** Sums a snapshot file's nodes by type and by name. */
export function summariseHeap(file: string, rows = 12): HeapBreakdown {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const byType = new Map<string, { size: number; count: number }>();
  const byName = new Map<string, { size: number; count: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType] ?? 0] ?? '?';
    const size = snap.nodes[i + iSize] ?? 0;
    const raw = snap.strings[snap.nodes[i + iName] ?? 0] ?? '';
    // Strings and code are named by their content: group them by kind instead.
    const name = type === 'object' || type === 'native' || type === 'closure' ? `${type}:${raw.slice(0, 60)}` : type;
    total += size;
    for (const [map, key] of [[byType, type], [byName, name]] as const) {
      const e = map.get(key) ?? { size: 0, count: 0 };
      e.size += size;
      e.count += 1;
      map.set(key, e);
    }
  }
  return { totalMb: Math.round((total / MB) * 100) / 100, byType: top(byType, rows), byName: top(byName, rows) };
}

/** Waits (up to `timeoutMs`) for a new, finished .heapsnapshot in `dir`, returns its path. */
export async function awaitSnapshot(dir: string, since: number, timeoutMs = 60_000): Promise<string | null> {
  const end = Date.now() + timeoutMs;
  let lastSize = -1;
  while (Date.now() < end) {
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.heapsnapshot'))
      .map((f) => path.join(dir, f))
      .find((f) => statSync(f).mtimeMs >= since);
    if (file) {
      const size = statSync(file).size;
      // Written in pieces: done once its size stops changing.
      if (size > 0 && size === lastSize) return file;
      lastSize = size;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

/** Reads and deletes the snapshot (they are tens of MB). */
export function consumeSnapshot(file: string): HeapBreakdown {
  try {
    return summariseHeap(file);
  } finally {
    rmSync(file, { force: true });
  }
}
