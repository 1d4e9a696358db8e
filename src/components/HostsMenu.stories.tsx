import { oneHostDown, studioAndBravo, thisComputer } from './fixtures/host-models.js';
import { HostsMenu } from './HostsMenu.js';
import { STATUS_COLORS } from './colors.js';
import { findItem, type ParsedItem, type ParsedNode } from '../reconciler/parse.js';
import { argvOf, itemsWithAction, pairText, topItems } from './story-helpers.js';
import type { Story, StoryMeta } from './story.js';

/** Items with an action anywhere under `nodes`. */
function actionItems(nodes: readonly ParsedNode[]): ParsedItem[] {
  return nodes.flatMap((n) => (n.type === 'item' ? [...(n.params.bash === undefined ? [] : [n]), ...actionItems(n.children)] : []));
}

const meta: StoryMeta = { title: 'Menu/HostsMenu' };
export default meta;

/**
 * LLAMA_SWAP_HOSTS=studio=http://127.0.0.1:45786,bravo-box=http://10.0.0.7:8080: a line per host
 * with its whole menu inside; studio's peer bravo-box is a watched host, so its state is shown.
 */
export const TwoHosts: Story = {
  render: () => <HostsMenu hosts={studioAndBravo} thisComputer={thisComputer} />,
  assert: (frame, expect) => {
    // The title follows the host doing work (bravo-box processes a request).
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(STATUS_COLORS.processing));
    expect(topItems(frame).map((i) => i.title).slice(0, 2)).toEqual(['studio — ready, 2 models loaded', 'bravo-box — processing requests, 1 processing, 0 waiting']);
    expect(findItem(frame, 'via bravo-box — 2 models · host bravo-box: processing requests, 1 processing, 0 waiting')).toBeDefined();
    // Every action inside a host's line names that host first: it goes only there.
    for (const [i, name] of ['studio', 'bravo-box'].entries()) {
      const inside = actionItems(topItems(frame)[i]?.children ?? []);
      expect(inside.length).toBeGreaterThan(0);
      for (const item of inside) expect(argvOf(item).slice(1, 3)).toEqual(['--host', name]);
    }
    expect(itemsWithAction(frame, 'do_load_model').length).toBeGreaterThan(0);
    // This computer's own figures once, after the hosts.
    expect(topItems(frame)[2]?.title).toBe('This computer');
    expect(topItems(frame)[3]?.title).toMatch(/^System — CPU /);
    // Peer models carry no action.
    expect(findItem(frame, 'qwen3-32b')?.params.bash).toBeUndefined();
  },
};

/** One host down and one not answered yet: each says so on its own line; studio keeps its models and actions. */
export const OneHostDown: Story = {
  render: () => <HostsMenu hosts={oneHostDown} />,
  assert: (frame, expect) => {
    expect(frame.header[0]?.params.sfcolor).toBe(pairText(STATUS_COLORS.unreachable));
    expect(topItems(frame).map((i) => i.title)).toEqual(['studio — ready, 2 models loaded', 'mini — not answering', 'linux-4090 — connecting…']);
    const studio = topItems(frame)[0];
    expect(studio?.params.color).toBeUndefined();
    expect(itemsWithAction(frame, 'do_unload_model').every((i) => argvOf(i)[2] === 'studio')).toBe(true);
    expect(findItem(frame, 'Waiting for the first answer…')).toBeDefined();
  },
};
