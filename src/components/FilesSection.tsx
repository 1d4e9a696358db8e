/** Logs, configuration and the web UI. */
import type { ReactElement } from 'react';
import { actionCommand } from './menu-action.js';
import type { ActionInvoker } from './model.js';
import { Item } from './primitives/index.js';

export type FilesSectionProps = {
  readonly uiUrl: string;
  readonly invoker: ActionInvoker;
  /** llama-swap is on another machine: its logs and configuration are not here. @default false */
  readonly remote?: boolean;
};

/** View logs, Edit configuration (local only), Open web UI. */
export function FilesSection({ uiUrl, invoker, remote = false }: FilesSectionProps): ReactElement {
  return (
    <>
      {!remote && (
        <Item sfimage="doc.text.magnifyingglass" bash={actionCommand(invoker, 'view_logs')}>
          View logs
        </Item>
      )}
      {!remote && (
        <Item sfimage="slider.horizontal.3" bash={actionCommand(invoker, 'edit_config')}>
          Edit configuration
        </Item>
      )}
      <Item sfimage="safari" href={uiUrl}>
        Open web UI
      </Item>
    </>
  );
}
