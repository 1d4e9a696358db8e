/** One running model: a submenu with its figures, charts over the history window and Unload. */
import type { ReactElement } from 'react';
import { seriesStats } from '../hooks/series-stats.js';
import { DIM, SERIES_STROKES, TEXT, YELLOW } from './colors.js';
import { FigureItem, zoomRange } from './FigureItem.js';
import { formatBytes, formatCount, formatDuration, formatPercent, formatTps } from './format.js';
import { idAction } from './menu-action.js';
import type { ActionInvoker, MenuModel, ModelView } from './model.js';
import { Item, Separator, Submenu } from './primitives/index.js';

export type ModelSectionProps = {
  readonly model: ModelView;
  readonly invoker: ActionInvoker;
  readonly chart: MenuModel['chart'];
};

/** Name shown for a model: its configured name, else its id. */
export function displayName(model: { readonly id: string; readonly name: string }): string {
  return model.name.trim() !== '' ? model.name : model.id;
}

/** Requests being processed or waiting. */
export function isBusy(model: ModelView): boolean {
  return (model.processing ?? 0) + (model.deferred ?? 0) > 0;
}

/** The state in words: "ready", "loading…", "stopping…", or llama-swap's own word. */
export function stateWord(state: string): string {
  if (state === 'starting') return 'loading…';
  if (state === 'stopping' || state === 'shutdown') return 'stopping…';
  return state;
}

/** Submenu label: name, then the rate and queue while busy, else the state. */
export function modelLabel(model: ModelView): string {
  const name = displayName(model);
  if (model.state !== 'ready') return `${name} — ${stateWord(model.state)}`;
  if (!isBusy(model)) return `${name} — ready`;
  const waiting = model.deferred ?? 0;
  const rate = model.genTps !== null ? formatTps(model.genTps) : model.promptTps !== null ? `${formatTps(model.promptTps)} prompt` : 'busy';
  return `${name} — ${rate}${waiting > 0 ? ` · ${formatCount(waiting)} waiting` : ''}`;
}

const METRICS_NOTES: Readonly<Record<ModelView['metricsStatus'], string | null>> = {
  ok: null,
  disabled: "metrics off: add --metrics to this model's cmd",
  unavailable: 'metrics unavailable: figures are the last known ones',
  'not-ready': null,
};

const countText = (v: number): string => formatCount(v);

/** The submenu of one running model. */
export function ModelSection({ model, invoker, chart }: ModelSectionProps): ReactElement {
  const ready = model.state === 'ready';
  const note = METRICS_NOTES[model.metricsStatus];
  const h = model.history;
  const queued = (seriesStats(h.queue)?.max ?? 0) > 0;
  const ttl = model.ttlSeconds > 0 ? ` · unloads after ${formatDuration(model.ttlSeconds)} idle` : '';
  return (
    <Submenu label={modelLabel(model)}>
      {model.name.trim() !== '' && model.name !== model.id && <Item color={DIM}>{`id ${model.id}`}</Item>}
      {model.description.trim() !== '' && <Item color={DIM}>{model.description}</Item>}
      <Item color={TEXT}>{`State: ${stateWord(model.state)}${ttl}`}</Item>
      {ready && (
        <FigureItem label="Generation" current={formatTps(model.genTps)} values={h.genTps} format={formatTps} stroke={SERIES_STROKES.genTps} chart={chart} min={0} />
      )}
      {ready && (
        <FigureItem label="Prompt" current={formatTps(model.promptTps)} values={h.promptTps} format={formatTps} stroke={SERIES_STROKES.promptTps} chart={chart} min={0} />
      )}
      {(model.memoryBytes !== null || h.memoryBytes.length > 0) && (
        <FigureItem label="Memory" current={formatBytes(model.memoryBytes)} values={h.memoryBytes} format={formatBytes} stroke={SERIES_STROKES.memory} chart={chart} {...zoomRange(h.memoryBytes)} />
      )}
      {model.cpuPercent !== null && <FigureItem label="CPU" current={formatPercent(model.cpuPercent)} />}
      {ready && (
        <FigureItem
          label="Requests"
          current={`${formatCount(model.processing)} processing · ${formatCount(model.deferred)} waiting`}
          {...(queued ? { values: h.queue, format: countText, stroke: SERIES_STROKES.queue, chart, min: 0 } : {})}
        />
      )}
      {ready && <Item color={TEXT}>{`Served: ${formatCount(model.requestsServed)} requests`}</Item>}
      {note !== null && <Item color={YELLOW}>{note}</Item>}
      <Separator />
      <Item sfimage="eject" {...idAction(invoker, 'do_unload_model', model.id)}>
        Unload this model
      </Item>
    </Submenu>
  );
}
