import type { Story, StoryMeta } from '../story.js';
import { Item } from './Item.js';
import { Title } from './Title.js';

const meta: StoryMeta = { title: 'Primitives/Title' };
export default meta;

/** One plain title line. */
export const Plain: Story = {
  render: () => <><Title>🦙 12.5 t/s</Title></>,
  assert: (frame, expect) => {
    expect(frame.header).toHaveLength(1);
    expect(frame.header[0]?.title).toBe('🦙 12.5 t/s');
    expect(frame.header[0]?.params.symbolize).toBe('false');
    expect(frame.body).toHaveLength(0);
  },
};

/** Several titles cycle in the menu bar; the dropdown follows `---`. */
export const Cycling: Story = {
  render: () => (
    <>
      <Title color="green" sfimage="cpu">2 models</Title>
      <Title color={{ light: 'black', dark: 'white' }}>queue 3</Title>
      <Item>first row</Item>
    </>
  ),
  assert: (frame, expect) => {
    expect(frame.header.map((h) => h.title)).toEqual(['2 models', 'queue 3']);
    expect(frame.header[0]?.params.sfimage).toBe('cpu');
    expect(frame.header[1]?.params.color).toBe('black,white');
    expect(frame.body[0]).toMatchObject({ type: 'item', title: 'first row' });
  },
};

/** No <Title> at all: a placeholder keeps the frame from starting with `---`. */
export const Missing: Story = {
  render: () => <><Item>only a row</Item></>,
  assert: (frame, expect) => {
    expect(frame.header[0]?.title).toBe('…');
    expect(frame.body).toHaveLength(1);
  },
};
