/**
 * The menu of several llama-swap hosts (LLAMA_SWAP_HOSTS): one title summing them all, then a line
 * per host (its name and state) whose submenu is that host's whole menu, built by the same
 * sections as the one-host menu with that host's own invoker, so every action goes only there.
 * A host that is down, slow or refuses the key shows that on its own line; the others are untouched.
 */
import type { ReactElement } from 'react';
import { STATUS_COLORS } from './colors.js';
import { DIM } from './colors.js';
import { MenuSections } from './Menu.js';
import type { MenuModel, ModelView, OverallStatus, PeerView, SystemView } from './model.js';
import type { PlatformName } from '../system/types.js';
import { SystemSection } from './sections/SystemSection.js';
import { Item, Separator, Submenu } from './primitives/index.js';
import { STATUS_SYMBOLS, StatusTitle, statusSummary } from './sections/StatusTitle.js';

/** One watched host; `model` is null until its first MenuModel is built. */
export type HostEntry = { readonly name: string; readonly model: MenuModel | null };

export type HostsMenuProps = {
  readonly hosts: readonly HostEntry[];
  /** This computer's own figures, once for all hosts; null when unavailable. */
  readonly thisComputer?: SystemView | null;
  readonly platform?: PlatformName;
};

const NO_CHART: MenuModel['chart'] = { width: 60, height: 20 };

/** Title order: a problem first, then work in progress, then loaded models, then nothing loaded. */
const STATUS_ORDER: readonly OverallStatus[] = ['unauthorized', 'unreachable', 'stopped', 'starting', 'processing', 'ready', 'empty', 'connecting'];

/** The host whose state the title shows: the first in STATUS_ORDER (ties: the first configured). */
export function leadingHost(hosts: readonly HostEntry[]): HostEntry | undefined {
  const rank = (h: HostEntry): number => STATUS_ORDER.indexOf(h.model?.status ?? 'connecting');
  return hosts.reduce<HostEntry | undefined>((best, h) => (best === undefined || rank(h) < rank(best) ? h : best), undefined);
}

/** "ready, 2 models loaded", "not answering", "connecting…": the host's state in the title's words. */
export function hostStateWords(model: MenuModel | null): string {
  if (model === null) return statusSummary('connecting', []).replace(/^llama-swap: /, '');
  return statusSummary(model.status, model.models, model.apiError).replace(/^llama-swap: /, '');
}

/** Where the host is: this computer (service actions act on it) or another address. */
function whereText(model: MenuModel): string {
  let address = model.uiUrl;
  try {
    address = new URL(model.uiUrl).host;
  } catch {
    // Shown as it is.
  }
  return model.remote ? `at ${address}` : `on this computer, ${address} (service actions act here)`;
}

/** The host's peers, each that is itself a watched host marked with that host's own state. */
function withWatchedPeers(model: MenuModel, hosts: readonly HostEntry[]): MenuModel {
  if (model.peers === undefined || model.peers.length === 0) return model;
  const byName = new Map(hosts.map((h) => [h.name.toLowerCase(), h]));
  const peers = model.peers.map((p): PeerView => {
    const host = byName.get(p.peer.toLowerCase());
    return host === undefined ? p : { ...p, watchedHost: { name: host.name, state: hostStateWords(host.model) } };
  });
  return { ...model, peers };
}

/** One host's line and, inside, its whole menu. */
function HostSection({ host, hosts }: { readonly host: HostEntry; readonly hosts: readonly HostEntry[] }): ReactElement {
  const status = host.model?.status ?? 'connecting';
  return (
    <Submenu label={`${host.name} — ${hostStateWords(host.model)}`} sfimage={STATUS_SYMBOLS[status]} sfcolor={STATUS_COLORS[status]}>
      {host.model === null ? (
        <Item color={DIM}>Waiting for the first answer…</Item>
      ) : (
        <>
          <Item color={DIM}>{whereText(host.model)}</Item>
          <Separator />
          <MenuSections model={withWatchedPeers(host.model, hosts)} />
        </>
      )}
    </Submenu>
  );
}

/** The whole menu of several hosts. */
export function HostsMenu({ hosts, thisComputer = null, platform = 'macos' }: HostsMenuProps): ReactElement {
  const lead = leadingHost(hosts);
  const models: ModelView[] = hosts.flatMap((h) => h.model?.models ?? []);
  return (
    <>
      <StatusTitle status={lead?.model?.status ?? 'connecting'} models={models} apiError={lead?.model?.apiError ?? null} shortcut={lead?.model?.shortcut ?? null} />
      {hosts.map((h) => (
        <HostSection key={h.name} host={h} hosts={hosts} />
      ))}
      {thisComputer !== null && (
        <>
          <Separator />
          <Item>This computer</Item>
          <SystemSection system={thisComputer} chart={hosts.find((h) => h.model !== null)?.model?.chart ?? NO_CHART} platform={platform} />
        </>
      )}
    </>
  );
}
