import { MoreModelsItem } from './MoreModelsItem.js';
import { InMenu, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/MoreModelsItem' };
export default meta;

const UI = 'http://127.0.0.1:8080/ui/';

/** Loaded models beyond the listed ones: counted, one click from the web UI. */
export const MoreLoaded: Story = {
  render: () => (
    <InMenu>
      <MoreModelsItem count={12} what="loaded" uiUrl={UI} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]).toMatchObject({ title: 'and 12 more loaded — open the web UI', params: { href: UI } });
  },
};

/** 20,000 configured models: the menu lists 100 and counts the rest. */
export const MoreConfigured: Story = {
  render: () => (
    <InMenu>
      <MoreModelsItem count={19_900} uiUrl={UI} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]).toMatchObject({ title: 'and 19,900 more — open the web UI', params: { href: UI } });
  },
};

/** Nothing left out: no line at all. */
export const NoneMore: Story = {
  render: () => (
    <InMenu>
      <MoreModelsItem count={0} uiUrl={UI} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)).toEqual([]);
  },
};
