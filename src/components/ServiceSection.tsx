/** Service actions that fit the state: start/stop/restart, unload all, install/uninstall. */
import type { ReactElement } from 'react';
import { DIM } from './colors.js';
import { actionCommand } from './menu-action.js';
import type { ActionInvoker, OverallStatus, ServiceView } from './model.js';
import { Item } from './primitives/index.js';

export type ServiceSectionProps = {
  readonly service: ServiceView;
  readonly status: OverallStatus;
  /** Any model loaded (Unload all then applies). */
  readonly hasModels: boolean;
  readonly invoker: ActionInvoker;
  /** llama-swap runs on another machine: this Mac's service does not apply. @default false */
  readonly remote?: boolean;
};

/** llama-swap's process is up: launchd knows a pid, or the API answers at all. */
export function isServiceRunning(service: ServiceView, status: OverallStatus): boolean {
  return service.pid !== null || (status !== 'stopped' && status !== 'unreachable');
}

/** The service lines; off macOS one line says service control needs macOS. */
export function ServiceSection({ service, status, hasModels, invoker, remote = false }: ServiceSectionProps): ReactElement {
  const run = (action: Parameters<typeof actionCommand>[1]) => actionCommand(invoker, action);
  const unloadAll = hasModels && (
    <Item sfimage="eject" bash={run('do_unload')}>
      Unload all models
    </Item>
  );
  if (remote) {
    return (
      <>
        <Item color={DIM}>llama-swap runs on another machine: control its service there</Item>
        {unloadAll}
      </>
    );
  }
  if (service.platform !== 'macos') {
    return (
      <>
        <Item color={DIM}>Service control needs macOS</Item>
        {unloadAll}
      </>
    );
  }
  const running = isServiceRunning(service, status);
  const startable = service.installed || service.manager === 'homebrew';
  return (
    <>
      {!running && startable && (
        <Item sfimage="play.fill" bash={run('do_start')}>
          Start llama-swap
        </Item>
      )}
      {running && (
        <Item sfimage="arrow.clockwise" bash={run('do_restart')}>
          Restart llama-swap
        </Item>
      )}
      {running && (
        <Item sfimage="stop.fill" bash={run('do_stop')}>
          Stop llama-swap
        </Item>
      )}
      {unloadAll}
      {!service.installed && (
        <Item sfimage="square.and.arrow.down" bash={run('install_service')}>
          Install llama-swap as a service…
        </Item>
      )}
      {service.installed && service.manager === 'launchagent' && (
        <Item sfimage="trash" bash={run('uninstall_service')}>
          Uninstall the llama-swap service
        </Item>
      )}
    </>
  );
}
