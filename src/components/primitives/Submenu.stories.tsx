import type { Story, StoryMeta } from '../story.js';
import { Item } from './Item.js';
import { Separator } from './Separator.js';
import { Submenu } from './Submenu.js';
import { Title } from './Title.js';

const meta: StoryMeta = { title: 'Primitives/Submenu' };
export default meta;

/** Three levels deep, with separators at each depth. */
export const Nested: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Submenu label="qwen3-30b">
        <Item>ready</Item>
        <Separator />
        <Submenu label="metrics">
          <Item>prompt 512 t/s</Item>
          <Separator />
          <Item>gen 42 t/s</Item>
        </Submenu>
      </Submenu>
      <Item>after</Item>
    </>
  ),
  assert: (frame, expect) => {
    const model = frame.body[0];
    expect(model).toMatchObject({ type: 'item', title: 'qwen3-30b', depth: 0 });
    const children = model?.type === 'item' ? model.children : [];
    expect(children.map((c) => c.type)).toEqual(['item', 'separator', 'item']);
    const metrics = children[2];
    expect(metrics?.type === 'item' ? metrics.children.map((c) => (c.type === 'item' ? c.title : '---')) : []).toEqual([
      'prompt 512 t/s',
      '---',
      'gen 42 t/s',
    ]);
    expect(frame.body[1]).toMatchObject({ title: 'after', depth: 0 });
  },
};

/** A hostile label on a submenu parent does not change the nesting. */
export const HostileLabel: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Submenu label={'----deep | color=red'}>
        <Item>{'--child'}</Item>
      </Submenu>
    </>
  ),
  assert: (frame, expect) => {
    const parent = frame.body[0];
    expect(parent).toMatchObject({ depth: 0, title: '\u200B----deep │ color=red' });
    expect(parent?.type === 'item' ? parent.children : []).toEqual([
      { type: 'item', depth: 1, title: '\u200B--child', params: { symbolize: 'false', emojize: 'false' }, children: [] },
    ]);
  },
};
