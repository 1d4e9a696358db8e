import { DIM, SERIES_STROKES } from '../colors.js';
import { INVOKER, hostileNames, processing, readyModel, starting } from '../fixtures/menu-models.js';
import { base64Id, ID_BASE64_FLAG, idFromArgs } from '../menu-action.js';
import type { ModelView } from '../model.js';
import { ModelSection } from './ModelSection.js';
import { findItem } from '../../reconciler/parse.js';
import { fakeModelBusy, fakeModelIdle, manyInFlight, oneShotLifetime } from '../fixtures/live-models.js';
import { argvOf, bodyText, InMenu, itemsWithAction, pairText, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/ModelSection' };
export default meta;

const chart = { width: 120, height: 20 };
const section = (model: ModelView) => () => (
  <InMenu>
    <ModelSection model={model} invoker={INVOKER} chart={chart} />
  </InMenu>
);
const busy = processing.models[1] as ModelView;

/** Busy with a backlog: rate and queue in the label, charts with window stats inside. */
export const Busy: Story = {
  render: section(busy),
  assert: (frame, expect) => {
    const sub = topItems(frame)[0];
    expect(sub?.title).toBe('Llama 3.1 8B Instruct — 42.3 t/s · 7 waiting');
    const lines = sub?.children.flatMap((c) => (c.type === 'item' ? [c.title] : ['---'])) ?? [];
    expect(lines[0]).toBe('id llama-3.1-8b-instruct');
    expect(lines).toContain('CPU: 142%');
    expect(lines).toContain('Served: 9,876 requests');
    expect(findItem(frame, /^Prompt: 1480 t\/s · min/)?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(findItem(frame, /^Memory: 6\.6 GB · min/)?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(findItem(frame, /^Requests: 4 processing · 7 waiting · in flight min 0 · avg \d+ · max 11$/)).toBeDefined();
    expect(argvOf(findItem(frame, 'Unload this model'))).toEqual([INVOKER.executable, 'do_unload_model', 'llama-3.1-8b-instruct']);
    expect(findItem(frame, 'Unload this model')?.params.terminal).toBe('false');
    expect(findItem(frame, 'Unload this model')?.params.refresh).toBeUndefined();
  },
};

/** Busy in dark appearance: same text, charts drawn with the dark strokes. */
export const BusyDark: Story = {
  appearance: 'dark',
  render: section(busy),
  assert: (frame, expect) => {
    expect(findItem(frame, /^Generation: 42\.3 t\/s/)?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(SERIES_STROKES.genTps.dark).not.toBe(SERIES_STROKES.genTps.light);
  },
};

/** A newer llama-swap reports how long a model has been ready: on the State line, by the minute, before the ttl. */
export const ReadyWithUptime: Story = {
  render: section(readyModel('qwen2.5-coder-7b', { ttlSeconds: 300, uptimeMs: (2 * 60 + 5) * 60_000 + 42_000 })),
  assert: (frame, expect) => {
    expect(findItem(frame, /^Ready for/)?.title).toBe('Ready for 2 h 5 min · unloads after 5 min idle');
    expect(findItem(frame, /^State:/)).toBeUndefined();
  },
};

/** Ready and idle: less detail. Rates and queue fold into one summary line over the generation chart; memory keeps its chart. */
export const ReadyIdle: Story = {
  render: section(readyModel('qwen2.5-coder-7b', { ttlSeconds: 0 })),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('qwen2.5-coder-7b — ready');
    // The label says "ready"; no line repeats it.
    expect(findItem(frame, /^State:|^Ready/)).toBeUndefined();
    const idle = findItem(frame, /^Idle/);
    expect(idle?.title).toMatch(/^Idle · peak in window [\d.]+ t\/s generation · [\d.]+ t\/s prompt$/);
    // One chart (generation over the window) behind the summary, instead of three.
    expect(idle?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(frame.body.flatMap((n) => (n.type === 'item' ? n.children : [])).filter((c) => c.type === 'item' && c.params.image !== undefined)).toHaveLength(2);
    expect(findItem(frame, /^Generation/)).toBeUndefined();
    expect(findItem(frame, /^Requests/)).toBeUndefined();
    expect(findItem(frame, /^Memory: 5\.1 GB · min/)?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(findItem(frame, 'Served: 57 requests')).toBeDefined();
  },
};

/** Idle now but a queue 10 samples ago: the charts stay, so they do not fold between two requests. */
export const RecentlyBusy: Story = {
  render: section(readyModel('qwen2.5-coder-7b', { history: { ...readyModel('x').history, queue: [...Array<number>(50).fill(0), 3, 2, 1, ...Array<number>(10).fill(0)] } })),
  assert: (frame, expect) => {
    expect(findItem(frame, /^Idle/)).toBeUndefined();
    expect(findItem(frame, /^Generation: 0\.0 t\/s · min/)?.params.image).toMatch(/^iVBORw0KGgo/);
    // The queue chart shows while something queued in the window; current value 0 ends it.
    expect(findItem(frame, /^Requests: 0 processing · 0 waiting · in flight min 0 · avg [\d.]+ · max 3$/)?.params.image).toMatch(/^iVBORw0KGgo/);
  },
};

/** Ready, first scrape still on its way: no dashes and no "unavailable" claim, just a note. */
export const FirstFigures: Story = {
  render: section(readyModel('qwen2.5-coder-7b', { metricsStatus: 'pending', genTps: null, promptTps: null, processing: null, deferred: null, requestsServed: null, history: { genTps: [], promptTps: [], memoryBytes: [], queue: [] } })),
  assert: (frame, expect) => {
    expect(findItem(frame, 'Waiting for the first figures…')?.params.color).toBe(pairText(DIM));
    expect(findItem(frame, /^Generation|^Served|^Idle|^metrics/)).toBeUndefined();
    expect(findItem(frame, 'Unload this model')).toBeDefined();
  },
};

/** Loading: "loading…", no rate lines, Unload still offered. */
export const Loading: Story = {
  render: section(starting.models[0] as ModelView),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('Qwen2.5 Coder 32B — loading…');
    expect(findItem(frame, 'Generation')).toBeUndefined();
    expect(findItem(frame, 'Unload this model')).toBeDefined();
  },
};

/** llama-server without --metrics: the fix in plain words; no rate lines and no "idle" claim. */
export const MetricsDisabled: Story = {
  render: section(readyModel('phi-4-mini', { metricsStatus: 'disabled', genTps: null, promptTps: null, processing: null, deferred: null, requestsServed: null, history: { genTps: [], promptTps: [], memoryBytes: [], queue: [] } })),
  assert: (frame, expect) => {
    expect(findItem(frame, "metrics off: add --metrics to this model's cmd")).toBeDefined();
    expect(findItem(frame, /^Generation|^Idle|^Served/)).toBeUndefined();
    // Memory without history: a plain line, no chart and no statistics.
    expect(findItem(frame, 'Memory:')?.title).toBe('Memory: 5.1 GB');
  },
};

/** The last scrape failed: last known figures, marked as such. */
export const MetricsUnavailable: Story = {
  render: section(readyModel('phi-4-mini', { metricsStatus: 'unavailable', genTps: 18.2 })),
  assert: (frame, expect) => {
    expect(findItem(frame, 'metrics unavailable: figures are the last known ones')).toBeDefined();
    expect(findItem(frame, /^Generation: 18\.2 t\/s/)).toBeDefined();
  },
};

/** Hostile id: the label stays one item, Unload passes the id as one untouched argument. */
export const HostileId: Story = {
  render: section(hostileNames.models[1] as ModelView),
  assert: (frame, expect) => {
    expect(topItems(frame)).toHaveLength(1);
    expect(topItems(frame)[0]?.title).toBe('bash=/bin/rm param1=-rf — ready');
    expect(topItems(frame)[0]?.params.bash).toBeUndefined();
    expect(argvOf(findItem(frame, 'Unload this model'))).toEqual([INVOKER.executable, 'do_unload_model', 'bash=/bin/rm param1=-rf']);
    expect(findItem(frame, 'line --- --child')?.depth).toBe(1);
  },
};

/** An id SwiftBar cannot carry intact (line break, ~~~): passed as --id-base64, so Unload still names exactly it. */
export const UnpassableId: Story = {
  render: section(readyModel('line1\nline2 ~~~')),
  assert: (frame, expect) => {
    const unload = findItem(frame, 'Unload this model');
    expect(argvOf(unload)).toEqual([INVOKER.executable, 'do_unload_model', ID_BASE64_FLAG, base64Id('line1\nline2 ~~~')]);
    expect(idFromArgs(argvOf(unload).slice(2))).toBe('line1\nline2 ~~~');
  },
};

/** An upstream without llama.cpp metrics (fake-model, vLLM…): said plainly, not as a warning; figures from llama-swap. */
export const NoLlamaCppMetrics: Story = {
  render: section(fakeModelBusy),
  assert: (frame, expect) => {
    const sub = topItems(frame)[0];
    expect(sub?.title).toBe('fake — 2 in flight');
    const lines = sub?.children.flatMap((c) => (c.type === 'item' ? [c.title] : ['---'])) ?? [];
    expect(lines).toContain('No llama.cpp metrics from this upstream: figures from llama-swap');
    expect(lines).toContain('Last request: 198 t/s output, end to end');
    expect(lines).toContain('Served: 13 requests · 0 tokens in · 520 out');
    expect(lines).toContain('In flight: 2 requests');
    expect(bodyText(frame)).not.toMatch(/metrics unavailable|last known/);
    expect(itemsWithAction(frame, 'do_cancel_request')).toHaveLength(2);
  },
};

/** The same upstream with nothing running. */
export const NoLlamaCppMetricsIdle: Story = {
  render: section(fakeModelIdle),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('fake — ready');
    expect(itemsWithAction(frame, 'do_cancel_request')).toHaveLength(0);
  },
};

/** Seven requests running on a llama.cpp model: five listed with Cancel, "and 2 more", p50/p95. */
export const ManyInFlight: Story = {
  render: section(manyInFlight),
  assert: (frame, expect) => {
    expect(findItem(frame, 'In flight: 7 requests')).toBeDefined();
    expect(findItem(frame, 'and 2 more')).toBeDefined();
    expect(itemsWithAction(frame, 'do_cancel_request')).toHaveLength(5);
    expect(findItem(frame, 'Generation p50 41.2 t/s · p95 45.8 t/s')).toBeDefined();
    expect(findItem(frame, 'Served: 128 requests · 48.2k tokens in · 31.9k out')).toBeDefined();
  },
};

/** A one-shot frame: averages since llama-server started (its counters), labelled as such. */
export const LifetimeAverages: Story = {
  render: section(oneShotLifetime),
  assert: (frame, expect) => {
    expect(findItem(frame, 'Average since llama-server started: 41.7 t/s generation · 655 t/s prompt')).toBeDefined();
  },
};

/** Loading, with this model's past loads: elapsed seconds and the estimate in the label. */
export const LoadingWithEstimate: Story = {
  render: section(readyModel('qwen2.5-coder-32b', { name: 'Qwen2.5 Coder 32B', state: 'starting', metricsStatus: 'not-ready', loadingMs: 12_400, loadEstimateMs: 19_600 })),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('Qwen2.5 Coder 32B — loading… 12 s of ~20 s');
  },
};

/** Loading for the first time: elapsed seconds only (no estimate is made up). */
export const LoadingFirstTime: Story = {
  render: section(readyModel('qwen2.5-coder-32b', { state: 'starting', metricsStatus: 'not-ready', loadingMs: 3_900 })),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toMatch(/ — loading… 3 s$/);
  },
};

/** A ttl model at rest: the countdown to its unload, by the minute, then in 10 s steps. */
export const TtlCountdown: Story = {
  render: section(readyModel('qwen2.5-coder-7b', { ttlSeconds: 300, uptimeMs: 12 * 60_000, unloadsInMs: 251_000 })),
  assert: (frame, expect) => {
    expect(findItem(frame, /^Ready for/)?.title).toBe('Ready for 12 min · unloads in 5 min');
  },
};

/** The last two minutes of a ttl. */
export const TtlCountdownLastMinutes: Story = {
  render: section(readyModel('qwen2.5-coder-7b', { ttlSeconds: 300, unloadsInMs: 95_000 })),
  assert: (frame, expect) => {
    expect(findItem(frame, /^Unloads in/)?.title).toBe('Unloads in 1:40');
  },
};
