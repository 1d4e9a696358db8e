/**
 * A model's requests in flight (from llama-swap's event stream): method, path, elapsed time and
 * bytes sent so far, newest first, each with Cancel. Headers are never shown (they can carry
 * other clients' credentials); the request id goes to the CLI as one argv element.
 */
import type { ReactElement } from 'react';
import { DIM, TEXT } from '../colors.js';
import { formatBytes, formatCount, formatElapsed, plural } from '../format.js';
import { clickAction } from '../menu-action.js';
import type { RequestView } from '../model.js';
import type { ActionInvoker } from '../../system/types.js';
import { Item, Submenu } from '../primitives/index.js';

export type InflightRequestsProps = {
  readonly requests: readonly RequestView[];
  readonly more: number;
  readonly invoker: ActionInvoker;
};

/** "POST /v1/chat/completions · 3.2 s · 12.4 KB". */
export function requestLabel(r: RequestView): string {
  return `${r.method} ${r.path} · ${formatElapsed(r.elapsedMs)} · ${formatBytes(r.bytes)}`;
}

/** Request ids llama-swap gives are decimal counters; anything else gets no Cancel. */
const REQUEST_ID = /^[0-9]{1,20}$/;

export function InflightRequests({ requests, more, invoker }: InflightRequestsProps): ReactElement | null {
  if (requests.length === 0) return null;
  return (
    <>
      <Item color={TEXT}>{`In flight: ${plural(requests.length + more, 'request')}`}</Item>
      {requests.map((r, i) => (
        <Submenu key={`${i}:${r.id}`} label={requestLabel(r)}>
          <Item color={DIM}>{`request ${r.id}`}</Item>
          {REQUEST_ID.test(r.id) && (
            <Item sfimage="xmark.circle" tooltip="Cancel this request" {...clickAction(invoker, 'do_cancel_request', r.id)}>
              Cancel
            </Item>
          )}
        </Submenu>
      ))}
      {more > 0 && <Item color={DIM}>{`and ${formatCount(more)} more`}</Item>}
    </>
  );
}
