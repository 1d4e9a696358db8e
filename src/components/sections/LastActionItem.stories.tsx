import { GREEN, RED, YELLOW } from '../colors.js';
import { lastActionFailed, lastActionOk } from '../fixtures/menu-models.js';
import { LastActionItem } from './LastActionItem.js';
import { bodyText, InMenu, pairText, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/LastActionItem' };
export default meta;

/** A successful action in green. */
export const Succeeded: Story = {
  render: () => (
    <InMenu>
      <LastActionItem lastAction={lastActionOk.lastAction ?? { ok: true, message: '' }} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]).toMatchObject({ title: 'Unloaded mistral-small-24b', params: { color: pairText(GREEN) } });
  },
};

/** A failed action in red, prefixed "Failed:", wrapped. */
export const Failed: Story = {
  render: () => (
    <InMenu>
      <LastActionItem lastAction={lastActionFailed.lastAction ?? { ok: false, message: '' }} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toMatch(/^Failed: launchctl kickstart exited 113/);
    expect(topItems(frame).every((l) => l.params.color === pairText(RED))).toBe(true);
    expect(bodyText(frame)).toContain('Could not find service "com.llama-swap" in domain');
  },
};

/** An action still waiting on llama-swap: what it waits for, in yellow, neither done nor failed. */
export const Waiting: Story = {
  render: () => (
    <InMenu>
      <LastActionItem lastAction={{ ok: true, pending: true, message: 'Unloading "qwen2.5-coder-7b"… (waiting for llama-swap to stop it, up to 2 min)' }} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toMatch(/^Unloading "qwen2\.5-coder-7b"… \(waiting for llama-swap/);
    expect(topItems(frame).every((l) => l.params.color === pairText(YELLOW))).toBe(true);
    expect(bodyText(frame)).not.toContain('Failed');
  },
};
