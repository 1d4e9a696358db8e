import type { Story, StoryMeta } from '../story.js';
import { Sparkline } from './Sparkline.js';
import { Submenu } from './Submenu.js';
import { Title } from './Title.js';

const meta: StoryMeta = { title: 'Primitives/Sparkline' };
export default meta;

const values = [3, 5, 4, 8, 12, 9, 14, 18, 15, 21, 19, 24];
const stroke = { light: '#1f6feb', dark: '#58a6ff' } as const;

/** A chart line inside a model submenu (light appearance). */
export const Light: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Submenu label="model">
        <Sparkline values={values} width={120} height={20} stroke={stroke} tooltip="generation t/s, last minute">gen t/s</Sparkline>
      </Submenu>
    </>
  ),
  assert: (frame, expect) => {
    const model = frame.body[0];
    const spark = model?.type === 'item' ? model.children[0] : undefined;
    expect(spark).toMatchObject({ type: 'item', depth: 1, title: 'gen t/s' });
    const image = spark?.type === 'item' ? spark.params.image ?? '' : '';
    expect(image).toMatch(/^iVBORw0KGgo/);
    expect(spark?.type === 'item' ? spark.params.tooltip : '').toBe('generation t/s, last minute');
  },
};

/** The same chart in dark appearance uses the dark stroke (a different image). */
export const Dark: Story = {
  appearance: 'dark',
  render: Light.render,
  assert: (frame, expect) => {
    const model = frame.body[0];
    const spark = model?.type === 'item' ? model.children[0] : undefined;
    expect(spark?.type === 'item' ? spark.params.image : '').toMatch(/^iVBORw0KGgo/);
  },
};

/** Empty data still renders a line (the chart is blank, never a crash). */
export const NoData: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Sparkline values={[]} width={60} height={16} stroke={stroke}>no samples yet</Sparkline>
    </>
  ),
  assert: (frame, expect) => {
    expect(frame.body[0]).toMatchObject({ type: 'item', title: 'no samples yet' });
  },
};
