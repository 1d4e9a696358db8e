/**
 * The menu-bar title: a status glyph coloured by the overall state, plus the live generation
 * rate while requests are being processed.
 *
 * Why an inline `:symbol:` with `sfcolor` rather than `sfimage` or a coloured `●`: `sfimage` is a
 * template image, drawn in the menu bar's own text colour (colour needs `sfconfig`); `color=`
 * would tint the whole title, figures included. An inline symbol is tinted by `sfcolor` alone
 * (SwiftBar's symbolize step), so only the glyph carries the state and the figure keeps the
 * menu bar's adaptive text colour. The title holds only our own text, so symbolize is safe here.
 */
import type { ReactElement } from 'react';
import { STATUS_COLORS } from '../colors.js';
import { formatTpsCompact } from '../format.js';
import { modelPhase, workCounts, type MenuModel, type ModelView, type OverallStatus } from '../model.js';
import { Title } from '../primitives/index.js';

export type StatusTitleProps = {
  readonly status: OverallStatus;
  /** Running models; their generation rates make the live figure. */
  readonly models: readonly ModelView[];
  /** Why the API is unusable: an error page or garbage is "answering badly", not "not answering". */
  readonly apiError?: MenuModel['apiError'];
  /** SwiftBar's `shortcut=` that opens the menu (`LLAMA_SWAP_SHORTCUT`, already validated). */
  readonly shortcut?: string | null;
};

/** SF Symbol per state: the shape repeats the colour's message for colour-blind users. */
export const STATUS_SYMBOLS: Readonly<Record<OverallStatus, string>> = {
  connecting: 'circle.dotted',
  stopped: 'exclamationmark.circle.fill',
  unreachable: 'exclamationmark.circle.fill',
  unauthorized: 'exclamationmark.circle.fill',
  starting: 'circle.fill',
  ready: 'circle.fill',
  processing: 'circle.fill',
  empty: 'circle',
};

const STATUS_WORDS: Readonly<Record<OverallStatus, string>> = {
  connecting: 'connecting…',
  stopped: 'stopped',
  unreachable: 'not answering',
  unauthorized: 'API key refused',
  starting: 'loading a model',
  ready: 'ready',
  processing: 'processing requests',
  empty: 'running, no model loaded',
};

/** Sum of the generation rates of the busy models, or null when none reports one. */
export function liveGenTps(models: readonly ModelView[]): number | null {
  const rates = models.filter((m) => modelPhase(m) === 'busy').map((m) => m.genTps).filter((v): v is number => v !== null && Number.isFinite(v));
  return rates.length === 0 ? null : rates.reduce((a, b) => a + b, 0);
}

/** "loading a model", "stopping a model" or "swapping models", from the models' own phases. */
function transitionWords(models: readonly ModelView[]): string {
  const phases = new Set(models.map(modelPhase));
  if (phases.has('loading') && phases.has('stopping')) return 'swapping models';
  return phases.has('stopping') ? 'stopping a model' : STATUS_WORDS.starting;
}

/** ", 3 processing, 1 waiting" over the busy models; a count nobody knows is left out. */
function workWords(models: readonly ModelView[]): string {
  const counts = models.filter((m) => modelPhase(m) === 'busy').map(workCounts);
  const sum = (key: 'processing' | 'waiting'): number | null =>
    counts.some((c) => c[key] !== null) ? counts.reduce((n, c) => n + (c[key] ?? 0), 0) : null;
  const processing = sum('processing');
  const waiting = sum('waiting');
  return `${processing === null ? '' : `, ${processing} processing`}${waiting === null ? '' : `, ${waiting} waiting`}`;
}

/** Plain-words summary for the title's tooltip (no server text in parameters). */
export function statusSummary(status: OverallStatus, models: readonly ModelView[], apiError: MenuModel['apiError'] = null): string {
  const loaded = models.length === 1 ? '1 model loaded' : `${models.length} models loaded`;
  const extra = status === 'processing' ? workWords(models) : status === 'ready' || status === 'starting' ? `, ${loaded}` : '';
  const silent = apiError === null || apiError.kind === 'unreachable' || apiError.kind === 'timeout';
  const words = status === 'unreachable' && !silent ? 'answering badly' : status === 'starting' ? transitionWords(models) : STATUS_WORDS[status];
  return `llama-swap: ${words}${extra}`;
}

/** The menu-bar title line. */
export function StatusTitle({ status, models, apiError = null, shortcut = null }: StatusTitleProps): ReactElement {
  const rate = status === 'processing' ? liveGenTps(models) : null;
  const glyph = `:${STATUS_SYMBOLS[status]}:`;
  return (
    <Title symbolize sfcolor={STATUS_COLORS[status]} tooltip={statusSummary(status, models, apiError)} {...(shortcut === null ? {} : { shortcut })}>
      {rate === null ? glyph : `${glyph} ${formatTpsCompact(rate)} t/s`}
    </Title>
  );
}
