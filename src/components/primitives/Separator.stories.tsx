import type { Story, StoryMeta } from '../story.js';
import { Item } from './Item.js';
import { Separator } from './Separator.js';
import { Submenu } from './Submenu.js';
import { Title } from './Title.js';

const meta: StoryMeta = { title: 'Primitives/Separator' };
export default meta;

/** Separators at the top level and inside a submenu, followed by siblings (never deeper lines). */
export const AtEachDepth: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Item>above</Item>
      <Separator />
      <Submenu label="group">
        <Item>one</Item>
        <Separator />
        <Item>two</Item>
      </Submenu>
    </>
  ),
  assert: (frame, expect) => {
    expect(frame.body.map((n) => n.type)).toEqual(['item', 'separator', 'item']);
    const group = frame.body[2];
    expect(group?.type === 'item' ? group.children.map((c) => `${c.type}@${c.depth}`) : []).toEqual([
      'item@1',
      'separator@1',
      'item@1',
    ]);
  },
};
