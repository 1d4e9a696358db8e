import { INVOKER, hostileNames, profiles } from '../fixtures/menu-models.js';
import { liveApi } from '../fixtures/live-models.js';
import type { ProfilesView } from '../model.js';
import { ProfileSection } from './ProfileSection.js';
import { findItem, type ParsedItem } from '../../reconciler/parse.js';
import { argvOf, InMenu, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/ProfileSection' };
export default meta;

const section = (view: ProfilesView) => () => (
  <InMenu>
    <ProfileSection profiles={view} invoker={INVOKER} />
  </InMenu>
);
const coding = profiles.profiles as ProfilesView;
/** Exactly this title (findItem's string match is a substring: "No profile active" has "No profile"). */
const titled = (title: string) => (i: ParsedItem): boolean => i.title === title;

/** One active profile, checked; the others switch on click. */
export const Active: Story = {
  render: section(coding),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('Profile: coding');
    expect(findItem(frame, 'coding — Qwen coder + embeddings')?.params.checked).toBe('true');
    expect(findItem(frame, 'big')?.params.checked).toBeUndefined();
    expect(argvOf(findItem(frame, 'big'))).toEqual([INVOKER.executable, 'set_profile', 'big']);
  },
};

/** No active profile: "No profile" is checked; it clears through its own action, never an id. */
export const NoneActive: Story = {
  render: section({ ...coding, active: null }),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('No profile active');
    expect(findItem(frame, titled('No profile'))?.params.checked).toBe('true');
    expect(argvOf(findItem(frame, titled('No profile')))).toEqual([INVOKER.executable, 'clear_profile']);
  },
};

/** A profile named "none" is a profile like any other: selected by its id, shown as active. */
export const NamedNone: Story = {
  render: section({ active: 'none', available: [{ id: 'none', description: '' }, { id: 'coding', description: '' }] }),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('Profile: none');
    expect(findItem(frame, titled('none'))?.params.checked).toBe('true');
    expect(findItem(frame, titled('No profile'))?.params.checked).toBeUndefined();
    expect(argvOf(findItem(frame, titled('none')))).toEqual([INVOKER.executable, 'set_profile', 'none']);
    expect(argvOf(findItem(frame, titled('No profile')))).toEqual([INVOKER.executable, 'clear_profile']);
  },
};

/** Hostile profile ids and descriptions stay text. */
export const Hostile: Story = {
  render: section(hostileNames.profiles as ProfilesView),
  assert: (frame, expect) => {
    const sub = topItems(frame)[0];
    expect(sub?.children.filter((c) => c.type === 'item')).toHaveLength(3);
    expect(argvOf(findItem(frame, '\u200B--x — bash=/bin/rm │ x'))).toEqual([INVOKER.executable, 'set_profile', '--x']);
    expect(argvOf(findItem(frame, 'a b'))).toEqual([INVOKER.executable, 'set_profile', 'a b']);
  },
};

/** No profiles: nothing rendered. */
export const Empty: Story = {
  render: section({ active: null, available: [] }),
  assert: (frame, expect) => {
    expect(frame.body).toHaveLength(0);
  },
};

/** The active profile's pins: "beta → fake", the loaded target marked; pins are never loadable entries. */
export const Pins: Story = {
  render: section(liveApi.profiles as ProfilesView),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('Profile: work');
    expect(findItem(frame, 'Pins of work')).toBeDefined();
    expect(findItem(frame, 'beta → fake (loaded)')?.params.bash).toBeUndefined();
    expect(findItem(frame, 'coder-large → gemma-3-12b')?.params.bash).toBeUndefined();
  },
};
