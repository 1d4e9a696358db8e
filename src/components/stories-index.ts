/**
 * Finds and loads every `*.stories.tsx` under `src/` (Node 20 recursive readdir; `fs.glob` needs
 * Node 22). Pure helpers name, list and select stories, so the preview's `--list` is testable and
 * the snapshot tests and the preview agree on names and paths.
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Story, StoryMeta } from './story.js';

/** One named story with where it came from. */
export type LoadedStory = {
  /** `Group/Component` from the default export. */
  readonly title: string;
  /** The named export. */
  readonly name: string;
  /** `Group/Component/Name`: the preview's name and the snapshot's path. */
  readonly id: string;
  /** Source file, relative to the repository root, with `/` separators. */
  readonly file: string;
  readonly story: Story;
};

/** The repository's `src/` folder, resolved from this module (not from the working directory). */
export const SRC_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = join(SRC_DIR, '..');

/** Every `*.stories.tsx` below `root`, absolute, sorted. */
export function findStoryFiles(root: string = SRC_DIR): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.stories.tsx'))
    .map((f) => join(root, f))
    .sort();
}

function isStory(value: unknown): value is Story {
  return typeof value === 'object' && value !== null && typeof (value as { render?: unknown }).render === 'function';
}

function isMeta(value: unknown): value is StoryMeta {
  return typeof value === 'object' && value !== null && typeof (value as { title?: unknown }).title === 'string';
}

/** The stories of one imported module, in export order; throws a readable error without a title. */
export function storiesOfModule(module: Record<string, unknown>, file: string): LoadedStory[] {
  const meta = module['default'];
  if (!isMeta(meta)) throw new Error(`${file}: default export must be { title: 'Group/Component' }`);
  return Object.entries(module)
    .filter((entry): entry is [string, Story] => entry[0] !== 'default' && isStory(entry[1]))
    .map(([name, story]) => ({ title: meta.title, name, id: `${meta.title}/${name}`, file, story }));
}

/** Imports the given story files (all under `src/` by default) and returns their stories sorted by id. */
export async function loadStories(files: readonly string[] = findStoryFiles()): Promise<LoadedStory[]> {
  const loaded = await Promise.all(
    files.map(async (abs) => {
      const module = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
      return storiesOfModule(module, relative(REPO_DIR, abs).split(sep).join('/'));
    }),
  );
  return loaded.flat().sort((a, b) => a.id.localeCompare(b.id));
}

/** Story ids, one per entry, in order: the preview's `--list` output. */
export function storyList(stories: readonly Pick<LoadedStory, 'id'>[]): string[] {
  return stories.map((s) => s.id);
}

/**
 * The name people see: the id without a repeated segment (`Menu/Menu/Processing` is the Menu
 * component in the Menu group → `Menu/Processing`). Ids (and snapshot paths) stay as they are.
 */
export function storyName(id: string): string {
  return id.split('/').filter((part, i, all) => i === 0 || part !== all[i - 1]).join('/');
}

/** Stories matching `query`: an exact id or name (case-insensitive) wins, else every one whose id or name contains it. */
export function selectStories<T extends Pick<LoadedStory, 'id'>>(stories: readonly T[], query: string): T[] {
  const q = query.toLowerCase();
  const names = (s: T): readonly string[] => [s.id.toLowerCase(), storyName(s.id).toLowerCase()];
  const exact = stories.filter((s) => names(s).includes(q));
  return exact.length > 0 ? exact : stories.filter((s) => names(s).some((n) => n.includes(q)));
}
