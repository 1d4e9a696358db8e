import { INVOKER, MAC_SERVICE } from '../fixtures/menu-models.js';
import type { OverallStatus } from '../model.js';
import type { ServiceView } from '../../system/types.js';
import { ServiceSection } from './ServiceSection.js';
import { actionsOf, InMenu, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/ServiceSection' };
export default meta;

const section = (service: ServiceView, status: OverallStatus, hasModels = false, remote = false) => () => (
  <InMenu>
    <ServiceSection service={service} status={status} hasModels={hasModels} invoker={INVOKER} remote={remote} />
  </InMenu>
);
const stopped: ServiceView = { ...MAC_SERVICE, loaded: false, pid: null };

/** Running with models: Restart, Stop, Unload all, Uninstall. */
export const RunningWithModels: Story = {
  render: section(MAC_SERVICE, 'ready', true),
  assert: (frame, expect) => {
    expect(actionsOf(frame)).toEqual(['do_restart', 'do_stop', 'do_unload', 'uninstall_service']);
    expect(topItems(frame).every((i) => i.params.terminal === 'false' && i.params.refresh === undefined)).toBe(true);
  },
};

/** Running, nothing loaded: no Unload all. */
export const RunningEmpty: Story = {
  render: section(MAC_SERVICE, 'empty'),
  assert: (frame, expect) => {
    expect(actionsOf(frame)).toEqual(['do_restart', 'do_stop', 'uninstall_service']);
  },
};

/** Stopped: Start and Uninstall. */
export const Stopped: Story = {
  render: section(stopped, 'stopped'),
  assert: (frame, expect) => {
    expect(actionsOf(frame)).toEqual(['do_start', 'uninstall_service']);
  },
};

/** Not installed: only Install. */
export const NotInstalled: Story = {
  render: section({ ...stopped, installed: false, manager: 'none' }, 'stopped'),
  assert: (frame, expect) => {
    expect(actionsOf(frame)).toEqual(['install_service']);
  },
};

/** Run by a Homebrew-labelled job a user made (sh.brew / homebrew.mxcl): start/stop work, our LaunchAgent uninstall does not apply. */
export const Homebrew: Story = {
  render: section({ ...stopped, manager: 'homebrew' }, 'stopped'),
  assert: (frame, expect) => {
    expect(actionsOf(frame)).toEqual(['do_start']);
  },
};

/** The job has a pid but the API hangs: Restart and Stop still offered. */
export const Hung: Story = {
  render: section(MAC_SERVICE, 'unreachable'),
  assert: (frame, expect) => {
    expect(actionsOf(frame)).toEqual(['do_restart', 'do_stop', 'uninstall_service']);
  },
};

/** Linux: one line, no service action; Unload all still works through the API. */
export const Linux: Story = {
  render: section({ ...MAC_SERVICE, platform: 'linux', manager: 'none', installed: false }, 'ready', true),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('Service control needs macOS');
    expect(actionsOf(frame)).toEqual(['do_unload']);
  },
};

/** Remote llama-swap: this Mac's service does not apply. */
export const Remote: Story = {
  render: section({ ...stopped, installed: false, manager: 'none' }, 'ready', true, true),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('llama-swap runs on another machine: control its service there');
    expect(actionsOf(frame)).toEqual(['do_unload']);
  },
};

/** Service not detected yet (first moments): nothing guessed, only Unload all, which needs no service facts. */
export const NotDetectedYet: Story = {
  render: () => (
    <InMenu>
      <ServiceSection service={null} status="ready" hasModels invoker={INVOKER} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(topItems(frame).map((i) => i.title)).toEqual(['Unload all models']);
    expect(actionsOf(frame)).toEqual(['do_unload']);
  },
};

/** Stopped, with Start already offered as a problem's fix above: not repeated here. */
export const StartOfferedAbove: Story = {
  render: () => (
    <InMenu>
      <ServiceSection service={stopped} status="stopped" hasModels={false} invoker={INVOKER} offered={['do_start']} />
    </InMenu>
  ),
  assert: (frame, expect) => {
    expect(actionsOf(frame)).toEqual(['uninstall_service']);
  },
};
