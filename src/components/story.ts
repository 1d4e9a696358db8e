/**
 * Story format (CSF-like). One `X.stories.tsx` beside each component: the default export is
 * `{ title: 'Group/Component' }`, each named export one state. Stories render pure components
 * from hand-written data; they never call hooks or the network.
 */
import type { ReactElement } from 'react';
import type { ParsedFrame } from '../reconciler/parse.js';

/** The subset of vitest's `expect` a story uses; typed loosely so stories never import vitest. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StoryExpect = (actual: unknown, message?: string) => any;

export type StoryMeta = {
  /** `Group/Component`, used for the preview list and the snapshot path. */
  readonly title: string;
};

export type Story = {
  readonly render: () => ReactElement;
  /** Appearance to render with. @default 'light' */
  readonly appearance?: 'light' | 'dark';
  /** Assertions on what matters (a number, a colour, a command), given the parsed frame. */
  readonly assert?: (frame: ParsedFrame, expect: StoryExpect) => void;
};
