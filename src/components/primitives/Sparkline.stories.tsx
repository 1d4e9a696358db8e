import { SERIES_STROKES } from '../colors.js';
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

const wave = Array.from({ length: 120 }, (_, i) => 50 + 35 * Math.sin(i / 9) + ((i * 37) % 11));
const imageOf = (frame: Parameters<NonNullable<Story['assert']>>[0], i: number): string => {
  const node = frame.body[i];
  return node?.type === 'item' ? (node.params.image ?? '') : '';
};

/** Every series in its own colour (line, fading area, baseline), as the menu draws them. */
export const AllSeries: Story = {
  render: () => (
    <>
      <Title>t</Title>
      {Object.entries(SERIES_STROKES).map(([name, stroke]) => (
        <Sparkline key={name} values={wave} width={60} height={20} stroke={stroke} min={0}>
          {name}
        </Sparkline>
      ))}
    </>
  ),
  assert: (frame, expect) => {
    const images = Object.keys(SERIES_STROKES).map((_, i) => imageOf(frame, i));
    expect(images.every((b64) => b64.startsWith('iVBORw0KGgo'))).toBe(true);
    // Same values, different colours: no two series share an image.
    expect(new Set(images).size).toBe(images.length);
  },
};

/** The same series in dark appearance: the brighter tone of each pair. */
export const AllSeriesDark: Story = {
  appearance: 'dark',
  render: AllSeries.render,
  assert: AllSeries.assert,
};

const lone = [...Array.from({ length: 299 }, () => Number.NaN), 42];

/** The first sample of a fresh history: a dot at the newest end over the faint baseline. */
export const FirstSample: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Sparkline values={lone} width={60} height={20} stroke={SERIES_STROKES.genTps} min={0}>
        gen t/s
      </Sparkline>
    </>
  ),
  assert: (frame, expect) => {
    expect(imageOf(frame, 0)).toMatch(/^iVBORw0KGgo/);
  },
};

/** The first sample in dark appearance. */
export const FirstSampleDark: Story = {
  appearance: 'dark',
  render: FirstSample.render,
  assert: FirstSample.assert,
};
