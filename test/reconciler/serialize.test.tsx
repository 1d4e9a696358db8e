import { describe, expect, it } from 'vitest';
import { Item, Separator, Submenu, Title } from '../../src/components/primitives/index.js';
import { paramsOf } from '../../src/reconciler/params.js';
import { renderToString } from '../../src/reconciler/render-to-string.js';

const P = 'symbolize=false emojize=false';

describe('serializeFrame', () => {
  it('writes a placeholder title when there is none, and no --- without a body', async () => {
    expect(await renderToString(<><Item>x</Item></>)).toBe(`…\n---\nx | ${P}\n`);
    expect(await renderToString(<><Title>only</Title></>)).toBe(`only | ${P}\n`);
    expect(await renderToString(<></>)).toBe('…\n');
  });

  it('writes a hidden submenu without its children (SwiftBar would re-parent them)', async () => {
    const text = await renderToString(
      <>
        <Title>t</Title>
        <Separator />
        <Submenu label="hidden" dropdown={false}><Item>child</Item></Submenu>
        <Item>next</Item>
      </>,
    );
    expect(text).toBe(`t | ${P}\n---\n---\nhidden | ${P} dropdown=false\nnext | ${P}\n`);
  });

  it('glues params without a space when trim is off, so trailing spaces survive', async () => {
    expect(await renderToString(<><Title trim={false}>{' pad '}</Title></>)).toBe(` pad | trim=false ${P}\n`);
  });

  it('keeps an empty label as a line', async () => {
    expect(await renderToString(<><Title>t</Title><Submenu label=""><Item /></Submenu></>)).toBe(`t | ${P}\n---\n | ${P}\n-- | ${P}\n`);
    expect(await renderToString(<><Title symbolize>t</Title><Item symbolize /></>)).toBe('t\n---\n \n');
  });
});

describe('paramsOf', () => {
  it('emits parameters in a fixed order, images last', () => {
    const params = paramsOf({
      templateImage: 'AAAA',
      href: 'https://example.com',
      tooltip: 'tip',
      color: { light: 'black', dark: 'white' },
      sfcolor: '#00FF00',
      size: 13,
      length: 20,
      checked: true,
      alternate: true,
      badge: '3',
      sfimage: { light: 'cpu', dark: 'cpu.fill' },
      shortcut: 'cmd+shift+l',
      imageSize: { width: 16, height: 8 },
      md: true,
      ansi: true,
      refresh: true,
      font: 'Menlo',
    });
    expect(params.map((p) => `${p.key}=${p.value}`)).toEqual([
      'color=black,white', 'sfcolor=#00ff00', 'font=Menlo', 'size=13', 'length=20', 'ansi=true', 'md=true',
      'symbolize=false', 'emojize=false', 'sfimage=cpu,cpu.fill', 'checked=true', 'alternate=true', 'badge=3',
      'tooltip=tip', 'href=https://example.com', 'refresh=true', 'shortcut=cmd+shift+l', 'width=16', 'height=8',
      'templateImage=AAAA',
    ]);
  });

  it.each<[string, Parameters<typeof paramsOf>[0], RegExp]>([
    ['a short hex colour', { color: '#fff' }, /only #RRGGBB/],
    ['#RRGGBBAA', { color: '#ff000080' }, /only #RRGGBB/],
    ['a missing CSS name', { color: 'magenta' }, /use "fuchsia"/],
    ['a bad dark colour', { color: { light: 'red', dark: 'nope' } }, /Invalid color "nope"/],
    ['a fractional size', { size: 12.5 }, /integer >= 0/],
    ['length 0', { length: 0 }, /integer >= 1/],
    ['a relative bash path', { bash: { executable: 'curl' } }, /absolute path/],
    ['a bash path with space and quote', { bash: { executable: "/my app/it's" } }, /single quote/],
    ['base64url image data', { image: 'ab-_' }, /base64/],
    ['one image dimension', { imageSize: { width: 0, height: 4 } }, /positive number/],
  ])('rejects %s', (_name, props, message) => {
    expect(() => paramsOf(props)).toThrow(message);
  });

  it('writes terminal=false by default and true only when asked', () => {
    expect(paramsOf({ bash: { executable: '/bin/ls' } }).find((p) => p.key === 'terminal')?.value).toBe('false');
    expect(paramsOf({ bash: { executable: '/bin/ls', terminal: true } }).find((p) => p.key === 'terminal')?.value).toBe('true');
  });
});
