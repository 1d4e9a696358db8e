import { GREEN, RED, YELLOW } from '../colors.js';
import { ErrorItem } from './ErrorItem.js';
import { InMenu, pairText, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/ErrorItem' };
export default meta;

/** An error: red, with the octagon symbol. */
export const Failure: Story = {
  render: () => (
    <InMenu>
      <ErrorItem message="TLS handshake with llama-swap at https://127.0.0.1:8080 failed (EPROTO; is it plain http?)." />
    </InMenu>
  ),
  assert: (frame, expect) => {
    const lines = topItems(frame);
    expect(lines.map((l) => l.title)).toEqual(['TLS handshake with llama-swap at https://127.0.0.1:8080', 'failed (EPROTO; is it plain http?).']);
    expect(lines.map((l) => l.params.color)).toEqual([pairText(RED), pairText(RED)]);
    expect(lines[0]?.params.sfimage).toBe('exclamationmark.octagon');
    expect(lines[1]?.params.sfimage).toBeUndefined();
  },
};

/** A warning: yellow. */
export const Warning: Story = {
  render: () => (
    <InMenu>
      <ErrorItem tone="warning" message="History file ignored: it was written by a newer version." />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.params.color).toBe(pairText(YELLOW));
  },
};

/** Good news: green. */
export const Ok: Story = {
  render: () => (
    <InMenu>
      <ErrorItem tone="ok" message="Loaded qwen2.5-coder-7b" />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]).toMatchObject({ title: 'Loaded qwen2.5-coder-7b', params: { color: pairText(GREEN), sfimage: 'checkmark.circle' } });
  },
};

/** A garbage body with line breaks and pipes stays readable text, never extra lines or params. */
export const GarbageText: Story = {
  render: () => (
    <InMenu>
      <ErrorItem message={'<html>\n<body>502 | Bad Gateway</body>\n---\n--x'} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame).map((l) => l.title)).toEqual(['<html> <body>502 │ Bad Gateway</body> --- --x']);
    expect(frame.body.every((n) => n.type === 'item' && n.children.length === 0)).toBe(true);
  },
};
