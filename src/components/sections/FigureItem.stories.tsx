import { SERIES_STROKES, TEXT } from '../colors.js';
import { FigureItem } from './FigureItem.js';
import { withGap, rising } from '../fixtures/series.js';
import { formatTps } from '../format.js';
import { InMenu, pairText, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/FigureItem' };
export default meta;

const chart = { width: 120, height: 20 };
const values = [10, 20, 30, 40];

/** With history: a chart and "min · avg · max" after the current value. */
export const WithHistory: Story = {
  render: () => (
    <InMenu>
      <FigureItem label="Generation" current={formatTps(40)} values={values} format={formatTps} stroke={SERIES_STROKES.genTps} chart={chart} min={0} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    const line = topItems(frame)[0];
    expect(line?.title).toBe('Generation: 40.0 t/s · min 10.0 t/s · avg 25.0 t/s · max 40.0 t/s');
    expect(line?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(line?.params.color).toBe(pairText(TEXT));
  },
};

/** Gaps (API down) are skipped in the statistics. */
export const WithGaps: Story = {
  render: () => (
    <InMenu>
      <FigureItem label="Prompt" current={formatTps(500)} values={withGap(rising(100, 500, 0, 1, 20), 5, 5)} format={formatTps} stroke={SERIES_STROKES.promptTps} chart={chart} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toMatch(/^Prompt: 500 t\/s · min 100 t\/s · avg \d+ t\/s · max 500 t\/s$/);
    expect(topItems(frame)[0]?.title).not.toContain('NaN');
  },
};

/** No samples yet: a plain line, no chart. */
export const NoHistory: Story = {
  render: () => (
    <InMenu>
      <FigureItem label="Generation" current={formatTps(null)} values={[Number.NaN]} format={formatTps} stroke={SERIES_STROKES.genTps} chart={chart} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('Generation: –');
    expect(topItems(frame)[0]?.params.image).toBeUndefined();
  },
};
