/**
 * What llama-swap's own record says about a model (any upstream kind): requests served (its exact
 * count), tokens in and out, the latest request's speed (generation and prompt when the upstream
 * reported timings, else output tokens ÷ duration, labelled "end to end") and generation p50/p95.
 */
import type { ReactElement } from 'react';
import { TEXT } from '../colors.js';
import { formatTokens, formatTps, plural } from '../format.js';
import type { ActivityView } from '../model.js';
import { Item } from '../primitives/index.js';

/** "42.1 t/s generation · 610 t/s prompt", "198 t/s output, end to end", or null when nothing was reported. */
export function lastRequestText(a: ActivityView): string | null {
  if (a.lastGenTps !== null || a.lastPromptTps !== null) {
    return [a.lastGenTps !== null ? `${formatTps(a.lastGenTps)} generation` : null, a.lastPromptTps !== null ? `${formatTps(a.lastPromptTps)} prompt` : null]
      .filter((p) => p !== null)
      .join(' · ');
  }
  return a.lastOutputTps !== null ? `${formatTps(a.lastOutputTps)} output, end to end` : null;
}

/** "Served: 13 requests · 1.2k tokens in · 3.4k out". */
export function servedText(a: ActivityView): string {
  const served = a.served === null ? '– requests' : plural(a.served, 'request');
  const tokens = a.inputTokens !== null && a.outputTokens !== null && a.inputTokens + a.outputTokens > 0 ? ` · ${formatTokens(a.inputTokens)} tokens in · ${formatTokens(a.outputTokens)} out` : '';
  return `Served: ${served}${tokens}`;
}

export function RecordFigures({ activity, showLast }: { readonly activity: ActivityView; readonly showLast: boolean }): ReactElement {
  const last = showLast ? lastRequestText(activity) : null;
  return (
    <>
      {last !== null && <Item color={TEXT}>{`Last request: ${last}`}</Item>}
      <Item color={TEXT}>{servedText(activity)}</Item>
      {activity.genP50 !== null && activity.genP95 !== null && (
        <Item color={TEXT}>{`Generation p50 ${formatTps(activity.genP50)} · p95 ${formatTps(activity.genP95)}`}</Item>
      )}
    </>
  );
}
