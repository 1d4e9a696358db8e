/**
 * One running model: a submenu with its figures, charts over the history window and Unload.
 * Density adapts: a model at work shows every chart with its statistics; an idle one folds
 * generation, prompt and queue into one summary line over the generation chart, plus memory.
 */
import type { ReactElement } from 'react';
import { DIM, SERIES_STROKES, TEXT, YELLOW } from '../colors.js';
import { FigureItem, withLatest, zoomRange } from './FigureItem.js';
import { formatBytes, formatCount, formatCountdown, formatDuration, formatLoading, formatPercent, formatTps, formatUptime, plural } from '../format.js';
import { InflightRequests } from './InflightRequests.js';
import { RecordFigures } from './RecordFigures.js';
import { idAction } from '../menu-action.js';
import { modelPhase, workCounts, type MenuModel, type ModelView, type Series } from '../model.js';
import type { ActionInvoker } from '../../system/types.js';
import { Item, Separator, Sparkline, Submenu } from '../primitives/index.js';
import { seriesStats } from '../series-stats.js';

export type ModelSectionProps = {
  readonly model: ModelView;
  readonly invoker: ActionInvoker;
  readonly chart: MenuModel['chart'];
};

/** Samples at the end of the window that keep a model "active" after its queue empties (~30 s at 1 s polls). */
export const RECENT_SAMPLES = 30;

/** Name shown for a model: its configured name, else its id. */
export function displayName(model: { readonly id: string; readonly name: string }): string {
  return model.name.trim() !== '' ? model.name : model.id;
}

/** Requests being processed or waiting (or listed in flight by llama-swap): the phase the title reads too. */
export function isBusy(model: ModelView): boolean {
  return modelPhase(model) === 'busy';
}

/**
 * Something is happening: requests now, tokens flowing, or a queue in the last RECENT_SAMPLES
 * samples (so the charts do not fold and unfold between two requests).
 */
export function isActive(model: ModelView): boolean {
  if (isBusy(model) || (model.genTps ?? 0) > 0 || (model.promptTps ?? 0) > 0) return true;
  return model.history.queue.slice(-RECENT_SAMPLES).some((v) => v > 0);
}

/** The state in words: "ready", "loading…", "stopping…", or llama-swap's own word. */
export function stateWord(state: string): string {
  if (state === 'starting') return 'loading…';
  if (state === 'stopping' || state === 'shutdown') return 'stopping…';
  return state;
}

/** Submenu label: name, then the rate and queue while busy, else the state (see modelPhase). */
export function modelLabel(model: ModelView): string {
  const name = displayName(model);
  const phase = modelPhase(model);
  if (phase === 'ready') return `${name} — ready`;
  if (phase === 'loading' && model.loadingMs !== undefined) return `${name} — loading… ${formatLoading(model.loadingMs, model.loadEstimateMs ?? null)}`;
  if (phase !== 'busy') return `${name} — ${stateWord(model.state)}`;
  const { processing, waiting } = workCounts(model);
  // The live generation rate; while only a prompt is being read, the prompt rate.
  const rate =
    (model.genTps ?? 0) > 0
      ? formatTps(model.genTps)
      : (model.promptTps ?? 0) > 0
        ? `${formatTps(model.promptTps)} prompt`
        : (model.metricsStatus === 'absent' || model.processing === null) && processing !== null
          ? `${formatCount(processing)} in flight`
          : 'busy';
  return `${name} — ${rate}${(waiting ?? 0) > 0 ? ` · ${formatCount(waiting)} waiting` : ''}`;
}

/** The idle model's one line: "Idle · peak in window 41.7 t/s generation · 640 t/s prompt". */
export function idleSummary(model: ModelView): string {
  const peak = (s: Series): number => seriesStats(s)?.max ?? 0;
  const gen = peak(model.history.genTps);
  const prompt = peak(model.history.promptTps);
  if (gen <= 0 && prompt <= 0) return 'Idle · no requests in the window';
  const parts = [gen > 0 ? `${formatTps(gen)} generation` : null, prompt > 0 ? `${formatTps(prompt)} prompt` : null].filter((p) => p !== null);
  return `Idle · peak in window ${parts.join(' · ')}`;
}

const METRICS_NOTES: Readonly<Record<ModelView['metricsStatus'], string | null>> = {
  ok: null,
  disabled: "metrics off: add --metrics to this model's cmd",
  unavailable: 'metrics unavailable: figures are the last known ones',
  'not-ready': null,
  pending: null,
  absent: null,
};

/**
 * "41.7 t/s generation · 512 t/s prompt": averages since llama-server started, from its token and
 * seconds counters; null when it has none (before its first request).
 */
export function lifetimeText(model: ModelView): string | null {
  const l = model.lifetime;
  if (!l) return null;
  const gen = l.genTps !== null && l.genTps > 0 ? `${formatTps(l.genTps)} generation` : null;
  const prompt = l.promptTps !== null && l.promptTps > 0 ? `${formatTps(l.promptTps)} prompt` : null;
  const parts = [gen, prompt].filter((p) => p !== null);
  return parts.length === 0 ? null : parts.join(' · ');
}


const countText = (v: number): string => formatCount(v);

/** The idle line: the summary, drawn over the generation chart when the window has any. */
function IdleLine({ model, chart }: Omit<ModelSectionProps, 'invoker'>): ReactElement {
  const text = idleSummary(model);
  const gen = model.history.genTps;
  if (seriesStats(gen) === null) return <Item color={TEXT}>{text}</Item>;
  return (
    <Sparkline values={gen} width={chart.width} height={chart.height} stroke={SERIES_STROKES.genTps} color={TEXT} min={0}>
      {text}
    </Sparkline>
  );
}

const known = (v: number | null): v is number => v !== null && Number.isFinite(v);
const anyFinite = (s: Series): boolean => seriesStats(s) !== null;

/**
 * The model ever generated a token as far as anything reports (now, in the window, since its
 * start, in llama-swap's record): an embeddings or reranking model never does, and gets no
 * Generation line.
 */
export function hasGenerated(model: ModelView): boolean {
  const a = model.activity;
  const positive = (v: number | null | undefined): boolean => typeof v === 'number' && v > 0;
  return (
    positive(model.genTps) ||
    (seriesStats(model.history.genTps)?.max ?? 0) > 0 ||
    positive(model.lifetime?.genTps) ||
    positive(a?.lastGenTps) ||
    positive(a?.lastOutputTps) ||
    positive(a?.outputTokens)
  );
}

/** "4 processing · 1 waiting" with only the counts that are known; null when neither is. */
export function requestsNow(model: ModelView): string | null {
  const { processing, waiting } = workCounts(model);
  const parts = [processing === null ? null : `${formatCount(processing)} processing`, waiting === null ? null : `${formatCount(waiting)} waiting`];
  const text = parts.filter((p) => p !== null).join(' · ');
  return text === '' ? null : text;
}

/** Generation, prompt and the queue with their charts: the detail shown while the model works. Unknown figures are left out. */
function ActivityFigures({ model, chart }: Omit<ModelSectionProps, 'invoker'>): ReactElement {
  const h = model.history;
  const { processing, waiting } = workCounts(model);
  const queueNow = processing === null ? null : processing + (waiting ?? 0);
  const queue = withLatest(h.queue, queueNow);
  // The queue chart only while something queued in the window; a flat zero says nothing.
  const queued = (seriesStats(queue)?.max ?? 0) > 0;
  const now = requestsNow(model);
  return (
    <>
      {hasGenerated(model) && (known(model.genTps) || anyFinite(h.genTps)) && (
        <FigureItem label="Generation" current={known(model.genTps) ? formatTps(model.genTps) : null} latest={model.genTps} values={h.genTps} format={formatTps} stroke={SERIES_STROKES.genTps} chart={chart} min={0} />
      )}
      {(known(model.promptTps) || anyFinite(h.promptTps)) && (
        <FigureItem label="Prompt" current={known(model.promptTps) ? formatTps(model.promptTps) : null} latest={model.promptTps} values={h.promptTps} format={formatTps} stroke={SERIES_STROKES.promptTps} chart={chart} min={0} />
      )}
      {(now !== null || queued) && (
        <FigureItem label="Requests" current={now} {...(queued ? { values: queue, format: countText, statsOf: 'in flight', stroke: SERIES_STROKES.queue, chart, min: 0 } : {})} />
      )}
    </>
  );
}

/**
 * "Ready for 2 h 5 min · unloads in 4:20": what the label does not already say; null when nothing.
 * The countdown shows while the model is idle; with requests in flight, the ttl as configured.
 */
export function stateDetail(model: ModelView): string | null {
  const ready = model.state === 'ready';
  const uptime = ready && model.uptimeMs !== undefined ? `Ready for ${formatUptime(model.uptimeMs)}` : null;
  const ttl =
    model.ttlSeconds <= 0
      ? null
      : ready && model.unloadsInMs !== undefined
        ? model.unloadsInMs > 0
          ? `unloads in ${formatCountdown(model.unloadsInMs)}`
          : 'unloads now (ttl reached)'
        : `unloads after ${formatDuration(model.ttlSeconds)} idle`;
  const text = [uptime, ttl].filter((p) => p !== null).join(' · ');
  return text === '' ? null : text.charAt(0).toUpperCase() + text.slice(1);
}

/** The submenu of one running model. */
export function ModelSection({ model, invoker, chart }: ModelSectionProps): ReactElement {
  const ready = model.state === 'ready';
  const pending = ready && model.metricsStatus === 'pending';
  // With metrics off nothing is known about activity; with a failed scrape the last figures stand.
  const figures = ready && (model.metricsStatus === 'ok' || model.metricsStatus === 'unavailable');
  const note = METRICS_NOTES[model.metricsStatus];
  const memory = withLatest(model.history.memoryBytes, model.memoryBytes);
  const detail = stateDetail(model);
  const lifetime = figures ? lifetimeText(model) : null;
  const activity = model.activity ?? null;
  return (
    <Submenu label={modelLabel(model)}>
      {model.name.trim() !== '' && model.name !== model.id && <Item color={DIM}>{`id ${model.id}`}</Item>}
      {model.description.trim() !== '' && <Item color={DIM}>{model.description}</Item>}
      {detail !== null && <Item color={TEXT}>{detail}</Item>}
      {pending && <Item color={DIM}>Waiting for the first figures…</Item>}
      {figures && (isActive(model) ? <ActivityFigures model={model} chart={chart} /> : <IdleLine model={model} chart={chart} />)}
      {lifetime !== null && <Item color={TEXT}>{`Average since llama-server started: ${lifetime}`}</Item>}
      {ready && model.metricsStatus === 'absent' && <Item color={DIM}>No llama.cpp metrics from this upstream: figures from llama-swap</Item>}
      {(model.memoryBytes !== null || seriesStats(memory) !== null) && (
        <FigureItem label="Memory" current={formatBytes(model.memoryBytes)} values={memory} format={formatBytes} stroke={SERIES_STROKES.memory} chart={chart} {...zoomRange(memory)} />
      )}
      {model.cpuPercent !== null && <FigureItem label="CPU" current={formatPercent(model.cpuPercent)} />}
      {activity !== null ? (
        <RecordFigures activity={activity} showLast />
      ) : (
        figures && model.requestsServed !== null && <Item color={TEXT}>{`Served: ${plural(model.requestsServed, 'request')}`}</Item>
      )}
      {note !== null && <Item color={YELLOW}>{note}</Item>}
      <InflightRequests requests={model.requests ?? []} more={model.moreRequests ?? 0} invoker={invoker} />
      <Separator />
      <Item sfimage="eject" {...idAction(invoker, 'do_unload_model', model.id)}>
        Unload this model
      </Item>
    </Submenu>
  );
}
