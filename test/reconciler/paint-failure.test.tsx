import { describe, expect, it, vi } from 'vitest';
import { Sparkline, Title } from '../../src/components/primitives/index.js';
import { parseFrame } from '../../src/reconciler/parse.js';
import { renderToString } from '../../src/reconciler/render-to-string.js';

vi.mock('../../src/reconciler/sparkline/rasterize.js', () => ({
  cachedSparkline: () => undefined,
  renderSparkline: () => Promise.reject(new Error('resvg exploded')),
}));

describe('paint failure', () => {
  it('renders the sparkline as an item without an image instead of crashing', async () => {
    const text = await renderToString(
      <>
        <Title>t</Title>
        <Sparkline values={[1, 2]} width={20} height={10} stroke={{ light: '#000000', dark: '#ffffff' }}>chart</Sparkline>
      </>,
    );
    const item = parseFrame(text).body[0];
    expect(item).toMatchObject({ type: 'item', title: 'chart' });
    expect(item?.type === 'item' ? item.params.image : 'x').toBeUndefined();
  });
});
