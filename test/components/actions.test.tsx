import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVOKER, MENU_MODELS, readyModel, idle } from '../../src/components/fixtures/menu-models.js';
import { ID_BASE64_FLAG, passesIntact } from '../../src/components/menu-action.js';
import { Menu } from '../../src/components/Menu.js';
import type { MenuModel } from '../../src/components/model.js';
import type { ActionName } from '../../src/system/types.js';
import { argvOf } from '../../src/components/story-helpers.js';
import { allItems, findItem, parseFrame, renderToString, type ParsedFrame, type ParsedItem } from '../../src/reconciler/index.js';
import { decodeIdArgs, ID_BASE64_FLAG as CLI_FLAG } from '../../src/system/cli/actions.js';

const ACTIONS: readonly ActionName[] = [
  'do_start', 'do_stop', 'do_restart', 'do_unload', 'do_unload_model', 'do_load_model', 'set_profile', 'clear_profile',
  'install_service', 'uninstall_service', 'open_ui', 'view_logs', 'edit_config', 'refresh',
];
const WITH_ID: readonly ActionName[] = ['do_unload_model', 'do_load_model', 'set_profile'];

async function frameOf(model: MenuModel): Promise<ParsedFrame> {
  return parseFrame(await renderToString(<Menu model={model} />));
}

/** The id an action item names, decoded exactly as the CLI decodes its arguments. */
function idOf(item: ParsedItem): string | undefined {
  const decoded = decodeIdArgs(argvOf(item).slice(2));
  return decoded.ok && decoded.args.length === 1 ? decoded.args[0] : undefined;
}

const noCharts = (model: MenuModel): MenuModel => ({
  ...model,
  models: model.models.map((m) => ({ ...m, history: { genTps: [], promptTps: [], memoryBytes: [], queue: [] } })),
  system: null,
});

describe('menu actions', () => {
  it.each(Object.entries(MENU_MODELS))('%s: every action is argv of the invoker, background, no refresh', async (_name, model) => {
    const frame = await frameOf(model);
    for (const item of allItems(frame).filter((i) => i.params.bash !== undefined)) {
      const argv = argvOf(item);
      // The troubleshooter is the one command whose output is for reading: it runs in Terminal.
      if (argv[1] === 'doctor') {
        expect(argv).toEqual([INVOKER.executable, 'doctor']);
        expect(item.params.terminal).toBe('true');
        continue;
      }
      expect(argv[0]).toBe(INVOKER.executable);
      expect(ACTIONS).toContain(argv[1]);
      const encoded = argv[2] === ID_BASE64_FLAG;
      expect(argv).toHaveLength(WITH_ID.includes(argv[1] as ActionName) ? (encoded ? 4 : 3) : 2);
      expect(item.params.terminal).toBe('false');
      expect(item.params.refresh).toBeUndefined();
    }
    expect(allItems(frame).every((i) => i.params.refresh === undefined)).toBe(true);
  });

  it('Refresh signals the streaming plugin through its cache folder (no restart); a one-shot plugin is rerun by SwiftBar', async () => {
    const streaming = allItems(await frameOf(MENU_MODELS.readyIdle)).find((i) => i.title === 'Refresh');
    expect(streaming && argvOf(streaming)).toEqual([INVOKER.executable, 'refresh']);
    expect(streaming?.params.refresh).toBeUndefined();
    const oneShot = allItems(await frameOf({ ...MENU_MODELS.readyIdle, streaming: false })).find((i) => i.title === 'Refresh');
    expect(oneShot && argvOf(oneShot)).toEqual([INVOKER.executable, 'refresh']);
    expect(oneShot?.params.refresh).toBe('true');
  });

  it('gives each running model an Unload with its exact id, each idle model a Load', async () => {
    for (const model of Object.values(MENU_MODELS)) {
      const frame = await frameOf(noCharts(model));
      const unload = allItems(frame).filter((i) => i.params.param1 === 'do_unload_model').map(idOf);
      expect(unload).toEqual(model.models.map((m) => m.id));
      const load = allItems(frame).filter((i) => i.params.param1 === 'do_load_model').map(idOf);
      expect(load).toEqual(model.idleModels.map((m) => m.id));
    }
  });

  it('offers the service actions that fit each state', async () => {
    const actions = async (model: MenuModel) =>
      allItems(await frameOf(noCharts(model)))
        .map((i) => i.params.param1 ?? '')
        .filter((a) => ['do_start', 'do_stop', 'do_restart', 'do_unload', 'install_service', 'uninstall_service'].includes(a));
    // The problem's fix comes first; the service section does not repeat it.
    expect(await actions(MENU_MODELS.stopped)).toEqual(['do_start', 'uninstall_service']);
    expect(await actions(MENU_MODELS.notInstalled)).toEqual(['install_service']);
    expect(await actions(MENU_MODELS.unreachable)).toEqual(['do_restart', 'do_stop', 'uninstall_service']);
    expect(await actions(MENU_MODELS.readyIdle)).toEqual(['do_restart', 'do_stop', 'do_unload', 'uninstall_service']);
    expect(await actions(MENU_MODELS.empty)).toEqual(['do_restart', 'do_stop', 'uninstall_service']);
    expect(await actions(MENU_MODELS.linux)).toEqual(['do_unload']);
    expect(await actions(MENU_MODELS.remote)).toEqual(['do_unload']);
  });

  it('passes an id intact when SwiftBar can carry it, else as --id-base64 (never both, never a guess)', () => {
    expect(ID_BASE64_FLAG).toBe(CLI_FLAG);
    for (const id of ['plain', 'a|b', `x" y'z`, 'line\nbreak', '~~~', '--evil', 'back\\', ID_BASE64_FLAG]) {
      const args = passesIntact(id) && id !== ID_BASE64_FLAG ? [id] : [ID_BASE64_FLAG, Buffer.from(id).toString('base64')];
      expect(decodeIdArgs(args)).toEqual({ ok: true, args: [id] });
    }
    expect(decodeIdArgs([ID_BASE64_FLAG, 'not base64!'])).toMatchObject({ ok: false });
    expect(decodeIdArgs([ID_BASE64_FLAG, '//8='])).toMatchObject({ ok: false });
    expect(decodeIdArgs([ID_BASE64_FLAG])).toMatchObject({ ok: false });
  });

  it('keeps arbitrary model ids and names as text: one submenu per model, every action names its exact id', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 24 });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(text.filter((s) => s.trim() !== ''), { minLength: 1, maxLength: 3 }), text, text, async (ids, name, description) => {
        const model: MenuModel = {
          ...noCharts(MENU_MODELS.readyIdle),
          models: ids.map((id) => readyModel(id, { name, description, history: { genTps: [], promptTps: [], memoryBytes: [], queue: [] } })),
          idleModels: ids.map((id) => idle(`idle ${id}`, name)),
        };
        const frame = await frameOf(model);
        const submenus = frame.body.filter((n) => n.type === 'item' && n.children.some((c) => c.type === 'item' && c.title === 'Unload this model'));
        expect(submenus).toHaveLength(ids.length);
        for (const [i, id] of ids.entries()) {
          const sub = submenus[i];
          const unload = sub?.type === 'item' ? sub.children.find((c) => c.type === 'item' && c.title === 'Unload this model') : undefined;
          const argv = unload?.type === 'item' ? argvOf(unload) : [];
          expect(argv.slice(0, 2)).toEqual([INVOKER.executable, 'do_unload_model']);
          expect(unload?.type === 'item' ? idOf(unload) : undefined).toBe(id);
        }
        expect(allItems(frame).filter((i) => i.params.param1 === 'do_load_model').map(idOf)).toEqual(ids.map((id) => `idle ${id}`));
        for (const item of allItems(frame)) {
          for (const key of Object.keys(item.params)) {
            expect(key).toMatch(/^(color|sfcolor|symbolize|emojize|sfimage|tooltip|checked|href|bash|param\d|terminal)$/);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('names the Open web UI link from the model, never from server text', async () => {
    const frame = await frameOf(noCharts(MENU_MODELS.hostileNames));
    expect(allItems(frame).filter((i) => i.params.href !== undefined).map((i) => i.params.href)).toEqual(['http://127.0.0.1:8080/ui/']);
    expect(findItem(frame, 'Open web UI')).toBeDefined();
  });
});
