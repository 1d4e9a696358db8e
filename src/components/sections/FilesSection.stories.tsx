import { FilesSection } from './FilesSection.js';
import { INVOKER } from '../fixtures/menu-models.js';
import { findItem } from '../../reconciler/parse.js';
import { argvOf, InMenu, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/FilesSection' };
export default meta;

/** Local llama-swap: logs, configuration, web UI, and the troubleshooter in Terminal. */
export const Local: Story = {
  render: () => (
    <InMenu>
      <FilesSection uiUrl="http://127.0.0.1:8080/ui/" invoker={INVOKER} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame).map((i) => i.title)).toEqual(['Refresh', 'View logs', 'Edit configuration', 'Open web UI', 'Troubleshoot…']);
    expect(argvOf(findItem(frame, 'View logs'))).toEqual([INVOKER.executable, 'view_logs']);
    expect(argvOf(findItem(frame, 'Edit configuration'))).toEqual([INVOKER.executable, 'edit_config']);
    expect(findItem(frame, 'Open web UI')?.params.href).toBe('http://127.0.0.1:8080/ui/');
    // doctor's output is a report to read: the one command that opens a Terminal window.
    expect(argvOf(findItem(frame, 'Troubleshoot…'))).toEqual([INVOKER.executable, 'doctor']);
    expect(findItem(frame, 'Troubleshoot…')?.params.terminal).toBe('true');
    expect(findItem(frame, 'View logs')?.params.terminal).toBe('false');
  },
};

/** Remote llama-swap: the web UI and the troubleshooter (its logs and configuration are not on this Mac). */
export const Remote: Story = {
  render: () => (
    <InMenu>
      <FilesSection uiUrl="http://studio.local:8080/ui/" invoker={INVOKER} remote />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame).map((i) => i.title)).toEqual(['Refresh', 'Open web UI', 'Troubleshoot…']);
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
    expect(argvOf(findItem(frame, 'Troubleshoot…'))).toEqual(['/usr/local/bin/node', '/opt/llama-swap-swiftbar/dist/plugin.js', 'doctor']);
  },
};
