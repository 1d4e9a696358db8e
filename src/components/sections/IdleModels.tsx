/** Configured models that are not loaded: dimmed, each one click away from loading. */
import type { ReactElement } from 'react';
import { DIM, RED } from '../colors.js';
import { clickAction, idAction } from '../menu-action.js';
import type { IdleModelView } from '../model.js';
import type { ActionInvoker } from '../../system/types.js';
import { displayName } from './ModelSection.js';
import { Item, Submenu } from '../primitives/index.js';

export type IdleModelsProps = {
  readonly models: readonly IdleModelView[];
  readonly invoker: ActionInvoker;
  /** Models listed directly; the rest go into a "More models" submenu. @default 20 */
  readonly limit?: number;
};

/** Default number of idle models listed before the "More models" submenu. */
export const IDLE_LIMIT = 20;

/** "qwen failed to start: upstream command exited prematurely". */
export function failureText(model: IdleModelView): string {
  const reason = model.failure?.reason ?? null;
  return `${displayName(model)} failed to start${reason === null ? '' : `: ${reason}`}`;
}

/** A model whose last start failed: its reason in red, View logs, and Load to try again. */
function FailedModel({ model, invoker }: { readonly model: IdleModelView; readonly invoker: ActionInvoker }): ReactElement {
  return (
    <Submenu label={failureText(model)} color={RED} sfimage="exclamationmark.triangle">
      <Item sfimage="doc.text.magnifyingglass" {...clickAction(invoker, 'view_logs')}>
        View logs
      </Item>
      <Item sfimage="arrow.clockwise" tooltip="Try loading this model again" {...idAction(invoker, 'do_load_model', model.id)}>
        Load again
      </Item>
    </Submenu>
  );
}

function IdleModel({ model, invoker }: { readonly model: IdleModelView; readonly invoker: ActionInvoker }): ReactElement {
  if (model.failure) return <FailedModel model={model} invoker={invoker} />;
  return (
    <Item color={DIM} sfimage="arrow.down.circle" tooltip="Load this model now" {...idAction(invoker, 'do_load_model', model.id)}>
      {displayName(model)}
    </Item>
  );
}

/** A header line, the first `limit` models, and a submenu with the rest. */
export function IdleModels({ models, invoker, limit = IDLE_LIMIT }: IdleModelsProps): ReactElement | null {
  if (models.length === 0) return null;
  const shown = models.slice(0, limit);
  const rest = models.slice(limit);
  return (
    <>
      <Item>Not loaded — click to load</Item>
      {shown.map((m, i) => (
        <IdleModel key={`${i}:${m.id}`} model={m} invoker={invoker} />
      ))}
      {rest.length > 0 && (
        <Submenu label={`More models (${rest.length})`}>
          {rest.map((m, i) => (
            <IdleModel key={`${i}:${m.id}`} model={m} invoker={invoker} />
          ))}
        </Submenu>
      )}
    </>
  );
}
