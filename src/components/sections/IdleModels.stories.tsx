import { DIM, RED } from '../colors.js';
import { failedNoReason, liveApi } from '../fixtures/live-models.js';
import { INVOKER, empty, hostileNames, manyModels } from '../fixtures/menu-models.js';
import { IdleModels } from './IdleModels.js';
import { base64Id, ID_BASE64_FLAG } from '../menu-action.js';
import type { IdleModelView } from '../model.js';
import { findItem } from '../../reconciler/parse.js';
import { argvOf, InMenu, pairText, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/IdleModels' };
export default meta;

const list = (models: readonly IdleModelView[], limit?: number) => () => (
  <InMenu>
    <IdleModels models={models} invoker={INVOKER} {...(limit === undefined ? {} : { limit })} />
  </InMenu>
);

/** Four configured models, dimmed, each a click from loading. */
export const Four: Story = {
  render: list(empty.idleModels),
  assert: (frame, expect) => {
    const items = topItems(frame).slice(1);
    expect(items.map((i) => i.title)).toEqual(['Llama 3.1 8B Instruct', 'mistral-small-24b', 'Nomic Embed', 'Whisper large v3']);
    expect(items.every((i) => i.params.color === pairText(DIM))).toBe(true);
    expect(argvOf(items[0])).toEqual([INVOKER.executable, 'do_load_model', 'llama-3.1-8b-instruct']);
  },
};

/** Past the limit the rest go into "More models (N)". */
export const OverLimit: Story = {
  render: list(manyModels.idleModels, 5),
  assert: (frame, expect) => {
    expect(topItems(frame)).toHaveLength(1 + 5 + 1);
    expect(findItem(frame, 'More models (93)')?.children).toHaveLength(93);
    expect(argvOf(findItem(frame, 'model-098-q4_k_m'))).toEqual([INVOKER.executable, 'do_load_model', 'model-098-q4_k_m']);
  },
};

/** Nothing configured and idle: nothing rendered. */
export const None: Story = {
  render: list([]),
  assert: (frame, expect) => {
    expect(frame.body).toHaveLength(0);
  },
};

/** Hostile ids: one item each, argv exact where SwiftBar can carry the id. */
export const HostileIds: Story = {
  render: list(hostileNames.idleModels),
  assert: (frame, expect) => {
    expect(topItems(frame)).toHaveLength(5);
    expect(argvOf(findItem(frame, '\u200B--x'))).toEqual([INVOKER.executable, 'do_load_model', '--x']);
    expect(argvOf(findItem(frame, 'say "hi" it\'s'))).toEqual([INVOKER.executable, 'do_load_model', ID_BASE64_FLAG, base64Id('say "hi" it\'s')]);
  },
};

/** A model whose start failed: its reason in red, with View logs and Load again, until it next loads. */
export const FailedStart: Story = {
  render: list(liveApi.idleModels),
  assert: (frame, expect) => {
    const failed = findItem(frame, 'Broken model failed to start: upstream command exited prematurely');
    expect(failed?.params.color).toBe(pairText(RED));
    expect(failed?.children.map((c) => (c.type === 'item' ? c.title : '---'))).toEqual(['View logs', 'Load again']);
    expect(argvOf(findItem(frame, 'View logs'))).toEqual([INVOKER.executable, 'view_logs']);
    expect(argvOf(findItem(frame, 'Load again'))).toEqual([INVOKER.executable, 'do_load_model', 'broken']);
  },
};

/** The reason is still being read from llama-swap's log: the failure shows at once without it. */
export const FailedStartNoReason: Story = {
  render: list(failedNoReason.idleModels),
  assert: (frame, expect) => {
    expect(findItem(frame, 'broken failed to start')?.params.color).toBe(pairText(RED));
  },
};
