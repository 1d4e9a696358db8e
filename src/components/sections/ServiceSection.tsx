/** Service actions that fit the state: start/stop/restart, unload all, install/uninstall. */
import type { ReactElement } from 'react';
import { DIM } from '../colors.js';
import { clickAction } from '../menu-action.js';
import type { OverallStatus } from '../model.js';
import type { ActionInvoker, ActionName, ServiceView } from '../../system/types.js';
import { Item } from '../primitives/index.js';

export type ServiceSectionProps = {
  /** null until detected: then only what needs no service facts (Unload all) is offered. */
  readonly service: ServiceView | null;
  readonly status: OverallStatus;
  /** Any model loaded (Unload all then applies). */
  readonly hasModels: boolean;
  readonly invoker: ActionInvoker;
  /** llama-swap runs on another machine: this Mac's service does not apply. @default false */
  readonly remote?: boolean;
  /** Actions already offered above (a problem's fix), left out here so each shows once. @default [] */
  readonly offered?: readonly ActionName[];
};

/** One line of the section: a note, or an action with its label and symbol. */
export type ServiceLine =
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'action'; readonly action: ActionName; readonly label: string; readonly symbol: string };

/** llama-swap's process is up: launchd knows a pid, or the API answers at all. */
export function isServiceRunning(service: ServiceView, status: OverallStatus): boolean {
  return service.pid !== null || (status !== 'stopped' && status !== 'unreachable');
}

/** The lines that fit the state (pure, so the menu knows when the section is empty). */
export function serviceLines(props: Omit<ServiceSectionProps, 'invoker'>): ServiceLine[] {
  const { service, status, hasModels, remote = false, offered = [] } = props;
  const out: ServiceLine[] = [];
  const add = (when: boolean, action: ActionName, label: string, symbol: string): void => {
    if (when && !offered.includes(action)) out.push({ kind: 'action', action, label, symbol });
  };
  const unloadAll = (): void => add(hasModels, 'do_unload', 'Unload all models', 'eject');
  if (remote || service === null || service.platform !== 'macos') {
    if (remote) out.push({ kind: 'note', text: 'llama-swap runs on another machine: control its service there' });
    else if (service !== null) out.push({ kind: 'note', text: 'Service control needs macOS' });
    unloadAll();
    return out;
  }
  const running = isServiceRunning(service, status);
  add(!running && (service.installed || service.manager === 'homebrew'), 'do_start', 'Start llama-swap', 'play.fill');
  add(running, 'do_restart', 'Restart llama-swap', 'arrow.clockwise');
  add(running, 'do_stop', 'Stop llama-swap', 'stop.fill');
  unloadAll();
  add(!service.installed, 'install_service', 'Install llama-swap as a service…', 'square.and.arrow.down');
  add(service.installed && service.manager === 'launchagent', 'uninstall_service', 'Uninstall the llama-swap service', 'trash');
  return out;
}

/** The service lines; off macOS one line says service control needs macOS. */
export function ServiceSection(props: ServiceSectionProps): ReactElement {
  return (
    <>
      {serviceLines(props).map((line) =>
        line.kind === 'note' ? (
          <Item key="note" color={DIM}>
            {line.text}
          </Item>
        ) : (
          <Item key={line.action} sfimage={line.symbol} {...clickAction(props.invoker, line.action)}>
            {line.label}
          </Item>
        ),
      )}
    </>
  );
}
