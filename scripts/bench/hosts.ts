/**
 * `npm run bench -- --hosts 10`: the menu of several hosts against simulated llama-swaps (each
 * with 50 configured models, the `static` scenario: models loaded, figures that never move),
 * streaming for `minutes` beside the same plugin watching one such host through LLAMA_SWAP_HOSTS,
 * measured in the same run. Reports CPU per minute, RSS, frame sizes and the event streams each
 * simulator saw, and the N-host figures as ratios of the 1-host baseline.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../src/system/simulator/index.js';
import { NODE_FLAGS } from '../../src/system/swiftbar/swiftbar-wrapper.js';
import { round } from './proc.js';
import { streamRun, type StreamResult } from './stream.js';

/** Models configured on each simulated host. */
export const MODELS_PER_HOST = 50;

export type HostsFigures = {
  readonly hosts: number;
  readonly modelsPerHost: number;
  readonly one: StreamResult;
  readonly many: StreamResult;
  /** `/api/events` connections each simulated host received during the N-host run. */
  readonly eventStreamsPerHost: readonly number[];
  /** many ÷ one. */
  readonly cpuRatio: number;
  /** many ÷ one ÷ hosts: at most about 1 when CPU grows at most linearly. */
  readonly cpuRatioPerHost: number;
  readonly rssRatio: number;
};

function hostsSetting(sims: readonly LlamaSwapSimulator[]): string {
  return sims.map((s, i) => `host-${i + 1}=${s.url}`).join(',');
}

const eventStreams = (sim: LlamaSwapSimulator): number => sim.requestLog.filter((r) => r.path.startsWith('/api/events') && !r.path.includes('logs')).length;

export async function hostsFigures(options: { readonly hosts: number; readonly minutes: number; readonly entry: string; readonly home: string }): Promise<HostsFigures> {
  const models = Array.from({ length: MODELS_PER_HOST }, (_, i) => ({ id: `model-${String(i + 1).padStart(2, '0')}`, metrics: true }));
  // One extra simulator serves the 1-host baseline, so the two runs share no server.
  const sims = await Promise.all(Array.from({ length: options.hosts + 1 }, () => createLlamaSwapSimulator({ port: 0, host: '127.0.0.1', models, scenario: 'static' })));
  const [single, ...many] = sims as [LlamaSwapSimulator, ...LlamaSwapSimulator[]];
  try {
    const run = (label: string, setting: string): Promise<StreamResult> => {
      const dir = path.join(options.home, label);
      mkdirSync(dir, { recursive: true });
      return streamRun({
        label,
        args: [...NODE_FLAGS, options.entry, '--stream'],
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, XDG_CACHE_HOME: path.join(dir, '.cache'), LLAMA_SWAP_HOSTS: setting },
        minutes: options.minutes,
        statsFile: path.join(dir, 'stats.json'),
        cwd: dir,
      });
    };
    process.stderr.write(`hosts: 1 host and ${options.hosts} hosts (${MODELS_PER_HOST} models each) side by side for ${options.minutes} min…\n`);
    const [one, several] = await Promise.all([run('hosts-1', hostsSetting([single])), run(`hosts-${options.hosts}`, hostsSetting(many))]);
    const cpuRatio = one.cpuSecPerMin > 0 ? several.cpuSecPerMin / one.cpuSecPerMin : Number.NaN;
    return {
      hosts: options.hosts,
      modelsPerHost: MODELS_PER_HOST,
      one,
      many: several,
      eventStreamsPerHost: many.map(eventStreams),
      cpuRatio: round(cpuRatio, 2),
      cpuRatioPerHost: round(cpuRatio / options.hosts, 2),
      rssRatio: round(several.rssMb / one.rssMb, 2),
    };
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
}

/** The figures as a small table. */
export function hostsTable(f: HostsFigures): string {
  const row = (label: string, s: StreamResult): string =>
    `  ${label.padEnd(10)} cpu ${String(round(s.cpuSecPerMin, 2)).padStart(6)} s/min  rss ${String(round(s.rssMb, 1)).padStart(6)} MB  frames ${String(s.frames).padStart(4)}  bytes/frame ${String(Math.round(s.bytesPerFrame)).padStart(7)}  max frame ${String(s.maxFrameBytes).padStart(7)} B`;
  return [
    `several hosts (${f.modelsPerHost} models each, simulator "static"):`,
    row('1 host', f.one),
    row(`${f.hosts} hosts`, f.many),
    `  ratio ${f.hosts}/1: cpu ×${f.cpuRatio} (×${f.cpuRatioPerHost} per host), rss ×${f.rssRatio}; event streams per host: ${f.eventStreamsPerHost.join(', ')}`,
    '',
  ].join('\n');
}
