/**
 * Every clickable item of every fixture menu, clicked through stdin, runs exactly the action and
 * arguments its `bash=` fallback would run (hostile ids included, as `--id-base64`), and no line
 * carries both. Items are matched by position: the two frames differ only in their click params.
 */
import { describe, expect, it } from 'vitest';
import { MENU_MODELS } from '../../src/components/fixtures/menu-models.js';
import { Menu } from '../../src/components/Menu.js';
import type { MenuModel } from '../../src/components/model.js';
import { allItems, parseFrame, renderToString, createMenuRoot, type ParsedFrame } from '../../src/reconciler/index.js';
import type { ActionName } from '../../src/system/types.js';
import { actionArgv } from '../e2e/helpers/plugin-process.js';
import { FakeStdout } from '../helpers/fake-stdout.js';

const noCharts = (model: MenuModel): MenuModel => ({
  ...model,
  models: model.models.map((m) => ({ ...m, history: { genTps: [], promptTps: [], memoryBytes: [], queue: [] } })),
  system: null,
});

async function stdinFrame(model: MenuModel, ran: string[][]): Promise<{ frame: ParsedFrame; click: (token: string) => boolean; stop: () => void }> {
  const stdout = new FakeStdout();
  const root = createMenuRoot({ stdout, mode: 'stream', appearance: 'light', clicks: 'stdin', onFatal: () => undefined });
  const run = (action: ActionName, args: readonly string[]): void => void ran.push([action, ...args]);
  root.render(<Menu model={{ ...model, invoker: { ...model.invoker, run } }} />);
  await root.firstFrame;
  return { frame: parseFrame(stdout.frames[0] ?? ''), click: (t) => root.click(t), stop: () => root.unmount() };
}

describe('stdin clicks in the menu', () => {
  it.each(Object.entries(MENU_MODELS))('%s: each stdin= click runs what its bash= command runs', async (_name, fixture) => {
    const model = noCharts(fixture);
    const bashItems = allItems(parseFrame(await renderToString(<Menu model={model} />)));
    const ran: string[][] = [];
    const { frame, click, stop } = await stdinFrame(model, ran);
    const items = allItems(frame);
    expect(items.map((i) => i.title)).toEqual(bashItems.map((i) => i.title));
    items.forEach((item, i) => {
      const fallback = bashItems[i];
      expect(item.params.stdin !== undefined && item.params.bash !== undefined, item.title).toBe(false);
      if (item.params.stdin === undefined) {
        // Only the Terminal command keeps bash= here; nothing else that runs something is left behind.
        if (item.params.bash !== undefined) expect(actionArgv(item)).toEqual(['doctor']);
        else expect(fallback?.params.bash, item.title).toBeUndefined();
        return;
      }
      expect(fallback?.params.bash, item.title).toBeDefined();
      ran.length = 0;
      expect(click(item.params.stdin)).toBe(true);
      expect(ran, item.title).toEqual([actionArgv(fallback as (typeof bashItems)[number])]);
    });
    stop();
  });
});
