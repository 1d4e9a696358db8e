/**
 * Terminal storybook: every story drawn as the menu a person would see (title first, submenus
 * indented, truecolor, sparklines inline or as blocks), with its SwiftBar source beside it
 * (--source) or instead of it (--raw; images abbreviated unless --full). Stories are named
 * without stutter (`Menu/Processing`, not `Menu/Menu/Processing`); --list says what each shows.
 * `--live` runs the real plugin in streaming mode and redraws each frame in place.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadStories, selectStories, storyName, type LoadedStory } from '../src/components/stories-index.js';
import { renderToFrame } from '../src/reconciler/render-to-string.js';
import { argsOrExitCode } from './cli-args.js';
import { apiEnvFor, parsePreviewArgs, USAGE, type PreviewArgs } from './preview/args.js';
import { detectImageProtocol, type ImageProtocol } from './preview/inline-image.js';
import { drawPluginOutput, menuFrameLines } from './preview/frame-lines.js';
import { sparklineValuesOf } from './preview/sparkline-values.js';
import { abbreviateImages } from './preview/abbreviate.js';
import { leftColumnWidth, sideBySide } from './preview/side-by-side.js';
import { storyDoc } from './preview/story-docs.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const docCache = new Map<string, ReadonlyMap<string, string>>();
const describe = (loaded: LoadedStory): string => storyDoc(REPO, loaded.file, loaded.name, docCache);

/** `--list`: each story's name and what it shows, aligned. */
function listing(stories: readonly LoadedStory[]): string {
  const names = stories.map((s) => storyName(s.id));
  const width = Math.min(40, Math.max(0, ...names.map((n) => n.length)));
  return stories.map((s, i) => `${(names[i] ?? '').padEnd(width)}  ${describe(s)}`.trimEnd() + '\n').join('');
}

async function showStory(loaded: LoadedStory, args: PreviewArgs, images: ImageProtocol): Promise<boolean> {
  const appearance = args.appearance ?? loaded.story.appearance ?? 'light';
  const tty = process.stdout.isTTY === true;
  const heading = `━━ ${storyName(loaded.id)} (${appearance}) ━━`;
  const doc = describe(loaded);
  process.stdout.write(`\n${tty ? `\x1b[1m${heading}\x1b[22m` : heading}\n${doc === '' ? '' : `${tty ? `\x1b[2m${doc}\x1b[22m` : doc}\n`}`);
  try {
    const { text, nodes } = await renderToFrame(loaded.story.render(), { appearance });
    const source = args.full ? text : abbreviateImages(text);
    if (args.raw) process.stdout.write(source);
    else if (args.source) {
      // Inline images cannot be cut to a column: the drawing uses blocks here.
      const columns = process.stdout.columns || 160;
      const shape = { color: tty && process.env['NO_COLOR'] === undefined, width: leftColumnWidth(columns) };
      const drawing = menuFrameLines(text, appearance, 'blocks', sparklineValuesOf(nodes), shape);
      const lines = sideBySide(drawing, source.replace(/\n$/, '').split('\n'), columns, shape.color);
      process.stdout.write(`${lines.join('\n')}\n`);
    } else process.stdout.write(`${menuFrameLines(text, appearance, images, sparklineValuesOf(nodes)).join('\n')}\n`);
    return true;
  } catch (error) {
    process.stdout.write(`render failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  }
}

async function runLivePlugin(args: PreviewArgs): Promise<void> {
  const appearance = args.appearance ?? 'light';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.tsx'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      LLAMA_SWAP_STREAMING_MODE: 'true',
      OS_APPEARANCE: appearance === 'dark' ? 'Dark' : 'Light',
      ...(args.url === undefined ? {} : apiEnvFor(args.url)),
    },
  });
  const stop = (): void => void child.kill('SIGTERM');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await drawPluginOutput(child.stdout, { appearance });
}

/** The CLI; `load` is injectable so tests and tools can point it at other story files. */
export async function main(argv: readonly string[], load: () => Promise<LoadedStory[]> = () => loadStories()): Promise<number> {
  const settled = argsOrExitCode(parsePreviewArgs(argv), USAGE);
  if ('exitCode' in settled) return settled.exitCode;
  const { args } = settled;
  const images = detectImageProtocol(process.env);
  if (args.live) {
    await runLivePlugin(args);
    return 0;
  }
  const all = await load();
  const stories = args.story === undefined ? all : selectStories(all, args.story);
  if (args.list) {
    process.stdout.write(listing(stories));
    return 0;
  }
  if (stories.length === 0) {
    process.stderr.write(args.story === undefined ? 'no stories found under src/\n' : `no story matches ${JSON.stringify(args.story)}\n`);
    return 1;
  }
  let ok = true;
  for (const loaded of stories) ok = (await showStory(loaded, args, images)) && ok;
  return ok ? 0 : 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
