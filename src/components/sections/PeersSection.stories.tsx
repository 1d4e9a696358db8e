import { withPeers } from '../fixtures/live-models.js';
import { PeersSection } from './PeersSection.js';
import type { PeerView } from '../model.js';
import { findItem } from '../../reconciler/parse.js';
import { actionsOf, InMenu, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/PeersSection' };
export default meta;

const UI = 'http://127.0.0.1:45786/ui/';
const section = (peers: readonly PeerView[], more = 0) => () => (
  <InMenu>
    <PeersSection peers={peers} more={more} uiUrl={UI} />
  </InMenu>
);

/** Two peers, each a line with its models inside; no action anywhere (the peer loads them). */
export const TwoPeers: Story = {
  render: section(withPeers.peers ?? []),
  assert: (frame, expect) => {
    expect(topItems(frame).map((i) => i.title)).toEqual([
      'Peer models — loaded by their peer on request',
      'via bravo-box — 2 models',
      'via openrouter — 1 model',
    ]);
    expect(findItem(frame, 'embeddings/nomic')?.params.tooltip).toBe('Requests name it bravo-box/embeddings/nomic');
    expect(findItem(frame, 'deepseek/deepseek-r1')).toBeDefined();
    expect(actionsOf(frame)).toEqual([]);
  },
};

/** More peer models than the menu lists: "and N more peer — open the web UI". */
export const Bounded: Story = {
  render: section([{ peer: 'bravo-box', models: [{ id: 'bravo-box/a', name: 'a' }] }], 250),
  assert: (frame, expect) => {
    expect(findItem(frame, 'and 250 more peer — open the web UI')?.params.href).toBe(UI);
  },
};

/** No peers: nothing rendered. */
export const None: Story = {
  render: section([]),
  assert: (frame, expect) => {
    expect(frame.body).toHaveLength(0);
  },
};
