/**
 * llama-swap's selectors: virtual model ids it resolves to one of their targets per request.
 * Not loadable themselves, so no Load: each shows its strategy and targets, loaded ones marked.
 */
import type { ReactElement } from 'react';
import { DIM, TEXT } from '../colors.js';
import type { SelectorView } from '../model.js';
import { Item, Submenu } from '../primitives/index.js';
import { displayName } from './ModelSection.js';

/** "coder — warm: alpha, beta". */
export function selectorLabel(s: SelectorView): string {
  const strategy = s.strategy === '' ? 'selector' : s.strategy;
  return `${displayName(s)} — ${strategy}: ${s.targets.length === 0 ? 'no targets' : s.targets.join(', ')}`;
}

export function SelectorsSection({ selectors }: { readonly selectors: readonly SelectorView[] }): ReactElement | null {
  if (selectors.length === 0) return null;
  return (
    <Submenu label={`Selectors (${selectors.length})`}>
      <Item color={DIM}>llama-swap picks a target per request</Item>
      {selectors.map((s, i) => (
        <Submenu key={`${i}:${s.id}`} label={selectorLabel(s)} color={s.loadedTargets.length > 0 ? TEXT : DIM}>
          {s.name.trim() !== '' && s.name !== s.id && <Item color={DIM}>{`id ${s.id}`}</Item>}
          <Item color={DIM}>{`Strategy: ${s.strategy === '' ? '–' : s.strategy}`}</Item>
          {s.targets.map((t, j) => (
            <Item key={`${j}:${t}`} checked={s.loadedTargets.includes(t)} color={TEXT}>
              {`${t}${s.loadedTargets.includes(t) ? ' (loaded)' : ''}`}
            </Item>
          ))}
        </Submenu>
      ))}
    </Submenu>
  );
}
