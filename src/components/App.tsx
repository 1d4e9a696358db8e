/**
 * The one component that calls hooks: live data in, the pure Menu out. With several hosts each
 * host has its own SWR cache and its own useMenuModel (its own poll sources, event stream,
 * history and last action); a change on any host redraws the menu, and none waits for another.
 */
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { MenuDeps } from '../hooks/deps.js';
import type { HostMenuDeps } from '../hooks/menu-deps.js';
import { MenuDataProvider } from '../hooks/swr-node-config.js';
import { useMenuModel } from '../hooks/use-menu-model.js';
import { HostsMenu } from './HostsMenu.js';
import { Menu } from './Menu.js';
import type { MenuModel, SystemView } from './model.js';
import { DEFAULT_HOOK_TIMINGS } from '../hooks/deps.js';
import { useThisComputer } from '../hooks/use-this-computer.js';
import type { HostStats, PlatformName } from '../system/types.js';

export type AppProps = {
  readonly deps: MenuDeps;
};

function LiveMenu({ deps }: AppProps): ReactElement {
  return <Menu model={useMenuModel(deps)} />;
}

/** The live plugin menu. */
export function App({ deps }: AppProps): ReactElement {
  return (
    <MenuDataProvider>
      <LiveMenu deps={deps} />
    </MenuDataProvider>
  );
}

type HostModelProps = {
  readonly host: HostMenuDeps;
  readonly onModel: (name: string, model: MenuModel) => void;
};

/** Runs one host's hooks and hands each new MenuModel up; draws nothing itself. */
function HostModel({ host, onModel }: HostModelProps): null {
  const model = useMenuModel(host.deps);
  useEffect(() => onModel(host.name, model), [host.name, model, onModel]);
  return null;
}

export type HostsAppProps = {
  readonly hosts: readonly HostMenuDeps[];
  /** This computer's figures, read once for all hosts. */
  readonly thisComputer: () => Promise<HostStats | null>;
  readonly platform: PlatformName;
};

/** Polls this computer's figures every few seconds: draws nothing itself. */
function ThisComputer({ read, refreshMs, onView }: { readonly read: HostsAppProps['thisComputer']; readonly refreshMs: number; readonly onView: (view: SystemView | null) => void }): null {
  const view = useThisComputer(read, refreshMs);
  useEffect(() => onView(view), [view, onView]);
  return null;
}

/** The live menu of several hosts (LLAMA_SWAP_HOSTS). */
export function HostsApp({ hosts, thisComputer, platform }: HostsAppProps): ReactElement {
  const [models, setModels] = useState<ReadonlyMap<string, MenuModel>>(() => new Map());
  const [computer, setComputer] = useState<SystemView | null>(null);
  const onModel = useCallback((name: string, model: MenuModel) => setModels((prev) => new Map(prev).set(name, model)), []);
  return (
    <>
      {hosts.map((h) => (
        <MenuDataProvider key={h.name}>
          <HostModel host={h} onModel={onModel} />
        </MenuDataProvider>
      ))}
      <MenuDataProvider>
        <ThisComputer read={thisComputer} refreshMs={hosts[0]?.deps.timings?.hostMs ?? DEFAULT_HOOK_TIMINGS.hostMs} onView={setComputer} />
      </MenuDataProvider>
      <HostsMenu hosts={hosts.map((h) => ({ name: h.name, model: models.get(h.name) ?? null }))} thisComputer={computer} platform={platform} />
    </>
  );
}
