import type { Story, StoryMeta } from '../story.js';
import { Item } from './Item.js';
import { Title } from './Title.js';

const meta: StoryMeta = { title: 'Primitives/Item' };
export default meta;

const ZW = '\u200B';

/** Text, a colour, a tooltip and a link. */
export const Styled: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Item color="#ff8800" tooltip="tokens per second" font="Menlo" size={12}>gen {42.0.toFixed(1)} t/s</Item>
      <Item href="http://127.0.0.1:8080/ui" checked>Open llama-swap UI</Item>
    </>
  ),
  assert: (frame, expect) => {
    expect(frame.body[0]).toMatchObject({ title: 'gen 42.0 t/s', params: { color: '#ff8800', tooltip: 'tokens per second', font: 'Menlo', size: '12' } });
    expect(frame.body[1]).toMatchObject({ params: { href: 'http://127.0.0.1:8080/ui', checked: 'true' } });
  },
};

/** A background command: absolute path, one param per argument, never a Terminal. */
export const Command: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Item bash={{ executable: '/usr/bin/curl', args: ['-X', 'POST', 'http://127.0.0.1:8080/models/unload/my model'], refresh: true }}>
        Unload my model
      </Item>
    </>
  ),
  assert: (frame, expect) => {
    const item = frame.body[0];
    expect(item?.type === 'item' ? item.params : {}).toEqual({
      symbolize: 'false',
      emojize: 'false',
      bash: '/usr/bin/curl',
      param1: '-X',
      param2: 'POST',
      param3: 'http://127.0.0.1:8080/models/unload/my model',
      terminal: 'false',
      refresh: 'true',
    });
  },
};

/** Server text that tries to break the format stays visible text. */
export const HostileStrings: Story = {
  render: () => (
    <>
      <Title>{'--title | color=red'}</Title>
      <Item>{'CPU | 50%'}</Item>
      <Item>{'---'}</Item>
      <Item>{'--verbose\nsecond line'}</Item>
      <Item>{'frame ~~~ break'}</Item>
      <Item>{':rocket: :cpu: C:\\models\\new'}</Item>
      <Item tooltip={'say "hi" it\'s me'}>{'key=value href=http://evil'}</Item>
    </>
  ),
  assert: (frame, expect) => {
    expect(frame.header).toHaveLength(1);
    expect(frame.header[0]?.title).toBe(`${ZW}--title │ color=red`);
    expect(frame.header[0]?.params.color).toBeUndefined();
    expect(frame.body.map((n) => (n.type === 'item' ? n.title : '<separator>'))).toEqual([
      'CPU │ 50%',
      `${ZW}---`,
      `${ZW}--verbose second line`,
      `frame ~~${ZW}~ break`,
      ':rocket: :cpu: C:\\models\\new',
      'key=value href=http://evil',
    ]);
    expect(frame.body.every((n) => n.depth === 0)).toBe(true);
    const last = frame.body[5];
    // Both quote kinds plus spaces: the documented fallback turns `"` into `＂` (U+FF02).
    expect(last?.type === 'item' ? last.params.tooltip : undefined).toBe('say ＂hi＂ it\'s me');
    expect(last?.type === 'item' ? last.params.href : 'none').toBeUndefined();
  },
};

/** Emoji and SF Symbol shortcodes only when asked for. */
export const Shortcodes: Story = {
  render: () => (
    <>
      <Title>t</Title>
      <Item symbolize>:cpu: symbol</Item>
      <Item emojize>:rocket: emoji</Item>
    </>
  ),
  assert: (frame, expect) => {
    const [sym, emo] = frame.body;
    expect(sym?.type === 'item' ? sym.params.symbolize : 'x').toBeUndefined();
    expect(emo?.type === 'item' ? [emo.params.symbolize, emo.params.emojize] : []).toEqual(['false', undefined]);
  },
};
