/**
 * What each story shows, for `--list`: the doc comment written above its export
 * (`/** Service installed but stopped: red glyph, Start is offered. *\/ export const Stopped`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Story export name → its doc comment as one line, from a story file's source text. */
export function storyDocs(source: string): ReadonlyMap<string, string> {
  const docs = new Map<string, string>();
  for (const m of source.matchAll(/\/\*\*([\s\S]*?)\*\/\s*export const (\w+)/g)) {
    const text = (m[1] ?? '').split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trim()).filter(Boolean).join(' ');
    if (m[2] !== undefined) docs.set(m[2], text);
  }
  return docs;
}

/** The doc comment of story `name` in `file` (relative to `root`), or '' when it has none. */
export function storyDoc(root: string, file: string, name: string, cache = new Map<string, ReadonlyMap<string, string>>()): string {
  let docs = cache.get(file);
  if (docs === undefined) {
    try {
      docs = storyDocs(readFileSync(path.join(root, file), 'utf8'));
    } catch {
      docs = new Map();
    }
    cache.set(file, docs);
  }
  return docs.get(name) ?? '';
}
