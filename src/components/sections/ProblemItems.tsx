/** Problems in plain words, each followed by the action that fixes it. */
import type { ReactElement } from 'react';
import { ErrorItem } from './ErrorItem.js';
import { clickAction } from '../menu-action.js';
import type { Problem } from '../model.js';
import type { ActionInvoker } from '../../system/types.js';
import { Item } from '../primitives/index.js';

export type ProblemItemsProps = {
  readonly problems: readonly Problem[];
  readonly invoker: ActionInvoker;
};

/** Errors first (the model builder orders them), each with its fix as a clickable line. */
export function ProblemItems({ problems, invoker }: ProblemItemsProps): ReactElement {
  return (
    <>
      {problems.map((problem) => (
        <ProblemItem key={problem.id} problem={problem} invoker={invoker} />
      ))}
    </>
  );
}

function ProblemItem({ problem, invoker }: { readonly problem: Problem; readonly invoker: ActionInvoker }): ReactElement {
  const { fix, href } = problem;
  return (
    <>
      <ErrorItem tone={problem.severity} message={problem.message} />
      {fix !== undefined && (
        <Item sfimage="arrow.turn.down.right" {...clickAction(invoker, fix.action, ...(fix.args ?? []))}>
          {fix.label}
        </Item>
      )}
      {href !== undefined && (
        <Item sfimage="safari" href={href}>
          How to fix this (opens the browser)
        </Item>
      )}
    </>
  );
}
