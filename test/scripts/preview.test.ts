import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveColor, NAMED_COLORS } from '../../scripts/preview/colors.js';
import { detectImageProtocol, itermImage, kittyImage, pngToBlocks, valuesToBlocks } from '../../scripts/preview/inline-image.js';
import { createLiveDrawer, drawLive, eraseLines, framesFromStream } from '../../scripts/preview/live.js';
import { renderSparkline } from '../../src/reconciler/sparkline/rasterize.js';
import { selectStories, storiesOfModule, storyList } from '../../src/components/stories-index.js';

const stories = [{ id: 'Menu/Menu/Busy' }, { id: 'Menu/Menu/Idle' }, { id: 'Primitives/Item/Default' }, { id: 'Primitives/Item/DefaultDark' }];

describe('story list', () => {
  it('lists ids one per entry, in the given order', () => {
    expect(storyList(stories)).toEqual(['Menu/Menu/Busy', 'Menu/Menu/Idle', 'Primitives/Item/Default', 'Primitives/Item/DefaultDark']);
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
