/**
 * Helpers for the menu stories: a frame wrapper so a section renders as a whole menu, and pure
 * readers of the parsed frame (argv of an action, items with a given action). No vitest here.
 */
import type { ReactElement, ReactNode } from 'react';
import type { ParsedFrame, ParsedItem } from '../reconciler/parse.js';
import { allItems } from '../reconciler/parse.js';
import type { ColorPair } from './colors.js';
import type { ActionName } from '../system/types.js';
import { Title } from './primitives/index.js';

/** Renders children below a plain title, as the body of a menu. */
export function InMenu({ children }: { readonly children?: ReactNode }): ReactElement {
  return (
    <>
      <Title>llama-swap</Title>
      {children}
    </>
  );
}

/** The argv SwiftBar runs for an item: `[bash, param1, param2, …]`, or [] without `bash`. */
export function argvOf(item: ParsedItem | undefined): string[] {
  const bash = item?.params.bash;
  if (item === undefined || bash === undefined) return [];
  const out = [bash];
  for (let i = 1; item.params[`param${i}`] !== undefined; i++) out.push(item.params[`param${i}`] ?? '');
  return out;
}

/** Every body item whose action is `action` (the param after the invoker's leading args). */
export function itemsWithAction(frame: ParsedFrame, action: ActionName): ParsedItem[] {
  return allItems(frame).filter((item) => Object.entries(item.params).some(([k, v]) => /^param\d+$/.test(k) && v === action));
}

/** The actions present anywhere in the body. */
export function actionsOf(frame: ParsedFrame): string[] {
  return allItems(frame)
    .map((item) => item.params.param1 ?? '')
    .filter((a) => a !== '');
}

/** `light,dark` as SwiftBar reads it. */
export function pairText(pair: ColorPair): string {
  return `${pair.light},${pair.dark}`;
}

/** All body text joined by spaces (wrapped messages read as one). */
export function bodyText(frame: ParsedFrame): string {
  return allItems(frame)
    .map((i) => i.title)
    .join(' ');
}

/** Top-level body items (no separators). */
export function topItems(frame: ParsedFrame): ParsedItem[] {
  return frame.body.filter((n): n is ParsedItem => n.type === 'item');
}
