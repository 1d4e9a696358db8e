/**
 * The one component that calls hooks: live data in, the pure Menu out.
 */
import type { ReactElement } from 'react';
import type { MenuDeps } from '../hooks/deps.js';
import { MenuDataProvider } from '../hooks/swr-node-config.js';
import { useMenuModel } from '../hooks/use-menu-model.js';
import { Menu } from './Menu.js';

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
