/** Logs, configuration, the web UI, and the troubleshooter. */
import type { ReactElement } from 'react';
import { actionCommand, clickAction } from '../menu-action.js';
import type { ActionInvoker } from '../../system/types.js';
import type { CommandAction } from '../primitives/index.js';
import { Item } from '../primitives/index.js';

export type FilesSectionProps = {
  readonly uiUrl: string;
  readonly invoker: ActionInvoker;
  /** llama-swap is on another machine: its logs and configuration are not here. @default false */
  readonly remote?: boolean;
  /** See MenuModel.streaming. @default true */
  readonly streaming?: boolean;
};

/**
 * Refresh: the `refresh` action writes a quiet record to the cache folder, which the streaming
 * plugin watches and answers by reading everything again (SwiftBar's refresh=true would restart
 * it, losing its rate windows). A one-shot plugin has nothing watching: SwiftBar reruns it.
 */
export function refreshCommand(invoker: ActionInvoker, streaming: boolean): CommandAction {
  return { ...actionCommand(invoker, 'refresh'), refresh: !streaming };
}

/**
 * `doctor` in a Terminal window: unlike the menu actions its output is a report to read, so
 * terminal=true is right here (a background run would show nothing).
 */
export function doctorCommand(invoker: ActionInvoker): CommandAction {
  return { executable: invoker.executable, args: [...invoker.leadingArgs, 'doctor'], terminal: true };
}

/** View logs, Edit configuration (local only), Open web UI, Troubleshoot. */
export function FilesSection({ uiUrl, invoker, remote = false, streaming = true }: FilesSectionProps): ReactElement {
  return (
    <>
      <Item sfimage="arrow.clockwise" bash={refreshCommand(invoker, streaming)} onClick={clickAction(invoker, 'refresh').onClick}>
        Refresh
      </Item>
      {!remote && (
        <Item sfimage="doc.text.magnifyingglass" {...clickAction(invoker, 'view_logs')}>
          View logs
        </Item>
      )}
      {!remote && (
        <Item sfimage="slider.horizontal.3" {...clickAction(invoker, 'edit_config')}>
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
