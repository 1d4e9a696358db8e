import { describe, expect, it } from 'vitest';
import { Item, Sparkline, Submenu, Title } from '../../src/components/primitives/index.js';
import { allItems, parseFrame } from '../../src/reconciler/parse.js';
import { renderToFrame, renderToString } from '../../src/reconciler/render-to-string.js';
import { createMenuRoot } from '../../src/reconciler/root.js';
import { FakeStdout } from '../helpers/fake-stdout.js';

const stroke = { light: '#000000', dark: '#ffffff' } as const;
const chart = (
  <>
    <Title>t</Title>
    <Submenu label="model">
      <Sparkline values={[1, 4, 2, 8, 5]} width={40} height={12} stroke={stroke} color="gray">tok/s</Sparkline>
      <Item>after</Item>
    </Submenu>
  </>
);

function imageOf(text: string): Buffer {
  const item = allItems(parseFrame(text)).find((i) => i.title === 'tok/s');
  return Buffer.from(item?.params.image ?? '', 'base64');
}

describe('paint', () => {
  it('gives a sparkline item a 2x PNG image and keeps its other params', async () => {
    const text = await renderToString(chart);
    const png = imageOf(text);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(80);
    expect(png.readUInt32BE(20)).toBe(24);
    const item = allItems(parseFrame(text)).find((i) => i.title === 'tok/s');
    expect(item?.params.color).toBe('gray');
  });

  it('draws the stroke of the requested appearance', async () => {
    const light = imageOf(await renderToString(chart, { appearance: 'light' }));
    const dark = imageOf(await renderToString(chart, { appearance: 'dark' }));
    expect(light.equals(dark)).toBe(false);
  });

  it('keeps the values on the node for previews', async () => {
    const { nodes } = await renderToFrame(chart);
    const submenu = nodes[1];
    const spark = submenu?.kind === 'element' ? submenu.children[0] : undefined;
    expect(spark?.kind === 'element' && spark.type === 'sb-sparkline' ? spark.props.values : undefined).toEqual([1, 4, 2, 8, 5]);
  });

  it('never streams a frame with a missing chart', async () => {
    const stdout = new FakeStdout();
    const root = createMenuRoot({ stdout, mode: 'stream', appearance: 'dark', onFatal: () => undefined });
    root.render(chart);
    await root.firstFrame;
    expect(imageOf(stdout.frames[0] ?? '').length).toBeGreaterThan(0);
    root.unmount();
  });
});
