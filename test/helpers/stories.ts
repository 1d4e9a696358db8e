/**
 * Story test machinery: load every story, render it to SwiftBar text, normalise images for the
 * snapshot, parse for the story's assertions, and map story ids to snapshot files.
 */
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFrame, renderToString } from '../../src/reconciler/index.js';
import type { ParsedFrame } from '../../src/reconciler/parse.js';
import type { LoadedStory } from '../../src/components/stories-index.js';
import { normalizeFrame } from './normalize-frame.js';

export { findStoryFiles, loadStories, selectStories, storyList, SRC_DIR, type LoadedStory } from '../../src/components/stories-index.js';

export type RenderedStory = {
  /** Exactly what SwiftBar would receive. */
  readonly text: string;
  /** `text` with embedded PNGs replaced by `«png WxH sha1:…»`. */
  readonly normalized: string;
  readonly frame: ParsedFrame;
};

const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Folder of the story snapshots (one `<Group>/<Component>/<Story>.swiftbar.txt` per story). */
export const STORY_SNAPSHOT_DIR = join(TEST_DIR, '__snapshots__', 'stories');
const SUFFIX = '.swiftbar.txt';

/** Renders a story in its appearance (light by default) and parses the raw text. */
export async function renderStory(loaded: LoadedStory): Promise<RenderedStory> {
  const text = await renderToString(loaded.story.render(), { appearance: loaded.story.appearance ?? 'light' });
  return { text, normalized: normalizeFrame(text), frame: parseFrame(text) };
}

/** Snapshot path for a story id, relative to test/stories.test.tsx (what toMatchFileSnapshot wants). */
export function snapshotPathFor(id: string): string {
  return `./__snapshots__/stories/${id}${SUFFIX}`;
}

/** Absolute snapshot path for a story id. */
export function absoluteSnapshotPathFor(id: string): string {
  return join(STORY_SNAPSHOT_DIR, ...id.split('/')) + SUFFIX;
}

/** Story ids that have a snapshot file on disk (empty when the folder does not exist yet). */
export function snapshotIds(): string[] {
  let files: string[];
  try {
    files = readdirSync(STORY_SNAPSHOT_DIR, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length).split(sep).join('/'))
    .sort();
}

/** Component modules under src/components: PascalCase `.tsx` files that are not stories, relative, `/`-separated. */
export function componentFiles(srcDir: string): string[] {
  const root = join(srcDir, 'components');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(sep).join('/'))
    .filter((f) => /(^|\/)[A-Z][A-Za-z0-9]*\.tsx$/.test(f))
    .map((f) => `src/components/${f}`)
    .sort();
}
