/**
 * SWR configured for a long-running Node process under our own renderer.
 *
 * Why this is needed: SWR 2.5 decides `IS_SERVER` from `typeof window`, so in Node it believes it
 * runs on a server. That alone does not stop polling here: it only swaps useLayoutEffect for
 * useEffect and revalidates on mount at once instead of on requestAnimationFrame, and our
 * reconciler (unlike react-dom/server) runs effects, so the refreshInterval timers do start.
 * Polling, though, still asks `isVisible()` and `isOnline()` before every tick and skips a tick
 * while the key holds an error; focus/reconnect hooks would listen on a window that is absent.
 * So we pin visible/online to true, make focus/reconnect no-ops, never let a fetcher throw
 * (they return Result values), turn SWR's own retry off (the adaptive interval backs off), and
 * set dedupingInterval to 0: its default of 2 s would silently turn a 1 s poll into 2 s, since a
 * poll within the window reuses the previous answer. Overlap is prevented by single-flight
 * fetchers instead. A fresh cache per provider keeps roots (and tests) apart.
 * `compare` ignores when an answer was taken: a poll that brings the same answer keeps the
 * previous data object, so nothing re-renders (same-answer.ts).
 */
import { createElement, type ReactNode } from 'react';
import { SWRConfig, type SWRConfiguration } from 'swr';
import { sameAnswer } from './same-answer.js';

const noop = (): void => undefined;

/** Options for every SWR hook of the menu. */
export const NODE_SWR_CONFIG: SWRConfiguration = {
  isVisible: () => true,
  isOnline: () => true,
  isPaused: () => false,
  initFocus: () => noop,
  initReconnect: () => noop,
  revalidateOnFocus: false,
  revalidateOnReconnect: false,
  revalidateOnMount: true,
  refreshWhenHidden: true,
  refreshWhenOffline: true,
  shouldRetryOnError: false,
  dedupingInterval: 0,
  focusThrottleInterval: 0,
  loadingTimeout: 60_000,
  compare: sameAnswer,
};

/** Wraps the menu so its SWR hooks poll in Node with a private cache. */
export function MenuDataProvider(props: { readonly children?: ReactNode }): ReactNode {
  return createElement(SWRConfig, { value: { ...NODE_SWR_CONFIG, provider: () => new Map() } }, props.children);
}
