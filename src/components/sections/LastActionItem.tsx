/** The result of the last menu action, shown for a short while. */
import type { ReactElement } from 'react';
import { ErrorItem } from './ErrorItem.js';
import type { MenuModel } from '../model.js';

export type LastActionItemProps = {
  readonly lastAction: NonNullable<MenuModel['lastAction']>;
};

/** "✓ Unloaded …" in green, "Failed: …" in red, or what a running action waits for in yellow. */
export function LastActionItem({ lastAction }: LastActionItemProps): ReactElement {
  if (lastAction.pending === true) return <ErrorItem tone="warning" message={lastAction.message} />;
  return lastAction.ok ? (
    <ErrorItem tone="ok" message={lastAction.message} />
  ) : (
    <ErrorItem tone="error" message={`Failed: ${lastAction.message}`} />
  );
}
