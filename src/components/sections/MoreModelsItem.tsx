/** "and N more — open the web UI": the models a bounded menu does not list, one click from the web UI. */
import type { ReactElement } from 'react';
import { DIM } from '../colors.js';
import { formatCount } from '../format.js';
import { Item } from '../primitives/index.js';

export type MoreModelsItemProps = {
  /** Models not listed. */
  readonly count: number;
  /** "loaded" for the loaded list; nothing for configured models. */
  readonly what?: string;
  /** Web UI address (the same link as Files › Open web UI). */
  readonly uiUrl: string;
};

/** Nothing when count is 0. */
export function MoreModelsItem({ count, what, uiUrl }: MoreModelsItemProps): ReactElement | null {
  if (count <= 0) return null;
  return (
    <Item color={DIM} sfimage="ellipsis.circle" href={uiUrl} tooltip="The menu lists a bounded number of models; the web UI lists them all">
      {`and ${formatCount(count)} more${what === undefined ? '' : ` ${what}`} — open the web UI`}
    </Item>
  );
}
