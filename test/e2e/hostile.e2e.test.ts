/**
 * Hostile text from a remote llama-swap the user does not control: model ids, names and
 * descriptions with `|`, quotes, newlines, `~~~`, `--`, shell metacharacters and `bash=`-like
 * text. Nothing becomes a parameter, an item or a command, every frame stays well-formed, and
 * Unload / Load clicked on each model (exactly as SwiftBar runs them) make one request that
 * names exactly that model.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { allItems, type ParsedFrame, type ParsedItem } from '../../src/reconciler/parse.js';
import { startFaultServer, type FaultModel, type FaultServer } from './helpers/fault-server.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';

const WAIT = 25_000;
const PWNED = join(tmpdir(), `pwned-${process.pid}-${Date.now()}`);
const HOSTILE_IDS = [
  'a|b', `x" y'z`, 'line\nbreak', '~~~', '--evil', '$(rm -rf ~)', `; touch ${PWNED}`, 'bash=/bin/sh param1=-c', ':warning:',
  'back\\', `both "q" and 'q' ~~~\n---`,
];
const HOSTILE_TEXT = ['| color=red bash=/bin/sh', 'line\n---\n--child', '~~~', `$(touch ${PWNED})`, '`id`', ':warning: \\n'];
const PARAM_KEYS = /^(color|sfcolor|symbolize|emojize|sfimage|tooltip|checked|href|bash|param\d+|terminal|image)$/;

/** Model i: a name starting with "M<i> " (so its rows can be found) and hostile after that. */
function models(state: string | undefined): FaultModel[] {
  return HOSTILE_IDS.map((id, i) => ({
    id,
    name: `M${i} ${HOSTILE_TEXT[i % HOSTILE_TEXT.length] ?? ''}`,
    description: HOSTILE_TEXT[(i + 2) % HOSTILE_TEXT.length] ?? '',
    ...(state ? { state } : {}),
  }));
}

function setup(ctx: TestContext, fs: FaultServer): PluginProcess {
  const p = startPluginProcess({ apiUrl: fs.url, timeoutSecs: 1 });
  ctx.onTestFinished(async () => {
    await p.dispose();
    await fs.close();
  });
  return p;
}

/** The action item of model i: under its submenu (Unload) or its own top-level row (Load). */
function actionFor(frame: ParsedFrame, i: number, action: 'do_unload_model' | 'do_load_model'): ParsedItem | undefined {
  const prefix = `M${i} `;
  const top = frame.body.filter((n): n is ParsedItem => n.type === 'item' && n.title.startsWith(prefix));
  const candidates = top.flatMap((t) => [t, ...allItems({ header: [], body: t.children })]);
  return candidates.find((c) => Object.values(c.params).includes(action));
}

/** Every frame item carries only our parameter names; no hostile text became a key. */
function assertOnlyOurParams(frame: ParsedFrame): void {
  for (const item of allItems(frame)) for (const key of Object.keys(item.params)) expect(key, item.title).toMatch(PARAM_KEYS);
  for (const item of frame.header) for (const key of Object.keys(item.params)) expect(key).toMatch(/^(sfcolor|tooltip|symbolize)$/);
}

const decodedPaths = (fs: FaultServer, from: number, re: RegExp): string[] =>
  fs.log.slice(from).map((r) => re.exec(r.path)?.[1]).filter((m): m is string => m !== undefined).map(decodeURIComponent);

describe('hostile model ids and text from a remote llama-swap', () => {
  it('running: one submenu per model, well-formed frames, and Unload on each unloads exactly that id', async (ctx) => {
    const fs = await startFaultServer(models('ready'));
    const p = setup(ctx, fs);
    const frame = await p.waitForFrame((f) => HOSTILE_IDS.every((_, i) => actionFor(f, i, 'do_unload_model') !== undefined), WAIT, 'an Unload for every hostile model');
    assertOnlyOurParams(frame);
    const submenus = frame.body.filter((n) => n.type === 'item' && /^M\d+ /.test(n.title));
    expect(submenus).toHaveLength(HOSTILE_IDS.length);
    for (const [i, id] of HOSTILE_IDS.entries()) {
      const item = actionFor(frame, i, 'do_unload_model');
      expect(item?.params.terminal).toBe('false');
      const from = fs.log.length;
      const run = await p.click(item as ParsedItem);
      expect(run.code, `${JSON.stringify(id)}: ${run.stderr}`).toBe(0);
      const unloads = fs.log.slice(from).filter((r) => r.path.startsWith('/api/models/unload'));
      expect(unloads.map((r) => r.method)).toEqual(['POST']);
      expect(decodedPaths(fs, from, /^\/api\/models\/unload\/(.+)$/)).toEqual([id]);
      expect(fs.models.find((m) => m.id === id)?.state).toBeUndefined();
    }
    expect(existsSync(PWNED)).toBe(false);
    expect(p.malformed).toEqual([]);
  }, 90_000);

  it('idle: every model listed once with a Load that loads exactly that id', async (ctx) => {
    const fs = await startFaultServer(models(undefined));
    const p = setup(ctx, fs);
    const frame = await p.waitForFrame((f) => HOSTILE_IDS.every((_, i) => actionFor(f, i, 'do_load_model') !== undefined), WAIT, 'a Load for every hostile model');
    assertOnlyOurParams(frame);
    expect(frame.body.filter((n) => n.type === 'item' && /^M\d+ /.test(n.title))).toHaveLength(HOSTILE_IDS.length);
    for (const [i, id] of HOSTILE_IDS.entries()) {
      const from = fs.log.length;
      const run = await p.click(actionFor(frame, i, 'do_load_model') as ParsedItem);
      expect(run.code, `${JSON.stringify(id)}: ${run.stderr}`).toBe(0);
      expect(decodedPaths(fs, from, /^\/upstream\/(.+)\/health$/)).toEqual([id]);
    }
    // What the server said never reached a frame as structure: no `~~~` line, no extra items.
    for (const raw of p.frames) expect(raw.split('\n').some((l) => l.includes('~~~'))).toBe(false);
    expect(existsSync(PWNED)).toBe(false);
    expect(p.malformed).toEqual([]);
  }, 90_000);
});
