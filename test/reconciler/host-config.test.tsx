import { Suspense, createElement, startTransition, use, useState, type ReactElement, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { Item, Separator, Submenu, Title } from '../../src/components/primitives/index.js';
import { createFiberRoot, renderSync } from '../../src/reconciler/container.js';
import { createRootNode } from '../../src/reconciler/nodes.js';
import { reconciler } from '../../src/reconciler/reconciler.js';
import { renderToString } from '../../src/reconciler/render-to-string.js';
import { serializeFrame } from '../../src/reconciler/serialize.js';

const P = ' | symbolize=false emojize=false';

/** A synchronous test root (rerender in place, read the frame). */
function testRoot(): { render(el: ReactNode): string; nextCommit(): Promise<string>; errors: unknown[] } {
  const errors: unknown[] = [];
  let waiting: (() => void) | undefined;
  const container = createRootNode(() => waiting?.());
  const root = createFiberRoot(container, { onUncaughtError: (e) => errors.push(e) });
  return {
    errors,
    render(el) {
      renderSync(root, el);
      return serializeFrame(container);
    },
    nextCommit: () => new Promise<string>((resolve) => (waiting = () => resolve(serializeFrame(container)))),
  };
}

describe('host config', () => {
  it('mounts titles, items, nested submenus and separators', async () => {
    const text = await renderToString(
      <>
        <Title>T</Title>
        <Item>a</Item>
        <Submenu label="S">
          <Item>b</Item>
          <Separator />
          <Submenu label="S2"><Item>c</Item></Submenu>
        </Submenu>
      </>,
    );
    expect(text).toBe(`T${P}\n---\na${P}\nS${P}\n--b${P}\n-----\n--S2${P}\n----c${P}\n`);
  });

  it('updates props and text in place, reorders keyed children, removes children', () => {
    const root = testRoot();
    const list = (names: string[], color?: 'red') => (
      <>
        <Title>T</Title>
        {names.map((n) => <Item key={n} color={color}>{n}</Item>)}
      </>
    );
    expect(root.render(list(['a', 'b', 'c']))).toBe(`T${P}\n---\na${P}\nb${P}\nc${P}\n`);
    expect(root.render(list(['c', 'a', 'b']))).toBe(`T${P}\n---\nc${P}\na${P}\nb${P}\n`);
    expect(root.render(list(['c', 'b'], 'red'))).toBe(
      `T${P}\n---\nc | color=red symbolize=false emojize=false\nb | color=red symbolize=false emojize=false\n`,
    );
    expect(root.render(list([]))).toBe(`T${P}\n`);
    expect(root.errors).toEqual([]);
  });

  it('gives the same text for a rerender as for a fresh render', async () => {
    const a = (<><Title>x</Title><Submenu label="s"><Item>1</Item><Item>2</Item></Submenu></>);
    const b = (<><Title>y</Title><Item>0</Item><Submenu label="s"><Item>2</Item><Separator /></Submenu></>);
    const root = testRoot();
    root.render(a);
    expect(root.render(b)).toBe(await renderToString(b));
  });

  it('runs a startTransition update through the config (0.34 needs suspendOnActiveViewTransition)', async () => {
    let set: (v: string) => void = () => undefined;
    function Counter(): ReactElement {
      const [value, setValue] = useState('before');
      set = setValue;
      return <><Title>{value}</Title></>;
    }
    const root = testRoot();
    expect(root.render(<Counter />)).toBe(`before${P}\n`);
    const committed = root.nextCommit();
    startTransition(() => set('after'));
    expect(await committed).toBe(`after${P}\n`);
    expect(root.errors).toEqual([]);
  }, 5_000);

  it('hides suspended content behind the fallback, then unhides it (hide/unhide instance)', async () => {
    let resolve: (v: string) => void = () => undefined;
    const data = new Promise<string>((r) => (resolve = r));
    function Late(): ReactElement {
      return <Item>{use(data)}</Item>;
    }
    const menu = (late: boolean) => (
      <>
        <Title>t</Title>
        <Suspense fallback={<Item>loading</Item>}>
          <Item>old</Item>
          {late ? <Late /> : null}
        </Suspense>
      </>
    );
    const root = testRoot();
    expect(root.render(menu(false))).toBe(`t${P}\n---\nold${P}\n`);
    expect(root.render(menu(true))).toBe(`t${P}\n---\nloading${P}\n`);
    const committed = root.nextCommit();
    resolve('loaded');
    expect(await committed).toBe(`t${P}\n---\nold${P}\nloaded${P}\n`);
  }, 5_000);

  it.each<[string, ReactElement, RegExp]>([
    ['text at the top level', <>loose text</>, /Text "loose text" cannot be placed at the top level of the menu/],
    ['text directly in a submenu', <Submenu label="s">oops</Submenu>, /directly inside <Submenu> \(its own text goes in label=\)/],
    ['a title inside a submenu', <Submenu label="s"><Title>t</Title></Submenu>, /<Title> must be at the top level of the menu, not inside <Submenu>/],
    ['an item inside an item', <Item>{createElement('sb-item', {}, 'x') as unknown as string}</Item>, /<Item> cannot be placed inside <Item>/],
    ['a child in a separator', createElement('sb-separator', {}, createElement('sb-item')), /<Item> cannot be placed inside <Separator>/],
    ['an unknown element', createElement('sb-bogus'), /Unknown element <sb-bogus>/],
  ])('rejects %s with a readable error', async (_name, element, message) => {
    await expect(renderToString(element)).rejects.toThrow(message);
  });

  it('rejects invalid colours at render time', async () => {
    await expect(renderToString(<><Title color="cyan">t</Title></>)).rejects.toThrow(/Invalid color "cyan".*use "aqua"/);
    await expect(renderToString(<><Title color="#fff">t</Title></>)).rejects.toThrow(/#RRGGBB/);
    await expect(renderToString(<><Title color="Red">t</Title></>)).rejects.toThrow(/lower case: "red"/);
  });

  it('shares one reconciler instance', () => {
    expect(typeof reconciler.updateContainerSync).toBe('function');
  });
});
