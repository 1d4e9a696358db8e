/** Logs, configuration, the web UI, and the troubleshooter. */
import type { ReactElement } from 'react';
import { actionCommand } from '../menu-action.js';
import type { ActionInvoker } from '../../system/types.js';
import type { CommandAction } from '../primitives/index.js';
import { Item } from '../primitives/index.js';

export type FilesSectionProps = {
  readonly uiUrl: string;
  readonly invoker: ActionInvoker;
  /** llama-swap is on another machine: its logs and configuration are not here. @default false */
  readonly remote?: boolean;
};

/**
 * `doctor` in a Terminal window: unlike the menu actions its output is a report to read, so
 * terminal=true is right here (a background run would show nothing).
 */
export function doctorCommand(invoker: ActionInvoker): CommandAction {
  return { executable: invoker.executable, args: [...invoker.leadingArgs, 'doctor'], terminal: true };
}

/** View logs, Edit configuration (local only), Open web UI, Troubleshoot. */
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
      <Item sfimage="stethoscope" tooltip="Runs the doctor checks in Terminal and says how to fix each failure" bash={doctorCommand(invoker)}>
        Troubleshoot…
      </Item>
    </>
  );
}
