/**
 * parseFrame(serialize(tree)) gives back the tree: same shape, the documented visible label
 * (escape.ts `visibleLabel`) and the documented decoded parameter values (`decodedValue`).
 */
import fc from 'fast-check';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { Item, Separator, Submenu, Title } from '../../src/components/primitives/index.js';
import type { ItemProps } from '../../src/reconciler/element-props.js';
import { decodedValue, visibleLabel } from '../../src/reconciler/escape.js';
import { paramsOf } from '../../src/reconciler/params.js';
import { parseFrame, type ParsedItem, type ParsedNode } from '../../src/reconciler/parse.js';
import { renderToString } from '../../src/reconciler/render-to-string.js';

type Line = { readonly label: string; readonly props: Omit<ItemProps, 'children'> };
type GenNode =
  | { readonly kind: 'item'; readonly line: Line }
  | { readonly kind: 'separator' }
  | { readonly kind: 'submenu'; readonly line: Line; readonly children: readonly GenNode[] };
type GenTree = { readonly titles: readonly Line[]; readonly body: readonly GenNode[] };

const HOSTILE = [
  '|', ' | ', '\n', '\r\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029', '--', '---', '-', '~~~', '~',
  '"', "'", '\\', '\\n', '\\t', ':cpu:', ':rocket:', 'color=red', ' key=value', '=', ' ', '\t',
  '\u00a0', '\u3000', '\u0301', '\u200d', '\u{1F3FD}', '\u0600', '\u001b[31m', 'é', '😀', '\uD800',
];
const hostile = fc.array(fc.constantFrom(...HOSTILE), { maxLength: 8 }).map((parts) => parts.join(''));
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), hostile, fc.tuple(hostile, fc.string(), hostile).map((p) => p.join('')));
const colors = fc.constantFrom('red', 'orange red', '#12ABef', { light: 'navy', dark: '#ffffff' } as const);

const props: fc.Arbitrary<Line['props']> = fc.record(
  {
    color: colors,
    tooltip: text,
    badge: text,
    href: text,
    font: text,
    trim: fc.boolean(),
    checked: fc.boolean(),
    bash: fc.record({ executable: fc.constantFrom('/usr/bin/env', '/opt/my tools/run'), args: fc.array(text, { maxLength: 3 }) }),
  },
  { requiredKeys: [] },
);
const line = fc.record({ label: text, props });

const { node } = fc.letrec<{ node: GenNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    line.map((l): GenNode => ({ kind: 'item', line: l })),
    fc.constant<GenNode>({ kind: 'separator' }),
    fc.record({ line, children: fc.array(tie('node'), { maxLength: 4 }) }).map((s): GenNode => ({ kind: 'submenu', ...s })),
  ),
}));
const tree: fc.Arbitrary<GenTree> = fc.record({
  titles: fc.array(line, { minLength: 1, maxLength: 3 }),
  body: fc.array(node, { maxLength: 6 }),
});

function toElement(t: GenTree): ReactElement {
  const body = (nodes: readonly GenNode[]): ReactElement[] =>
    nodes.map((n, i) =>
      n.kind === 'separator' ? <Separator key={i} />
      : n.kind === 'item' ? <Item key={i} {...n.line.props}>{n.line.label}</Item>
      : <Submenu key={i} {...n.line.props} label={n.line.label}>{body(n.children)}</Submenu>,
    );
  return (
    <>
      {t.titles.map((l, i) => <Title key={`t${i}`} {...l.props}>{l.label}</Title>)}
      {body(t.body)}
    </>
  );
}

function expectedParams(p: Line['props']): Record<string, string> {
  return Object.fromEntries(paramsOf(p).map(({ key, value }) => [key.toLowerCase(), decodedValue(value)]));
}

function expectedLine(l: Line, depth: number, children: ParsedNode[]): ParsedItem {
  return { type: 'item', depth, title: visibleLabel(l.label, { trim: l.props.trim !== false }), params: expectedParams(l.props), children };
}

function expectedBody(nodes: readonly GenNode[], depth: number): ParsedNode[] {
  return nodes.map((n) =>
    n.kind === 'separator' ? { type: 'separator', depth }
    : n.kind === 'item' ? expectedLine(n.line, depth, [])
    : expectedLine(n.line, depth, expectedBody(n.children, depth + 1)),
  );
}

describe('serialize → parse round trip', () => {
  it('keeps shape, visible labels and parameter values for arbitrary trees', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const text = await renderToString(toElement(t));
        const frame = parseFrame(text);
        expect(frame.header).toEqual(t.titles.map((l) => expectedLine(l, 0, [])));
        expect(frame.body).toEqual(expectedBody(t.body, 0));
        // No line of the frame can be a stream separator, nor contain one.
        expect(text.includes('~~~')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps command arguments in order as param1..N', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 5 }), async (args) => {
        const frame = parseFrame(await renderToString(<><Title>t</Title><Item bash={{ executable: '/bin/echo', args }}>run</Item></>));
        const item = frame.body[0];
        expect(item?.type).toBe('item');
        if (item?.type !== 'item') return;
        args.forEach((arg, i) => expect(item.params[`param${i + 1}`]).toBe(decodedValue(arg)));
        expect(item.params.terminal).toBe('false');
      }),
      { numRuns: 200 },
    );
  });

  it('maps labels with a pure, idempotent-on-safe-text function', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 .,:%()/]*$/), (safe) => {
        expect(visibleLabel(safe)).toBe(safe.trim());
      }),
    );
  });
});
