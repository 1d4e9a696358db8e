import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeFrame } from './helpers/normalize-frame.js';
import {
  absoluteSnapshotPathFor,
  componentFiles,
  loadStories,
  renderStory,
  snapshotIds,
  snapshotPathFor,
  SRC_DIR,
} from './helpers/stories.js';

/** Components that legitimately have no story, with the reason. */
const NO_STORY_NEEDED: Readonly<Record<string, string>> = {
  'src/components/App.tsx': 'the one component that calls hooks; stories render its pure children',
};

const stories = await loadStories();

// An empty describe is an error in vitest; zero stories is caught by the component guard below.
describe.runIf(stories.length > 0)('stories', () => {
  for (const loaded of stories) {
    it(loaded.id, async () => {
      const { normalized, frame } = await renderStory(loaded);
      await expect(normalized).toMatchFileSnapshot(snapshotPathFor(loaded.id));
      loaded.story.assert?.(frame, expect);
    });
  }
});

describe('story guards', () => {
  it('gives every component module at least one story', () => {
    const withStories = new Set(stories.map((s) => s.file.replace(/\.stories\.tsx$/, '.tsx')));
    const missing = componentFiles(SRC_DIR).filter((f) => !withStories.has(f) && !(f in NO_STORY_NEEDED));
    expect(missing).toEqual([]);
  });

  it('has a snapshot file for every story and no orphaned snapshot', () => {
    const mode = expect.getState().snapshotState.snapshotUpdateState;
    const ids = new Set(stories.map((s) => s.id));
    // In 'new' mode (local runs) missing files are written when this file finishes; CI runs use 'none'.
    if (mode === 'none') {
      expect(stories.filter((s) => !existsSync(absoluteSnapshotPathFor(s.id))).map((s) => s.id)).toEqual([]);
    }
    // While updating (-u), vitest rewrites snapshots; orphans are the developer's to delete then.
    if (mode !== 'all') {
      expect(snapshotIds().filter((id) => !ids.has(id))).toEqual([]);
    }
  });
});

describe('normalizeFrame', () => {
  // A 1x1 transparent PNG.
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  it('replaces image and templateImage PNGs, pairs too, and leaves other text alone', () => {
    const text = `CPU | image=${png} color=red\nA | templateImage=${png},${png}\nimage=notpng | href=https://x/image=1`;
    expect(normalizeFrame(text)).toBe(
      'CPU | image=«png 1x1 sha1:c7a9c45f» color=red\nA | templateImage=«png 1x1 sha1:c7a9c45f»,«png 1x1 sha1:c7a9c45f»\nimage=notpng | href=https://x/image=1',
    );
  });
});
