import { FilesSection } from './FilesSection.js';
import { INVOKER } from './fixtures/menu-models.js';
import { findItem } from '../reconciler/parse.js';
import { argvOf, InMenu, topItems } from './story-helpers.js';
import type { Story, StoryMeta } from './story.js';

const meta: StoryMeta = { title: 'Menu/FilesSection' };
export default meta;

/** Local llama-swap: logs, configuration, web UI. */
export const Local: Story = {
  render: () => (
    <InMenu>
      <FilesSection uiUrl="http://127.0.0.1:8080/ui/" invoker={INVOKER} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame).map((i) => i.title)).toEqual(['View logs', 'Edit configuration', 'Open web UI']);
    expect(argvOf(findItem(frame, 'View logs'))).toEqual([INVOKER.executable, 'view_logs']);
    expect(argvOf(findItem(frame, 'Edit configuration'))).toEqual([INVOKER.executable, 'edit_config']);
    expect(findItem(frame, 'Open web UI')?.params.href).toBe('http://127.0.0.1:8080/ui/');
  },
};

/** Remote llama-swap: only the web UI (its logs and configuration are not on this Mac). */
export const Remote: Story = {
  render: () => (
    <InMenu>
      <FilesSection uiUrl="http://studio.local:8080/ui/" invoker={INVOKER} remote />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame).map((i) => i.title)).toEqual(['Open web UI']);
  },
};

/** Node invoker outside SwiftBar: leading args come before the action. */
export const NodeInvoker: Story = {
  render: () => (
    <InMenu>
      <FilesSection uiUrl="http://127.0.0.1:8080/ui/" invoker={{ executable: '/usr/local/bin/node', leadingArgs: ['/opt/llama-swap-swiftbar/dist/plugin.js'] }} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(argvOf(findItem(frame, 'View logs'))).toEqual(['/usr/local/bin/node', '/opt/llama-swap-swiftbar/dist/plugin.js', 'view_logs']);
  },
};
