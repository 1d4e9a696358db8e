/**
 * Models llama-swap forwards to its peers (`peers:` in its configuration), one line per peer
 * ("via bravo-box — 2 models") with its models inside. The peer loads a model when a request
 * comes; this llama-swap runs no process for it and cannot load or unload it, so no action.
 */
import type { ReactElement } from 'react';
import { DIM, TEXT } from '../colors.js';
import { formatCount } from '../format.js';
import type { PeerView } from '../model.js';
import { Item, Submenu } from '../primitives/index.js';
import { MoreModelsItem } from './MoreModelsItem.js';

export type PeersSectionProps = {
  readonly peers: readonly PeerView[];
  /** Peer models not listed. */
  readonly more: number;
  /** Web UI address, for "and N more". */
  readonly uiUrl: string;
};

/** "via bravo-box — 2 models"; a peer llama-swap sent without an id is "via a peer". */
export function peerLabel(peer: PeerView): string {
  const count = peer.models.length;
  const watched = peer.watchedHost === undefined ? '' : ` · host ${peer.watchedHost.name}: ${peer.watchedHost.state}`;
  return `via ${peer.peer === '' ? 'a peer' : peer.peer} — ${formatCount(count)} model${count === 1 ? '' : 's'}${watched}`;
}

export function PeersSection({ peers, more, uiUrl }: PeersSectionProps): ReactElement | null {
  if (peers.length === 0 && more <= 0) return null;
  return (
    <>
      <Item>Peer models — loaded by their peer on request</Item>
      {peers.map((p, i) => (
        <Submenu key={`${i}:${p.peer}`} label={peerLabel(p)} color={DIM} sfimage="arrow.triangle.branch">
          <Item color={DIM}>{`llama-swap forwards these to ${p.peer === '' ? 'its peer' : p.peer}`}</Item>
          {p.watchedHost !== undefined && <Item color={DIM}>{`${p.watchedHost.name} is also watched here (its own section): ${p.watchedHost.state}`}</Item>}
          {p.models.map((m, j) => (
            <Item key={`${j}:${m.id}`} color={TEXT} tooltip={`Requests name it ${m.id}`}>
              {m.name}
            </Item>
          ))}
        </Submenu>
      ))}
      <MoreModelsItem count={more} what="peer" uiUrl={uiUrl} />
    </>
  );
}
