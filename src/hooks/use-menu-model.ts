/**
 * The one hook App calls: composes polling, metrics, host and service state, the last action
 * and the history into one MenuModel. Render it under MenuDataProvider. `deps` is read once.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useSWRConfig } from 'swr';
import type { MenuModel } from '../components/model.js';
import type { Result, RunningModel } from '../system/types.js';
import type { MenuDeps } from './deps.js';
import { sampleOf } from './history/history-sample.js';
import { buildMenuModel } from './model/menu-model.js';
import { createPollSources, type Stamped } from './polling/poll-sources.js';
import { useHistory } from './use-history.js';
import { useHostStats } from './use-host-stats.js';
import { useLastAction } from './use-last-action.js';
import { KEY_ROOT, useLlamaSwap } from './use-llama-swap.js';
import { useLiveEvents } from './use-live-events.js';
import { useModelActivity } from './use-model-activity.js';
import { useModelMetrics } from './use-model-metrics.js';
import { useServiceState } from './use-service-state.js';
import { useNotifications } from './use-notifications.js';
import { useTimeLabelsTimer } from './use-time-labels-timer.js';

/**
 * The /running answer to show: the latest, except that one failed poll right after a good answer
 * is held back (the last good answer stands until the retry ~2 s later), so a blip does not
 * flash the glyph red. A 401 is an answer and shows at once; a second failure shows as it is.
 */
export function shownRunning<T extends { readonly value: Result<unknown> }>(latest: T | undefined, lastGood: T | undefined, errorStreak: number): T | undefined {
  if (latest === undefined || latest.value.ok || lastGood === undefined) return latest;
  return latest.value.error.kind !== 'unauthorized' && errorStreak === 1 ? lastGood : latest;
}

/** Everything the menu shows, refreshed by polling and at once after a menu action. */
export function useMenuModel(deps: MenuDeps): MenuModel {
  const [sources] = useState(() => createPollSources(deps));
  const { mutate } = useSWRConfig();
  // Every /running answer is offered to the history, also one that renders nothing (set below).
  const recordRunning = useRef<(answer: Stamped<Result<readonly RunningModel[]>>) => void>(() => undefined);
  const api = useLlamaSwap(sources, (answer) => recordRunning.current(answer));
  const live = useLiveEvents(sources);
  const lastGood = useRef<typeof api.running>(undefined);
  if (api.running?.value.ok) lastGood.current = api.running;
  const running = shownRunning(api.running, lastGood.current, sources.state.errorStreak);
  const held = running !== api.running;
  const latestMetrics = useModelMetrics(sources, running);
  // While a failure is held back the scrapes are skipped (no model is known ready): keep the last figures.
  const lastMetrics = useRef(latestMetrics);
  if (!held) lastMetrics.current = latestMetrics;
  const metrics = held ? lastMetrics.current : latestMetrics;
  const activity = useModelActivity(sources, running);
  const { host, processes } = useHostStats(sources);
  const service = useServiceState(sources);

  const refreshAll = useCallback(() => {
    // Single-flight fetchers turn this into "right after the request in flight", never a second one.
    mutate((key) => Array.isArray(key) && key[0] === KEY_ROOT).catch(() => undefined);
  }, [mutate]);
  const lastAction = useLastAction(deps, sources, refreshAll);
  // Woken from sleep (or the clock set either way): everything is read again at once.
  useEffect(() => sources.onClockJump(() => refreshAll()), [sources, refreshAll]);

  // Sampled per /running poll, with whatever the other keys hold at that moment. A failure held
  // back (see shownRunning) is not sampled: the blip leaves no gap in the charts.
  const { view: history, record } = useHistory(deps, sources);
  recordRunning.current = (answer) => {
    if (!answer.value.ok && shownRunning(answer, lastGood.current, sources.state.errorStreak) !== answer) return;
    // While the event stream is healthy the poll hands back the answer it holds (its `at` is that
    // of the request): the sample is still taken now, once per poll. Never stamped later than
    // now: an answer held from before the wall clock went back would put the sample in the future.
    record(sampleOf({ ...answer, at: sources.clock() }, metrics, host, processes));
  };

  // Bumped when a time label (elapsed load, ttl countdown, uptime) changes: the memo below reads the clock again.
  const [labelsTick, bumpLabels] = useReducer((n: number) => n + 1, 0);
  const model = useMemo(
    () =>
      buildMenuModel({
        config: deps.config,
        configWarnings: deps.configWarnings,
        running: running?.value,
        models: api.models?.value,
        profiles: api.profiles?.value,
        metrics,
        activity,
        live,
        host,
        processes,
        service,
        history: history.snapshot,
        historyWarning: history.warning,
        fileWarnings: [...(deps.fileWarnings ?? []), ...(history.saveError === null ? [] : [history.saveError])],
        invoker: deps.invoker,
        lastAction,
        // Read when anything shown changes (the stream's progress events included), so elapsed
        // times of requests move on while /running is answered from the stream.
        now: running === undefined ? sources.clock() : Math.max(running.at, sources.clock()),
        times: { model: sources.state.times, loads: sources.state.loadTimes },
      }),
    [deps, running, api.models, api.profiles, metrics, activity, live, host, processes, service, history, lastAction, sources, labelsTick],
  );
  useTimeLabelsTimer(model.models, bumpLabels, sources.timings.uptimeCheckMs);
  useNotifications(deps, sources.clock, model);
  return model;
}
