import { FAKE_ACTIVITY, LLAMA_ACTIVITY } from '../fixtures/live-models.js';
import { RecordFigures } from './RecordFigures.js';
import type { ActivityView } from '../model.js';
import { bodyText, InMenu, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/RecordFigures' };
export default meta;

const figures = (activity: ActivityView) => () => (
  <InMenu>
    <RecordFigures activity={activity} showLast />
  </InMenu>
);

/** An upstream without timings (fake-model): output tokens ÷ duration, labelled; llama-swap's exact count. */
export const EndToEnd: Story = {
  render: figures(FAKE_ACTIVITY),
  assert: (frame, expect) => {
    expect(topItems(frame).map((i) => i.title)).toEqual(['Last request: 198 t/s output, end to end', 'Served: 13 requests · 0 tokens in · 520 out']);
  },
};

/** llama.cpp reports timings: generation and prompt speed, p50/p95 over every request. */
export const WithTimings: Story = {
  render: figures(LLAMA_ACTIVITY),
  assert: (frame, expect) => {
    expect(topItems(frame).map((i) => i.title)).toEqual([
      'Last request: 42.6 t/s generation · 612 t/s prompt',
      'Served: 128 requests · 48.2k tokens in · 31.9k out',
      'Generation p50 41.2 t/s · p95 45.8 t/s',
    ]);
  },
};

/** Nothing reported yet: only the count. */
export const CountOnly: Story = {
  render: figures({ ...FAKE_ACTIVITY, served: 0, outputTokens: 0, lastOutputTps: null }),
  assert: (frame, expect) => {
    expect(bodyText(frame)).toBe('Served: 0 requests');
  },
};
