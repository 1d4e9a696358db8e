/**
 * Reads the plugin's settings from environment variables (plugin-config.md). Never throws:
 * a value that does not parse falls back to its default and yields a ConfigWarning.
 */
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { DEFAULT_KEY_VARIABLE, parseHostsSetting } from './hosts-setting.js';
import type { ConfigWarning, PlatformName, PluginConfig } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

export type ReadConfigOptions = { readonly home: string; readonly platform: PlatformName };

export type ConfigResult = { readonly config: PluginConfig; readonly warnings: readonly ConfigWarning[] };

/** Defaults kept from the Rust plugin so existing wrapper scripts keep working. */
export const CONFIG_DEFAULTS = {
  baseUrl: 'http://127.0.0.1',
  port: 45786,
  timeoutSecs: 1,
  streaming: true,
  chartWidth: 60,
  chartHeight: 20,
  historySize: 300,
  debug: false,
  logFile: '~/Library/Logs/LlamaSwap.log',
  configFile: '~/.llamaswap/config.yaml',
  serviceLabel: 'com.user.llama-swap',
  notifyFailedStart: true,
  notifyStopped: true,
  /** Off by default: an unload after the ttl is what the user configured, not news. */
  notifyTtlUnload: false,
} as const;

/**
 * Sane ranges of every number. Outside them a value falls back to its default with a warning:
 * a 1 ms timeout fails every poll, a 100,000-sample history costs memory and a file per save,
 * and charts taller than a menu line or wider than a menu are unreadable.
 */
export const SETTING_RANGES = {
  timeoutSecs: { min: 0.1, max: 60 },
  port: { min: 1, max: 65535 },
  chartWidth: { min: 20, max: 400 },
  chartHeight: { min: 10, max: 100 },
  historySize: { min: 10, max: 10_000 },
} as const;

/** Every LLAMA_SWAP_* variable the plugin reads (the API key is carried in its own file). */
export const SETTING_NAMES = [
  'LLAMA_SWAP_API_BASE_URL',
  'LLAMA_SWAP_API_PORT',
  'LLAMA_SWAP_API_TIMEOUT_SECS',
  'LLAMA_SWAP_API_KEY',
  'LLAMA_SWAP_STREAMING_MODE',
  'LLAMA_SWAP_CHART_WIDTH',
  'LLAMA_SWAP_CHART_HEIGHT',
  'LLAMA_SWAP_HISTORY_SIZE',
  'LLAMA_SWAP_DEBUG',
  'LLAMA_SWAP_LOG_FILE_PATH',
  'LLAMA_SWAP_CONFIG_FILE_PATH',
  'LLAMA_SWAP_SERVICE_LABEL',
  'LLAMA_SWAP_SHORTCUT',
  'LLAMA_SWAP_NOTIFY_FAILED_START',
  'LLAMA_SWAP_NOTIFY_STOPPED',
  'LLAMA_SWAP_NOTIFY_TTL_UNLOAD',
  'LLAMA_SWAP_HOSTS',
] as const;

/**
 * Set by the wrapper to its own absolute path, so menu items find it without SWIFTBAR_PLUGIN_PATH
 * (swiftbar/swiftbar-wrapper.ts writes it, cli/action-invoker.ts reads it).
 */
export const WRAPPER_PATH_VARIABLE = 'LLAMA_SWAP_SWIFTBAR_WRAPPER';

/** Set by the wrapper itself (where the key file is, its own path); never a user setting to carry. */
const WRAPPER_OWN = new Set(['LLAMA_SWAP_API_KEY', 'LLAMA_SWAP_KEY_FILE', WRAPPER_PATH_VARIABLE]);

const HOST_KEY_PREFIX = `${DEFAULT_KEY_VARIABLE}_`;

const APP_NAME = 'llama-swap-swiftbar';

type Collector = { readonly warnings: ConfigWarning[] };

function warn(c: Collector, variable: string, value: string, message: string): void {
  c.warnings.push({ variable, value, message: `${variable}=${JSON.stringify(value)}: ${message}` });
}

/** The trimmed value, or undefined when unset or blank. */
function raw(env: Env, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

function bool(env: Env, c: Collector, name: string, fallback: boolean): boolean {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const lower = v.toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  warn(c, name, v, `not a boolean (use true/false, 1/0, yes/no, on/off); using ${String(fallback)}`);
  return fallback;
}

function int(env: Env, c: Collector, name: string, fallback: number, min: number, max: number): number {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const n = /^[+]?\d+$/.test(v) ? Number(v) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  warn(c, name, v, `expected a whole number from ${min} to ${max}; using ${fallback}`);
  return fallback;
}

/** `~` and `~/…` expanded against home; other paths kept as they are. */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

function filePath(env: Env, c: Collector, name: string, fallback: string, home: string): string {
  const v = raw(env, name);
  if (v === undefined) return expandHome(fallback, home);
  if (v.includes('\0') || v.includes('\n')) {
    warn(c, name, v, `not a usable path; using ${fallback}`);
    return expandHome(fallback, home);
  }
  return expandHome(v, home);
}

function timeoutMs(env: Env, c: Collector): number {
  const name = 'LLAMA_SWAP_API_TIMEOUT_SECS';
  const v = raw(env, name);
  const fallback = CONFIG_DEFAULTS.timeoutSecs * 1000;
  if (v === undefined) return fallback;
  const n = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(v) ? Number(v) : Number.NaN;
  const { min, max } = SETTING_RANGES.timeoutSecs;
  if (Number.isFinite(n) && n >= min && n <= max) return Math.round(n * 1000);
  warn(c, name, v, `expected seconds from ${min} to ${max}; using ${CONFIG_DEFAULTS.timeoutSecs}`);
  return fallback;
}

type ParsedBase = { readonly origin: URL; readonly explicitPort: number | null };

function parseBase(v: string): ParsedBase | null {
  let url: URL;
  try {
    url = new URL(v.replace(/\/+$/, ''));
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return null;
  return { origin: url, explicitPort: url.port === '' ? null : Number(url.port) };
}

/** apiUrl = scheme + host + the effective port (the type contract: base URL + port). */
function apiAddress(env: Env, c: Collector): { readonly apiUrl: string; readonly apiPort: number } {
  const baseName = 'LLAMA_SWAP_API_BASE_URL';
  const portName = 'LLAMA_SWAP_API_PORT';
  const baseRaw = raw(env, baseName);
  let base = parseBase(CONFIG_DEFAULTS.baseUrl) as ParsedBase;
  if (baseRaw !== undefined) {
    const parsed = parseBase(baseRaw);
    if (parsed === null) {
      warn(c, baseName, baseRaw, `expected http(s)://host without a path; using ${CONFIG_DEFAULTS.baseUrl}`);
    } else base = parsed;
  }
  const portSet = raw(env, portName) !== undefined;
  const envPort = int(env, c, portName, CONFIG_DEFAULTS.port, SETTING_RANGES.port.min, SETTING_RANGES.port.max);
  // A port written in the base URL is used when LLAMA_SWAP_API_PORT is not set.
  const apiPort = !portSet && base.explicitPort !== null ? base.explicitPort : envPort;
  const url = new URL(base.origin.href);
  url.port = String(apiPort);
  // URL drops a scheme's default port (80/443); the origin then carries none, which is the same address.
  return { apiUrl: url.origin, apiPort };
}

function apiKey(env: Env, c: Collector): string | null {
  const name = 'LLAMA_SWAP_API_KEY';
  const v = raw(env, name);
  if (v === undefined) return null;
  // llama-swap keys cannot contain spaces; anything but printable ASCII cannot go in a header.
  if (!/^[!-~]+$/.test(v)) {
    warn(c, name, '(hidden)', 'contains spaces, control or non-ASCII characters; no key is sent');
    return null;
  }
  return v;
}

function serviceLabel(env: Env, c: Collector): string {
  const name = 'LLAMA_SWAP_SERVICE_LABEL';
  const v = raw(env, name);
  if (v === undefined) return CONFIG_DEFAULTS.serviceLabel;
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(v)) return v;
  warn(c, name, v, `expected a launchd label like ${CONFIG_DEFAULTS.serviceLabel}; using the default`);
  return CONFIG_DEFAULTS.serviceLabel;
}

const SHORTCUT_MODIFIERS = new Set(['shift', 'cmd', 'command', 'ctrl', 'control', 'opt', 'option', 'fn', 'function']);
const SHORTCUT_NAMED_KEYS = new Set(['space', 'return', 'tab', 'escape', 'delete', 'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown']);

/**
 * `cmd+shift+l`: modifiers as SwiftBar's MenuLineParameters.shortcut reads them and one key (a
 * letter, a digit, f1–f20 or a named key). At least one modifier other than shift: a bare key as
 * a global hot key would swallow that key in every application.
 */
export function shortcutProblem(value: string): string | null {
  const parts = value.toLowerCase().split('+').map((p) => p.trim());
  const keys = parts.filter((p) => !SHORTCUT_MODIFIERS.has(p));
  const mods = parts.filter((p) => SHORTCUT_MODIFIERS.has(p) && p !== 'shift');
  if (keys.length !== 1) return 'expected modifiers and one key, like cmd+shift+l';
  const key = keys[0] ?? '';
  if (!/^([a-z0-9]|f([1-9]|1[0-9]|20))$/.test(key) && !SHORTCUT_NAMED_KEYS.has(key)) return `unknown key ${JSON.stringify(key)}`;
  if (mods.length === 0) return 'needs cmd, ctrl, opt or fn';
  return null;
}

function shortcut(env: Env, c: Collector): string | null {
  const name = 'LLAMA_SWAP_SHORTCUT';
  const v = raw(env, name);
  if (v === undefined) return null;
  const problem = shortcutProblem(v);
  if (problem === null) return v.toLowerCase().replace(/\s+/g, '');
  warn(c, name, v, `${problem}; no shortcut`);
  return null;
}

function cacheDir(env: Env, c: Collector, opts: ReadConfigOptions): string {
  const name = 'SWIFTBAR_PLUGIN_CACHE_PATH';
  const v = raw(env, name);
  if (v !== undefined && !v.includes('\0') && !v.includes('\n')) return expandHome(v, opts.home);
  if (v !== undefined) warn(c, name, v, 'not a usable path; using the per-user cache folder');
  if (opts.platform === 'macos') return path.join(opts.home, 'Library', 'Caches', APP_NAME);
  const xdg = raw(env, 'XDG_CACHE_HOME');
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, APP_NAME);
  // env-paths reads the real home; re-root it on opts.home so tests stay in their temp folder.
  const real = envPaths(APP_NAME, { suffix: '' }).cache;
  const realHome = os.homedir();
  if (real.startsWith(realHome + path.sep)) return path.join(opts.home, real.slice(realHome.length + 1));
  return path.join(opts.home, '.cache', APP_NAME);
}

function appearance(env: Env, c: Collector): 'light' | 'dark' {
  const name = 'OS_APPEARANCE';
  const v = raw(env, name);
  if (v === undefined) return 'light';
  const lower = v.toLowerCase();
  if (lower === 'dark' || lower === 'light') return lower;
  warn(c, name, v, 'expected Light or Dark; using light');
  return 'light';
}

/** Parses every plugin setting; bad values fall back to defaults with a warning (the key's value is never echoed). */
export function readConfig(env: Env, opts: ReadConfigOptions): ConfigResult {
  const c: Collector = { warnings: [] };
  const { apiUrl, apiPort } = apiAddress(env, c);
  const config: PluginConfig = {
    apiUrl,
    apiPort,
    apiTimeoutMs: timeoutMs(env, c),
    apiKey: apiKey(env, c),
    streaming: bool(env, c, 'LLAMA_SWAP_STREAMING_MODE', CONFIG_DEFAULTS.streaming),
    chartWidth: int(env, c, 'LLAMA_SWAP_CHART_WIDTH', CONFIG_DEFAULTS.chartWidth, SETTING_RANGES.chartWidth.min, SETTING_RANGES.chartWidth.max),
    chartHeight: int(env, c, 'LLAMA_SWAP_CHART_HEIGHT', CONFIG_DEFAULTS.chartHeight, SETTING_RANGES.chartHeight.min, SETTING_RANGES.chartHeight.max),
    historySize: int(env, c, 'LLAMA_SWAP_HISTORY_SIZE', CONFIG_DEFAULTS.historySize, SETTING_RANGES.historySize.min, SETTING_RANGES.historySize.max),
    debug: bool(env, c, 'LLAMA_SWAP_DEBUG', CONFIG_DEFAULTS.debug),
    logFilePath: filePath(env, c, 'LLAMA_SWAP_LOG_FILE_PATH', CONFIG_DEFAULTS.logFile, opts.home),
    configFilePath: filePath(env, c, 'LLAMA_SWAP_CONFIG_FILE_PATH', CONFIG_DEFAULTS.configFile, opts.home),
    serviceLabel: serviceLabel(env, c),
    shortcut: shortcut(env, c),
    notify: {
      failedStart: bool(env, c, 'LLAMA_SWAP_NOTIFY_FAILED_START', CONFIG_DEFAULTS.notifyFailedStart),
      stopped: bool(env, c, 'LLAMA_SWAP_NOTIFY_STOPPED', CONFIG_DEFAULTS.notifyStopped),
      ttlUnload: bool(env, c, 'LLAMA_SWAP_NOTIFY_TTL_UNLOAD', CONFIG_DEFAULTS.notifyTtlUnload),
    },
    cacheDir: cacheDir(env, c, opts),
    appearance: appearance(env, c),
  };
  // The hosts themselves are read per use (host-config.ts); here their warnings join the others.
  c.warnings.push(...parseHostsSetting(env, config).warnings);
  return { config, warnings: c.warnings };
}

/** One line per warning for stderr (SwiftBar's log, a terminal): the menu shows the same. */
export function warningLines(warnings: readonly ConfigWarning[]): string {
  return warnings.map((w) => `llama-swap-swiftbar: ${w.message}\n`).join('');
}

/** A LLAMA_SWAP_* variable install-plugin leaves out of the wrapper, and why. */
export type DroppedSetting = { readonly variable: string; readonly reason: string };

/**
 * The LLAMA_SWAP_* settings worth writing into the plugin wrapper, sorted: known names whose
 * value readConfig accepts. Invalid values and unknown names (typos, other tools' variables) are
 * dropped with the reason; the API key and the wrapper's own variables are never carried.
 */
export function settingsToCarry(env: Env): { readonly kept: readonly (readonly [string, string])[]; readonly dropped: readonly DroppedSetting[] } {
  const known = new Set<string>(SETTING_NAMES);
  const kept: [string, string][] = [];
  const dropped: DroppedSetting[] = [];
  const names = Object.keys(env)
    // The per-host key variables go to the key file, like the default key.
    .filter((k) => k.startsWith('LLAMA_SWAP_') && !WRAPPER_OWN.has(k) && !k.startsWith(HOST_KEY_PREFIX) && typeof env[k] === 'string')
    .sort();
  for (const name of names) {
    const value = env[name] ?? '';
    if (!known.has(name)) {
      dropped.push({ variable: name, reason: 'not a setting of this plugin' });
      continue;
    }
    // Each value is checked alone, exactly as the plugin will read it.
    const { warnings } = readConfig({ [name]: value }, { home: '/', platform: 'linux' });
    const own = warnings.find((w) => w.variable === name);
    if (own !== undefined) dropped.push({ variable: name, reason: own.message.slice(own.message.indexOf(': ') + 2) });
    else if (!value.includes('\0')) kept.push([name, value]);
  }
  return { kept, dropped };
}
