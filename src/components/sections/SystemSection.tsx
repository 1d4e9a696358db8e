/** Host figures (CPU, memory, swap, GPU) with charts, their source, and the llama-swap process. */
import type { ReactElement } from 'react';
import { DIM, SERIES_STROKES, TEXT } from '../colors.js';
import { FigureItem } from './FigureItem.js';
import { formatBars, formatBytes, formatBytesOf, formatPercent } from '../format.js';
import type { MenuModel, SystemView } from '../model.js';
import { Item, Separator, Submenu } from '../primitives/index.js';
import { seriesStats } from '../series-stats.js';
import type { PlatformName } from '../../system/types.js';

export type SystemSectionProps = {
  readonly system: SystemView;
  readonly chart: MenuModel['chart'];
  /** Names the local machine in the source line. @default 'macos' */
  readonly platform?: PlatformName;
};

/** "System — CPU 42% · memory 12.3 GB / 64.0 GB": the submenu's label. */
export function systemLabel(system: SystemView): string {
  return `System — CPU ${formatPercent(system.cpuPercent)} · memory ${formatBytesOf(system.memUsedBytes, system.memTotalBytes)}`;
}

/** Where the figures come from, in words. */
export function sourceText(source: SystemView['source'], platform: PlatformName): string {
  if (source === 'llama-swap') return "Figures from llama-swap's machine";
  return platform === 'macos' ? 'Figures from this Mac' : 'Figures from this computer';
}

const percentText = (v: number): string => formatPercent(v);

/** "12 cores ▁▂▇█▁▁▂▁▁▁▁▁ · busiest 97%": one bar per core, so one pinned core shows at a glance. */
export function coresText(perCore: readonly number[]): string {
  const busiest = Math.max(...perCore.filter((v) => Number.isFinite(v)));
  return `${perCore.length} cores ${formatBars(perCore)} · busiest ${formatPercent(busiest)}`;
}
const bytesText = (v: number): string => formatBytes(v);

/** The System submenu. */
export function SystemSection({ system, chart, platform = 'macos' }: SystemSectionProps): ReactElement {
  const h = system.history;
  const gpu = system.gpu;
  const proc = system.llamaSwapProcess;
  return (
    <Submenu label={systemLabel(system)}>
      <Item color={DIM}>{sourceText(system.source, platform)}</Item>
      <FigureItem label="CPU" current={formatPercent(system.cpuPercent)} latest={system.cpuPercent} values={h.cpuPercent} format={percentText} stroke={SERIES_STROKES.cpu} chart={chart} min={0} max={100} />
      <FigureItem
        label="Memory"
        current={formatBytesOf(system.memUsedBytes, system.memTotalBytes)}
        latest={system.memUsedBytes}
        values={h.memUsedBytes}
        format={bytesText}
        stroke={SERIES_STROKES.memory}
        chart={chart}
        min={0}
        {...(system.memTotalBytes === null ? {} : { max: system.memTotalBytes })}
      />
      {system.cpuPerCore.length > 1 && <Item color={TEXT}>{coresText(system.cpuPerCore)}</Item>}
      {/* A machine without swap (total 0) has nothing to say about it. */}
      {system.swapUsedBytes !== null && system.swapTotalBytes !== 0 && <FigureItem label="Swap" current={formatBytesOf(system.swapUsedBytes, system.swapTotalBytes)} />}
      {gpu !== null && <Separator />}
      {gpu !== null && <Item color={TEXT}>{gpu.name}</Item>}
      {gpu !== null && (
        <FigureItem label="GPU" current={formatPercent(gpu.utilPercent)} latest={gpu.utilPercent} values={h.gpuUtilPercent} format={percentText} stroke={SERIES_STROKES.gpu} chart={chart} min={0} max={100} />
      )}
      {gpu !== null && (gpu.memUsedBytes !== null || seriesStats(h.gpuMemUsedBytes) !== null) && (
        <FigureItem
          label="GPU memory"
          current={formatBytesOf(gpu.memUsedBytes, gpu.memTotalBytes)}
          latest={gpu.memUsedBytes}
          values={h.gpuMemUsedBytes}
          format={bytesText}
          stroke={SERIES_STROKES.gpu}
          chart={chart}
          min={0}
          {...(gpu.memTotalBytes === null ? {} : { max: gpu.memTotalBytes })}
        />
      )}
      {proc !== null && <Separator />}
      {proc !== null && (
        <Item color={TEXT}>{`llama-swap process ${proc.pid} · CPU ${formatPercent(proc.cpuPercent)} · ${formatBytes(proc.rssBytes)}`}</Item>
      )}
    </Submenu>
  );
}
