import { describe, expect, it } from 'vitest';
import { decodePng } from '../../scripts/preview/decode-png.js';
import { SERIES_STROKES } from '../../src/components/colors.js';
import { INVOKER, MENU_MODELS, processing } from '../../src/components/fixtures/menu-models.js';
import { IDLE_LIMIT } from '../../src/components/sections/IdleModels.js';
import { Menu, menuSections } from '../../src/components/Menu.js';
import type { MenuModel, ModelView } from '../../src/components/model.js';
import * as menuStories from '../../src/components/Menu.stories.js';
import { ModelSection } from '../../src/components/sections/ModelSection.js';
import { findItem, parseFrame, renderToString, type ParsedFrame } from '../../src/reconciler/index.js';

async function frameOf(model: MenuModel): Promise<ParsedFrame> {
  return parseFrame(await renderToString(<Menu model={model} />));
}

describe('menu structure', () => {
  it('orders sections: problems, last action, models, idle, profiles, system, service, files', () => {
    const keys = (m: MenuModel) => menuSections(m).map(([key]) => key);
    expect(keys(MENU_MODELS.stopped)).toEqual(['problems', 'system', 'service', 'files']);
    expect(keys(MENU_MODELS.lastActionFailed)).toEqual(['problems', 'last-action', 'system', 'service', 'files']);
    expect(keys(MENU_MODELS.profiles)).toEqual(['models', 'idle', 'profiles', 'system', 'service', 'files']);
    expect(keys(MENU_MODELS.hostileNames)).toEqual(['problems', 'models', 'idle', 'profiles', 'system', 'service', 'files']);
    expect(keys(MENU_MODELS.empty)).toEqual(['idle', 'system', 'service', 'files']);
    // Its only service action is the problem's fix, so the section is left out.
    expect(keys(MENU_MODELS.notInstalled)).toEqual(['problems', 'system', 'files']);
  });

  it('gives every fixture state a Menu story with assertions', () => {
    const stories = menuStories as Record<string, { readonly assert?: unknown }>;
    const missing = Object.keys(MENU_MODELS).filter((name) => typeof stories[name[0]?.toUpperCase() + name.slice(1)]?.assert !== 'function');
    expect(missing).toEqual([]);
  });

  it('shows the connecting line only before the first answer', () => {
    expect(menuSections(MENU_MODELS.connecting).map(([key]) => key)).toEqual(['connecting', 'files']);
    expect(Object.values(MENU_MODELS).filter((m) => m.status !== 'connecting').every((m) => !menuSections(m).some(([key]) => key === 'connecting'))).toBe(true);
  });

  it.each(Object.entries(MENU_MODELS))('%s: one title, separators only between sections', async (_name, model) => {
    const frame = await frameOf(model);
    expect(frame.header).toHaveLength(1);
    const body = frame.body;
    expect(body[0]?.type).toBe('item');
    expect(body[body.length - 1]?.type).toBe('item');
    const separators = body.filter((n) => n.type === 'separator').length;
    expect(separators).toBe(menuSections(model).length - 1);
    body.forEach((n, i) => {
      if (n.type === 'separator') expect(body[i + 1]?.type).toBe('item');
    });
  });

  it('counts top-level lines of the calm states', async () => {
    const count = async (m: MenuModel) => (await frameOf(m)).body.length;
    // Loaded + 2 models, ---, header + 3 idle, ---, System, ---, 4 service, ---, Refresh + 3 files + Troubleshoot.
    expect(await count(MENU_MODELS.readyIdle)).toBe(3 + 1 + 4 + 1 + 1 + 1 + 4 + 1 + 5);
    // 100 configured models keep the menu short: 20 idle lines and one "More models" submenu.
    const many = await frameOf(MENU_MODELS.manyModels);
    expect(many.body.filter((n) => n.type === 'item' && n.params.param1 === 'do_load_model')).toHaveLength(IDLE_LIMIT);
    expect(findItem(many, `More models (${98 - IDLE_LIMIT})`)?.children).toHaveLength(98 - IDLE_LIMIT);
    expect(many.body.length).toBeLessThan(45);
  });

  it('draws charts with the stroke of the appearance', async () => {
    const model = processing.models[1] as ModelView;
    const el = <ModelSection model={model} invoker={INVOKER} chart={{ width: 60, height: 16 }} />;
    const image = async (appearance: 'light' | 'dark') => {
      const frame = parseFrame(await renderToString(el, { appearance }));
      return findItem(frame, /^Generation:/)?.params.image ?? '';
    };
    const [light, dark] = [await image('light'), await image('dark')];
    expect(light).not.toBe(dark);
    const has = (b64: string, hex: string) => {
      const png = decodePng(Buffer.from(b64, 'base64'));
      if (png === undefined) return false;
      const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      for (let y = 0; y < png.height; y++) {
        for (let x = 0; x < png.width; x++) {
          const [r, g, b, a] = png.pixel(x, y);
          if (a > 200 && Math.abs(r - (want[0] ?? 0)) < 12 && Math.abs(g - (want[1] ?? 0)) < 12 && Math.abs(b - (want[2] ?? 0)) < 12) return true;
        }
      }
      return false;
    };
    expect(has(dark, SERIES_STROKES.genTps.dark)).toBe(true);
    expect(has(dark, SERIES_STROKES.genTps.light)).toBe(false);
    expect(has(light, SERIES_STROKES.genTps.light)).toBe(true);
  });
});
