import { INVOKER } from '../fixtures/menu-models.js';
import { requestsInFlight } from '../fixtures/live-models.js';
import { InflightRequests } from './InflightRequests.js';
import type { RequestView } from '../model.js';
import { allItems, findItem } from '../../reconciler/parse.js';
import { argvOf, bodyText, InMenu, itemsWithAction, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/InflightRequests' };
export default meta;

const list = (requests: readonly RequestView[], more = 0) => () => (
  <InMenu>
    <InflightRequests requests={requests} more={more} invoker={INVOKER} />
  </InMenu>
);

/** Two streaming requests, newest first: path, elapsed time and bytes, each with Cancel. */
export const Two: Story = {
  render: list(requestsInFlight(2)),
  assert: (frame, expect) => {
    const titles = topItems(frame).map((i) => i.title);
    expect(titles).toEqual(['In flight: 2 requests', 'POST /v1/chat/completions · 0.8 s · 1.8 KB', 'POST /v1/chat/completions · 2.3 s · 6.8 KB']);
    const cancels = itemsWithAction(frame, 'do_cancel_request');
    expect(cancels.map((c) => argvOf(c))).toEqual([
      [INVOKER.executable, 'do_cancel_request', '42'],
      [INVOKER.executable, 'do_cancel_request', '41'],
    ]);
    expect(cancels.every((c) => c.params.terminal === 'false' && c.params.refresh === undefined)).toBe(true);
  },
};

/** Seven in flight: five listed, then "and 2 more". */
export const AndMore: Story = {
  render: list(requestsInFlight(5), 2),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('In flight: 7 requests');
    expect(itemsWithAction(frame, 'do_cancel_request')).toHaveLength(5);
    expect(findItem(frame, 'and 2 more')).toBeDefined();
  },
};

/** A path full of separators and a non-numeric id: shown inert, the id never becomes an argument. */
export const Hostile: Story = {
  render: list([{ id: '7 | bash=/bin/sh', method: 'POST', path: '/v1/x | bash=/bin/sh\n---', elapsedMs: 12_000, bytes: 0 }]),
  assert: (frame, expect) => {
    expect(itemsWithAction(frame, 'do_cancel_request')).toHaveLength(0);
    expect(allItems(frame).every((i) => i.params.bash === undefined)).toBe(true);
    expect(bodyText(frame)).toContain('12 s');
  },
};

/** Nothing in flight: nothing rendered. */
export const None: Story = {
  render: list([]),
  assert: (frame, expect) => {
    expect(frame.body).toHaveLength(0);
  },
};
