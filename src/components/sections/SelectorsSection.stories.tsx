import { liveApi } from '../fixtures/live-models.js';
import { SelectorsSection } from './SelectorsSection.js';
import type { SelectorView } from '../model.js';
import { findItem } from '../../reconciler/parse.js';
import { actionsOf, InMenu, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/SelectorsSection' };
export default meta;

const section = (selectors: readonly SelectorView[]) => () => (
  <InMenu>
    <SelectorsSection selectors={selectors} />
  </InMenu>
);

/** Two selectors with strategy and targets, the loaded target checked, and no Load anywhere. */
export const Two: Story = {
  render: section(liveApi.selectors ?? []),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('Selectors (2)');
    expect(findItem(frame, 'Coding model — warm: qwen2.5-coder-7b, llama-3.1-8b-instruct')).toBeDefined();
    expect(findItem(frame, 'plan — pin: gemma-3-12b')).toBeDefined();
    expect(findItem(frame, 'qwen2.5-coder-7b (loaded)')?.params.checked).toBe('true');
    expect(actionsOf(frame)).toEqual([]);
  },
};

/** No selectors: nothing rendered. */
export const None: Story = {
  render: section([]),
  assert: (frame, expect) => {
    expect(frame.body).toHaveLength(0);
  },
};
