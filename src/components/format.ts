/**
 * Pure formatting of the figures the menu shows. Every function maps null, undefined and
 * non-finite numbers to an en dash, so a missing figure never prints "NaN" or "null".
 */
import { COUNTDOWN_FINE_MS, countdownStepMs } from './model.js';

/** Shown for a figure that is not known. */
export const MISSING = '–';

type Maybe = number | null | undefined;

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

function known(value: Maybe): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** One decimal below 100, whole numbers above: "4.2", "42.3", "123". */
function decimals(value: number): string {
  return Math.abs(value) < 100 ? value.toFixed(1) : Math.round(value).toString();
}

/** Tokens per second for the dropdown: "42.3 t/s", "123 t/s". */
export function formatTps(value: Maybe): string {
  return known(value) ? `${decimals(Math.max(0, value))} t/s` : MISSING;
}

/** Tokens per second for the menu bar, short and steady: "4.2", "42", "1.2k". */
export function formatTpsCompact(value: Maybe): string {
  if (!known(value)) return MISSING;
  const v = Math.max(0, value);
  if (v < 10) return v.toFixed(1);
  if (v < 999.5) return Math.round(v).toString();
  return `${(v / 1000).toFixed(1)}k`;
}

/** Bytes in binary units as macOS shows memory: "512 B", "3.2 GB", "128 GB". */
export function formatBytes(value: Maybe): string {
  if (!known(value)) return MISSING;
  let v = Math.max(0, value);
  let unit = 0;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(v)} B`;
  // Rounding 1023.96 MB up would print "1024 MB"; show the next unit instead.
  if (v >= 999.95 && unit < UNITS.length - 1) return `${(v / 1024).toFixed(1)} ${UNITS[unit + 1] ?? ''}`;
  return `${decimals(v)} ${UNITS[unit] ?? ''}`;
}

/** Used of total: "12.3 GB / 64.0 GB"; either side may be missing. */
export function formatBytesOf(used: Maybe, total: Maybe): string {
  if (!known(used) && !known(total)) return MISSING;
  return known(total) ? `${formatBytes(used)} / ${formatBytes(total)}` : formatBytes(used);
}

/** Percent: one decimal below 10 ("3.5%"), whole above ("42%"). */
export function formatPercent(value: Maybe): string {
  if (!known(value)) return MISSING;
  const v = Math.max(0, value);
  return v < 9.95 ? `${v.toFixed(1)}%` : `${Math.round(v)}%`;
}

/** A duration in seconds: "45 s", "5 min", "1 h 5 min", "2 d 3 h". */
export function formatDuration(seconds: Maybe): string {
  if (!known(seconds)) return MISSING;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** How long something has run, by the minute: "< 1 min", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatUptime(ms: Maybe): string {
  if (!known(ms)) return MISSING;
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  return minutes < 1 ? '< 1 min' : formatDuration(minutes * 60);
}

/** A whole count with thousands separators: "1,234". */
export function formatCount(value: Maybe): string {
  if (!known(value)) return MISSING;
  // Not toLocaleString: the first Intl call maps ~7 MB of ICU data into the plugin for good.
  const n = Math.round(value);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

const BARS = '▁▂▃▄▅▆▇█';

/** Percentages as one block character each, 0% lowest to 100% full: "▁▃▇█". */
export function formatBars(percents: readonly number[]): string {
  return percents
    .map((p) => (Number.isFinite(p) ? BARS[Math.min(BARS.length - 1, Math.max(0, Math.floor((p / 100) * BARS.length)))] : ' '))
    .join('');
}

/** "1 request", "3 requests"; the noun's plural adds an s. */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** Splits text at spaces into lines of at most `width` characters (longer words stay whole). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Elapsed milliseconds, finer while short: "0.4 s", "3.2 s", "45 s", "2 min". */
export function formatElapsed(ms: Maybe): string {
  if (!known(ms)) return MISSING;
  const s = Math.max(0, ms) / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : formatDuration(s);
}

/** A token count, short: "950", "12.3k", "4.1M". */
export function formatTokens(value: Maybe): string {
  if (!known(value)) return MISSING;
  const v = Math.max(0, value);
  if (v < 1000) return Math.round(v).toString();
  if (v < 999_950) return `${(v / 1000).toFixed(1)}k`;
  return `${(v / 1_000_000).toFixed(1)}M`;
}

/** A ttl countdown, rounded up to its step: "1:50", "0:10"; "5 min", "1 h 5 min" above two minutes. */
export function formatCountdown(ms: Maybe): string {
  if (!known(ms)) return MISSING;
  const left = Math.max(0, ms);
  const step = countdownStepMs(left);
  const s = (Math.ceil(left / step) * step) / 1000;
  return left <= COUNTDOWN_FINE_MS ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` : formatDuration(s);
}

/** Whole seconds up to 10 min ("75 s", which reads better while counting than "1 min"), then formatDuration. */
function loadSeconds(s: number): string {
  return s < 600 ? `${s} s` : formatDuration(s);
}

/** Loading progress: "12 s", with its estimate "12 s of ~20 s" (whole seconds). */
export function formatLoading(elapsedMs: Maybe, estimateMs: Maybe): string {
  if (!known(elapsedMs)) return MISSING;
  const elapsed = loadSeconds(Math.floor(Math.max(0, elapsedMs) / 1000));
  return known(estimateMs) ? `${elapsed} of ~${loadSeconds(Math.max(1, Math.round(estimateMs / 1000)))}` : elapsed;
}
