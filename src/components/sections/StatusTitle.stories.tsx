import { BLUE, STATUS_COLORS } from '../colors.js';
import { processing, readyModel } from '../fixtures/menu-models.js';
import type { OverallStatus } from '../model.js';
import { StatusTitle } from './StatusTitle.js';
import { pairText } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/StatusTitle' };
export default meta;

function quiet(status: OverallStatus, symbol: string): Story {
  return {
    render: () => <StatusTitle status={status} models={status === 'ready' ? [readyModel('a')] : []} />,
    assert: (frame, expect) => {
      expect(frame.header).toHaveLength(1);
      expect(frame.header[0]?.title).toBe(`:${symbol}:`);
      expect(frame.header[0]?.params.sfcolor).toBe(pairText(STATUS_COLORS[status]));
      // Symbols on, so the glyph draws; no `color`, so only the glyph is tinted.
      expect(frame.header[0]?.params.symbolize).toBeUndefined();
      expect(frame.header[0]?.params.color).toBeUndefined();
      // No LLAMA_SWAP_SHORTCUT: no global hot key is taken.
      expect(frame.header[0]?.params.shortcut).toBeUndefined();
    },
  };
}

/** Red: stopped or missing requirements. */
export const Stopped = quiet('stopped', 'exclamationmark.circle.fill');
/** Red: the API does not answer. */
export const Unreachable = quiet('unreachable', 'exclamationmark.circle.fill');
/** Red: the API key is refused. */
export const Unauthorized = quiet('unauthorized', 'exclamationmark.circle.fill');
/** Yellow: a model is loading. */
export const Starting = quiet('starting', 'circle.fill');
/** Green: models ready, idle. */
export const Ready = quiet('ready', 'circle.fill');
/** Grey, dotted: before llama-swap's first answer (neither red nor yellow: nothing is known yet). */
export const Connecting: Story = {
  ...quiet('connecting', 'circle.dotted'),
  assert: (frame, expect) => {
    quiet('connecting', 'circle.dotted').assert?.(frame, expect);
    expect(frame.header[0]?.params.tooltip).toBe('llama-swap: connecting…');
  },
};
/** Grey, hollow: running with no model loaded. */
export const Empty = quiet('empty', 'circle');

/** Blue with the live generation rate of the busy models (21.7 + 42.3 t/s). */
export const Processing: Story = {
  render: () => <StatusTitle status="processing" models={processing.models} />,
  assert: (frame, expect) => {
    expect(frame.header[0]?.title).toBe(':circle.fill: 64 t/s');
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(BLUE));
    expect(frame.header[0]?.params.tooltip).toBe('llama-swap: processing requests, 7 processing, 7 waiting');
  },
};

/** Dark appearance: the pair's second colour is the bright one SwiftBar uses on a dark bar. */
export const ProcessingDark: Story = {
  appearance: 'dark',
  render: Processing.render,
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor?.split(',')).toEqual([BLUE.light, BLUE.dark]);
  },
};

/** A slow model: below 10 t/s the figure keeps one decimal. */
export const ProcessingSlow: Story = {
  render: () => <StatusTitle status="processing" models={[readyModel('big', { processing: 1, genTps: 3.46 })]} />,
  assert: (frame, expect) => {
    expect(frame.header[0]?.title).toBe(':circle.fill: 3.5 t/s');
  },
};

/** `LLAMA_SWAP_SHORTCUT=cmd+shift+l`: SwiftBar opens the menu on that key. */
export const WithShortcut: Story = {
  render: () => <StatusTitle status="ready" models={[readyModel('a')]} shortcut="cmd+shift+l" />,
  assert: (frame, expect) => {
    expect(frame.header).toHaveLength(1);
    expect(frame.header[0]?.params.shortcut).toBe('cmd+shift+l');
    expect(frame.header[0]?.title).toBe(':circle.fill:');
  },
};
