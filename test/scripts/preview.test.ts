import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveColor, NAMED_COLORS } from '../../scripts/preview/colors.js';
import { detectImageProtocol, itermImage, kittyImage, pngToBlocks, valuesToBlocks } from '../../scripts/preview/inline-image.js';
import { createLiveDrawer, drawLive, eraseLines, framesFromStream } from '../../scripts/preview/live.js';
import { renderSparkline } from '../../src/reconciler/sparkline/rasterize.js';
import { loadStories, selectStories, storiesOfModule, storyList, storyName } from '../../src/components/stories-index.js';
import stringWidth from 'string-width';
import { abbreviateImages } from '../../scripts/preview/abbreviate.js';
import { sideBySide } from '../../scripts/preview/side-by-side.js';
import { storyDoc, storyDocs } from '../../scripts/preview/story-docs.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
import { parseFrame } from '../../src/reconciler/parse.js';
import { renderToFrame, renderToString } from '../../src/reconciler/render-to-string.js';
import { apiEnvFor, parsePreviewArgs } from '../../scripts/preview/args.js';
import { renderMenu } from '../../scripts/preview/render-menu.js';
import { drawPluginOutput, menuFrameLines } from '../../scripts/preview/frame-lines.js';
import { sparklineValuesOf } from '../../scripts/preview/sparkline-values.js';

const stories = [{ id: 'Menu/Menu/Busy' }, { id: 'Menu/Menu/Idle' }, { id: 'Primitives/Item/Default' }, { id: 'Primitives/Item/DefaultDark' }];

describe('story list', () => {
  it('lists ids one per entry, in the given order', () => {
    expect(storyList(stories)).toEqual(['Menu/Menu/Busy', 'Menu/Menu/Idle', 'Primitives/Item/Default', 'Primitives/Item/DefaultDark']);
  });
  it('names stories without a repeated segment, and selects by that name too', () => {
    expect(storyName('Menu/Menu/Busy')).toBe('Menu/Busy');
    expect(storyName('Menu/ModelSection/Busy')).toBe('Menu/ModelSection/Busy');
    expect(storyName('Primitives/Item/Default')).toBe('Primitives/Item/Default');
    expect(selectStories(stories, 'menu/busy').map((s) => s.id)).toEqual(['Menu/Menu/Busy']);
    expect(selectStories(stories, 'Menu/Menu/Idle').map((s) => s.id)).toEqual(['Menu/Menu/Idle']);
  });
  it('reads what each story shows from the doc comment above its export', () => {
    const docs = storyDocs(`const x = 1;\n/** Stopped: red glyph,\n * Start offered. */\nexport const Stopped: Story = {};\nexport const Bare: Story = {};\n/** Dark. */ export const Dark = {};`);
    expect(docs.get('Stopped')).toBe('Stopped: red glyph, Start offered.');
    expect(docs.get('Dark')).toBe('Dark.');
    expect(docs.has('Bare')).toBe(false);
  });
  it('gives every story in src/ a description for --list', async () => {
    const missing = (await loadStories()).filter((s) => storyDoc(REPO, s.file, s.name) === '').map((s) => s.id);
    expect(missing).toEqual([]);
  });
  it('selects an exact id over substrings, else every id containing the query (any case)', () => {
    expect(selectStories(stories, 'primitives/item/default').map((s) => s.id)).toEqual(['Primitives/Item/Default']);
    expect(selectStories(stories, 'menu/').map((s) => s.id)).toEqual(['Menu/Menu/Busy', 'Menu/Menu/Idle']);
    expect(selectStories(stories, 'nothing')).toEqual([]);
  });
  it('reads named story exports and rejects a module without a title', () => {
    const render = () => null as never;
    const loaded = storiesOfModule({ default: { title: 'G/C' }, A: { render }, helper: 42 }, 'src/components/C.stories.tsx');
    expect(loaded.map((s) => s.id)).toEqual(['G/C/A']);
    expect(() => storiesOfModule({ A: { render } }, 'x.stories.tsx')).toThrow(/default export/);
  });
});

describe('colors', () => {
  it('knows SwiftBar\'s 138 names, spaced ones included, and not cyan', () => {
    expect(NAMED_COLORS.size).toBe(138);
    expect(NAMED_COLORS.get('orange red')).toEqual([255, 69, 0]);
    expect(NAMED_COLORS.has('cyan')).toBe(false);
  });
  it('resolves hex, names and light,dark pairs by appearance; ignores what SwiftBar ignores', () => {
    expect(resolveColor('#FF8000', 'light')).toEqual([255, 128, 0]);
    expect(resolveColor('red,#0000ff', 'light')).toEqual([255, 0, 0]);
    expect(resolveColor('red,#0000ff', 'dark')).toEqual([0, 0, 255]);
    expect(resolveColor('#fff', 'light')).toBeUndefined();
    expect(resolveColor('cyan', 'dark')).toBeUndefined();
    expect(resolveColor(undefined, 'dark')).toBeUndefined();
  });
});

describe('inline images', () => {
  it('detects kitty, iTerm2/WezTerm, else blocks', () => {
    expect(detectImageProtocol({ TERM: 'xterm-kitty' })).toBe('kitty');
    expect(detectImageProtocol({ KITTY_WINDOW_ID: '3' })).toBe('kitty');
    expect(detectImageProtocol({ TERM_PROGRAM: 'iTerm.app' })).toBe('iterm');
    expect(detectImageProtocol({ TERM_PROGRAM: 'WezTerm' })).toBe('iterm');
    expect(detectImageProtocol({ TERM: 'xterm-256color' })).toBe('blocks');
  });
  it('chunks kitty payloads at 4096 bytes with m=1 on all but the last', () => {
    const escape = kittyImage('A'.repeat(5000));
    expect(escape.startsWith('\x1b_Ga=T,f=100,r=1,m=1;')).toBe(true);
    expect(escape).toContain('\x1b\\\x1b_Gm=0;' + 'A'.repeat(904) + '\x1b\\');
    expect(itermImage('AAAA')).toBe('\x1b]1337;File=inline=1;size=3;height=1;preserveAspectRatio=1:AAAA\x07');
  });
  it('maps values to blocks with gaps as spaces', () => {
    expect(valuesToBlocks([0, 1, 2, 3, 4, 5, 6, 7], 8, 0, 8)).toBe('▁▂▃▄▅▆▇█');
    expect(valuesToBlocks([1, NaN, 1], 3)).toBe('█ █');
    expect(valuesToBlocks([], 5)).toBe('');
  });
  it('reads a rising line and its colour back out of a sparkline PNG', async () => {
    const png = await renderSparkline({ values: Array.from({ length: 40 }, (_, i) => i), width: 60, height: 20, color: '#ff8000' });
    const blocks = pngToBlocks(png, 8);
    expect(blocks?.color).toEqual([255, 128, 0]);
    expect(blocks?.text).toHaveLength(8);
    expect(blocks?.text[0]).toBe('▁');
    expect(blocks?.text[7]).toBe('█');
  });
});

describe('live drawing', () => {
  it('erases exactly the previous frame before drawing the next, and skips identical frames', () => {
    const out: string[] = [];
    const drawer = createLiveDrawer({ write: (c) => out.push(c), render: (t) => t.split('\n') });
    drawer.draw('a\nb');
    drawer.draw('a\nb');
    drawer.draw('c');
    expect(out).toEqual(['a\nb\n', eraseLines(3) + 'c\n']);
    expect(eraseLines(3)).toBe('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\r');
    expect(eraseLines(0)).toBe('');
  });
  it('splits streamed output into frames at ~~~ lines, across chunk boundaries', async () => {
    const stream = new PassThrough();
    const frames: string[] = [];
    const done = (async () => {
      for await (const f of framesFromStream(stream)) frames.push(f);
    })();
    stream.write('T1\n---\nA\n~');
    stream.write('~~\nT2\n');
    stream.end('~~~\n');
    await done;
    expect(frames).toEqual(['T1\n---\nA', 'T2']);
  });
  it('drawLive draws each frame from an async iterable', async () => {
    async function* frames(): AsyncGenerator<string> {
      yield 'one';
      yield 'two';
    }
    const out: string[] = [];
    await drawLive(frames(), { write: (c) => out.push(c), render: (t) => [t.toUpperCase()] });
    expect(out).toEqual(['ONE\n', eraseLines(2) + 'TWO\n']);
  });
});

describe('renderMenu', () => {
  const load = async () => {
    const file = fileURLToPath(new URL('./fixtures/Demo.stories.tsx', import.meta.url));
    const [busy] = await loadStories([file]);
    if (!busy) throw new Error('fixture story missing');
    return busy;
  };
  // eslint-disable-next-line no-control-regex
  const plain = (lines: readonly string[]) => lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));

  it('draws titles first, then the dropdown with submenus indented and actions as hints', async () => {
    const { text, nodes } = await renderToFrame((await load()).story.render(), { appearance: 'light' });
    const lines = renderMenu(parseFrame(text), { appearance: 'light', images: 'blocks', sparklines: sparklineValuesOf(nodes) });
    expect(plain(lines)).toEqual([
      '▌ 42.0 t/s',
      '▌ 2 queued  (cycles in the menu bar)',
      '━'.repeat(28),
      'CPU 87%',
      '─'.repeat(24),
      'qwen3-8b ▸',
      '    ▁▁▂▂▃▃▄▄▅▆▆▇▇██ tokens/s',
      '    ✓ Unload  ← runs /usr/local/bin/llama-swap-swiftbar unload qwen3-8b',
    ]);
    expect(lines[0]).toContain('\x1b[38;2;31;111;235m42.0 t/s');
    expect(lines[3]).toContain('\x1b[38;2;255;0;0mCPU 87%');
    expect(lines[6]).toContain('\x1b[38;2;255;128;0m▁');
  });

  it('resolves light,dark colours by appearance and can draw without colour codes', async () => {
    const text = await renderToString((await load()).story.render(), { appearance: 'dark' });
    const lines = renderMenu(parseFrame(text), { appearance: 'dark', images: 'blocks' });
    expect(lines[0]).toContain('\x1b[38;2;255;165;0m42.0 t/s');
    expect(lines[6]).toContain('\x1b[38;2;0;255;0m');
    const bare = renderMenu(parseFrame(text), { appearance: 'dark', images: 'blocks', color: false });
    expect(bare.join('\n')).not.toContain('\x1b');
  });

  it('uses the terminal protocol for images when it has one', async () => {
    const text = await renderToString((await load()).story.render());
    const kitty = renderMenu(parseFrame(text), { appearance: 'light', images: 'kitty' });
    // eslint-disable-next-line no-control-regex
    expect(kitty[6]).toMatch(/^ {4}\x1b_Ga=T,f=100,r=1,m=0;iVBOR/);
    const iterm = renderMenu(parseFrame(text), { appearance: 'light', images: 'iterm' });
    expect(iterm[6]).toContain('\x1b]1337;File=inline=1;');
  });
});

describe('painted as a menu', () => {
  // eslint-disable-next-line no-control-regex
  const strip = (l: string) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  const FRAME = 'ready\n---\nqwen2.5-coder-7b — ready\n--Unload this model | bash=/usr/local/bin/node param1=/x/bin/llama-swap-swiftbar.js param2=do_unload_model param3=qwen2.5-coder-7b-instruct';

  it('draws a story on the menu\'s own background, so its dark text reads on a black terminal', () => {
    const lines = menuFrameLines(FRAME, 'light', 'blocks', undefined, { color: true, width: 200 });
    const widths = new Set(lines.map((l) => stringWidth(strip(l))));
    expect(widths.size).toBe(1); // one panel, every line padded to its width
    for (const line of lines) expect(line.startsWith('\x1b[48;2;236;236;236m\x1b[38;2;29;29;31m')).toBe(true);
    expect(lines.join('')).not.toContain('\x1b[39m'); // a colour reset falls back to the menu's text colour
    expect(menuFrameLines(FRAME, 'dark', 'blocks', undefined, { color: true, width: 200 })[0]?.startsWith('\x1b[48;2;42;42;44m')).toBe(true);
  });

  it('--live cuts each line to the terminal width with …', async () => {
    const stdout = new PassThrough();
    const written: string[] = [];
    const done = drawPluginOutput(stdout, { write: (c) => written.push(c), shape: () => ({ color: false, width: 40 }) });
    stdout.end(`${FRAME}\n~~~\n`);
    await done;
    const lines = written.join('').split('\n').map(strip).filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(40);
    expect(lines.some((l) => l.trimEnd().endsWith('…'))).toBe(true);
  });
});

describe('preview arguments', () => {
  it('parses every flag and rejects bad ones', () => {
    expect(parsePreviewArgs(['--story', 'Menu', '--raw', '--appearance=dark'])).toEqual({
      kind: 'run',
      args: { list: false, raw: true, full: false, source: false, live: false, story: 'Menu', appearance: 'dark' },
    });
    expect(parsePreviewArgs(['--raw', '--full', '--source'])).toMatchObject({ kind: 'run', args: { raw: true, full: true, source: true } });
    expect(parsePreviewArgs(['--live', '--url', 'http://127.0.0.1:8080'])).toMatchObject({ kind: 'run', args: { live: true, url: 'http://127.0.0.1:8080' } });
    expect(parsePreviewArgs(['--appearance', 'blue'])).toEqual({ kind: 'error', error: '--appearance must be one of light, dark (got "blue")' });
    expect(parsePreviewArgs(['--url', 'http://x:1'])).toEqual({ kind: 'error', error: '--url only goes with --live' });
    expect(parsePreviewArgs(['--story'])).toEqual({ kind: 'error', error: '--story needs a value' });
    expect(parsePreviewArgs(['--bogus'])).toEqual({ kind: 'error', error: 'unknown option --bogus' });
    expect(parsePreviewArgs(['Menu'])).toEqual({ kind: 'error', error: 'unexpected argument Menu' });
    expect(parsePreviewArgs(['-h'])).toEqual({ kind: 'help' });
  });
  it('splits a URL into the plugin\'s base URL and port variables', () => {
    expect(apiEnvFor('http://127.0.0.1:8080/x')).toEqual({ LLAMA_SWAP_API_BASE_URL: 'http://127.0.0.1', LLAMA_SWAP_API_PORT: '8080' });
    expect(apiEnvFor('https://host')).toEqual({ LLAMA_SWAP_API_BASE_URL: 'https://host', LLAMA_SWAP_API_PORT: '443' });
  });
});

describe('--raw and --source', () => {
  it('abbreviates base64 images (pairs too) and leaves short values and other text alone', async () => {
    const png = await renderSparkline({ values: [1, 3, 2, 5], width: 60, height: 20, color: '#0062cc' });
    const text = `CPU | image=${png} color=red\nB | templateImage=${png},${png}\nC | image=abc href=https://x/image=1`;
    const short = abbreviateImages(text);
    expect(short).not.toContain(png);
    expect(short).toMatch(/^CPU \| image=iVBORw0KGgoA…\[png 120x40, \d\.\d KB base64\] color=red$/m);
    expect(short.split('\n')[1]).toMatch(/templateImage=iVBORw0KGgoA…\[png 120x40, [^\]]+\],iVBORw0KGgoA…\[png/);
    expect(short.split('\n')[2]).toBe('C | image=abc href=https://x/image=1');
  });
  it('puts the drawing and its source side by side within the width', () => {
    const lines = sideBySide(['▌ ● 42', 'a very long drawn line that certainly does not fit in its half'], ['● | sfcolor=blue', '---', 'third'], 60, false);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^▌ ● 42 +│ ● \| sfcolor=blue$/);
    expect(lines[1]).toContain('…');
    expect(lines[2]).toMatch(/^ +│ third$/);
  });
});

describe('every story in src/ draws in the preview', () => {
  it('renders each story to menu lines with its title first', async () => {
    const all = await loadStories();
    for (const loaded of all) {
      const appearance = loaded.story.appearance ?? 'light';
      const { text, nodes } = await renderToFrame(loaded.story.render(), { appearance });
      const lines = renderMenu(parseFrame(text), { appearance, images: 'blocks', color: false, sparklines: sparklineValuesOf(nodes) });
      expect(lines[0], loaded.id).toMatch(/^▌ /);
    }
  });
});
