/**
 * Clicks as React events: an item's `onClick` becomes `stdin=<token>` where the root is told
 * clicks reach stdin, else the line keeps its `bash=` command; never both on one line. Tokens
 * are stable across frames for the same logical item and reach the newest handler.
 */
import { useState, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { Item, Submenu, Title } from '../../src/components/primitives/index.js';
import { createClickRegistry, isClickToken } from '../../src/reconciler/click-tokens.js';
import { allItems, parseFrame, type ParsedFrame, type ParsedItem } from '../../src/reconciler/parse.js';
import { createMenuRoot, type MenuRoot } from '../../src/reconciler/root.js';
import { renderToString } from '../../src/reconciler/render-to-string.js';
import { FakeStdout } from '../helpers/fake-stdout.js';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

async function frameCount(stdout: FakeStdout, n: number): Promise<ParsedFrame> {
  while (stdout.frames.length < n) await settle();
  return parseFrame(stdout.frames[n - 1] ?? '');
}

const item = (frame: ParsedFrame, title: string): ParsedItem => {
  const found = allItems(frame).find((i) => i.title === title);
  if (!found) throw new Error(`no item ${title}`);
  return found;
};

const UNLOAD = { executable: '/opt/plugin.sh', args: ['do_unload_model', 'qwen'], terminal: false } as const;

let setLabel: (label: string) => void = () => undefined;
let setModel: (id: string) => void = () => undefined;

/** A menu whose item keeps its action while its label changes, and whose model can change. */
function Menu({ onUnload }: { readonly onUnload: (id: string) => void }): ReactElement {
  const [label, setL] = useState('Unload');
  const [model, setM] = useState('qwen');
  setLabel = setL;
  setModel = setM;
  return (
    <>
      <Title>t</Title>
      <Submenu label="Model">
        <Item bash={{ ...UNLOAD, args: ['do_unload_model', model] }} onClick={() => onUnload(model)}>
          {label}
        </Item>
      </Submenu>
      <Item bash={{ executable: '/opt/plugin.sh', args: ['view_logs'] }}>No handler</Item>
    </>
  );
}

function start(clicks?: 'stdin' | 'bash'): { stdout: FakeStdout; root: MenuRoot; calls: string[] } {
  const stdout = new FakeStdout();
  const calls: string[] = [];
  const root = createMenuRoot({ stdout, mode: 'stream', appearance: 'light', coalesceMs: 0, onFatal: () => undefined, ...(clicks ? { clicks } : {}) });
  root.render(<Menu onUnload={(id) => calls.push(id)} />);
  return { stdout, root, calls };
}

describe('clicks through stdin', () => {
  it('writes stdin=<token> instead of bash= (never both), and the token runs the handler', async () => {
    const { stdout, root, calls } = start('stdin');
    const frame = await frameCount(stdout, 1);
    const unload = item(frame, 'Unload');
    const token = unload.params.stdin ?? '';
    expect(isClickToken(token)).toBe(true);
    expect(unload.params).not.toHaveProperty('bash');
    expect(unload.params).not.toHaveProperty('param1');
    expect(unload.params).not.toHaveProperty('terminal');
    // An item without a handler keeps its command.
    expect(item(frame, 'No handler').params).toMatchObject({ bash: '/opt/plugin.sh', param1: 'view_logs' });
    expect(item(frame, 'No handler').params).not.toHaveProperty('stdin');
    expect(root.click(token)).toBe(true);
    expect(calls).toEqual(['qwen']);
    root.unmount();
  });

  it('keeps the token when the label changes, and an older token reaches the newest handler', async () => {
    const { stdout, root, calls } = start('stdin');
    const first = item(await frameCount(stdout, 1), 'Unload').params.stdin;
    setLabel('Unload now');
    const second = item(await frameCount(stdout, 2), 'Unload now').params.stdin;
    expect(second).toBe(first);
    // Another model: another action, another token; the first one still works while kept.
    setModel('llama');
    const third = item(await frameCount(stdout, 3), 'Unload now').params.stdin;
    expect(third).not.toBe(first);
    expect(root.click(third ?? '')).toBe(true);
    expect(root.click(first ?? '')).toBe(true);
    expect(calls).toEqual(['llama', 'qwen']);
    root.unmount();
  });

  it('runs nothing for unknown, malformed or oversized tokens, nor after unmount', async () => {
    const { stdout, root, calls } = start('stdin');
    const token = item(await frameCount(stdout, 1), 'Unload').params.stdin ?? '';
    for (const line of ['', 'c', `c${'0'.repeat(20)}`, token.toUpperCase(), `${token} `, `${token}x`, 'x'.repeat(1_000_000), '../../etc/passwd', `bash=/bin/rm`]) {
      expect(root.click(line)).toBe(false);
    }
    expect(calls).toEqual([]);
    root.unmount();
    expect(root.click(token)).toBe(false);
    expect(calls).toEqual([]);
  });

  it("keeps bash= where clicks do not reach stdin (the default), and then runs no token", async () => {
    const { stdout, root, calls } = start();
    const unload = item(await frameCount(stdout, 1), 'Unload');
    expect(unload.params).toMatchObject({ bash: '/opt/plugin.sh', param1: 'do_unload_model', param2: 'qwen', terminal: 'false' });
    expect(unload.params).not.toHaveProperty('stdin');
    const token = createClickRegistry().tokenFor({ bash: UNLOAD }, 'Unload');
    expect(root.click(token)).toBe(false);
    expect(calls).toEqual([]);
    root.unmount();
  });

  it('one-off renders (previews, demo, one-shot) keep bash=', async () => {
    const text = await renderToString(<Menu onUnload={() => undefined} />);
    expect(text).toContain('bash=/opt/plugin.sh param1=do_unload_model param2=qwen terminal=false');
    expect(text).not.toContain('stdin=');
  });

  it('the registry forgets the stalest tokens beyond its capacity', () => {
    const registry = createClickRegistry(2);
    const ran: string[] = [];
    const tokens = ['a', 'b', 'c'].map((id) => registry.tokenFor({ bash: { executable: '/x', args: [id] }, onClick: () => ran.push(id) }, id));
    expect(registry.size()).toBe(2);
    expect(tokens.map((t) => registry.dispatch(t))).toEqual([false, true, true]);
    expect(ran).toEqual(['b', 'c']);
  });
});
