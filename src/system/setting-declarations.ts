/**
 * Every user setting as SwiftBar 2.1's preferences show it: type, default and a one-line
 * description, written into the wrapper as `<xbar.var>` tags (PluginMetadata.parseVarTags).
 * SwiftBar passes each declared variable to the plugin, the user's value or else the declared
 * default, so the default declared is the value install-plugin recorded when there is one.
 */
import { CONFIG_DEFAULTS, SETTING_RANGES } from './config.js';

/** SwiftBar's variable types: `boolean` is a switch writing "true"/"false", `select` a picker. */
export type SettingType = 'string' | 'number' | 'boolean' | 'select';

export type SettingDeclaration = {
  readonly name: string;
  readonly type: SettingType;
  /** The plugin's own default, as text ("" for none). */
  readonly fallback: string;
  readonly description: string;
  /** The choices of a `select`. */
  readonly options?: readonly string[];
};

const r = SETTING_RANGES;

/**
 * Declared in this order. Not declared: the API key (it stays in its 0600 file, never in
 * SwiftBar's plain-text vars.json) and LLAMA_SWAP_STREAMING_MODE (the wrapper's name and
 * metadata fix the mode at install time; flipping it in the preferences would freeze the menu).
 */
export const SETTING_DECLARATIONS: readonly SettingDeclaration[] = [
  { name: 'LLAMA_SWAP_API_BASE_URL', type: 'string', fallback: CONFIG_DEFAULTS.baseUrl, description: 'Scheme and host of the llama-swap API' },
  { name: 'LLAMA_SWAP_API_PORT', type: 'number', fallback: String(CONFIG_DEFAULTS.port), description: `Port of the llama-swap API (${r.port.min}-${r.port.max})` },
  { name: 'LLAMA_SWAP_HOSTS', type: 'string', fallback: '', description: 'Several llama-swaps to watch: name=url,name=url (empty: the one above)' },
  { name: 'LLAMA_SWAP_API_TIMEOUT_SECS', type: 'number', fallback: String(CONFIG_DEFAULTS.timeoutSecs), description: `Timeout of one API request in seconds (${r.timeoutSecs.min}-${r.timeoutSecs.max})` },
  { name: 'LLAMA_SWAP_CHART_WIDTH', type: 'number', fallback: String(CONFIG_DEFAULTS.chartWidth), description: `Sparkline width in points (${r.chartWidth.min}-${r.chartWidth.max})` },
  { name: 'LLAMA_SWAP_CHART_HEIGHT', type: 'number', fallback: String(CONFIG_DEFAULTS.chartHeight), description: `Sparkline height in points (${r.chartHeight.min}-${r.chartHeight.max})` },
  { name: 'LLAMA_SWAP_HISTORY_SIZE', type: 'number', fallback: String(CONFIG_DEFAULTS.historySize), description: `Samples kept per chart (${r.historySize.min}-${r.historySize.max})` },
  { name: 'LLAMA_SWAP_SHORTCUT', type: 'string', fallback: '', description: 'Keyboard shortcut that opens the menu, e.g. cmd+shift+l (empty: none)' },
  { name: 'LLAMA_SWAP_NOTIFY_FAILED_START', type: 'boolean', fallback: String(CONFIG_DEFAULTS.notifyFailedStart), description: 'Notify when a model fails to start' },
  { name: 'LLAMA_SWAP_NOTIFY_STOPPED', type: 'boolean', fallback: String(CONFIG_DEFAULTS.notifyStopped), description: 'Notify when llama-swap stops unasked and when it is back' },
  { name: 'LLAMA_SWAP_NOTIFY_TTL_UNLOAD', type: 'boolean', fallback: String(CONFIG_DEFAULTS.notifyTtlUnload), description: 'Notify when a model unloads after its ttl' },
  { name: 'LLAMA_SWAP_DEBUG', type: 'boolean', fallback: String(CONFIG_DEFAULTS.debug), description: "Debug log on stderr (in SwiftBar's log)" },
  { name: 'LLAMA_SWAP_LOG_FILE_PATH', type: 'string', fallback: CONFIG_DEFAULTS.logFile, description: "llama-swap's log file" },
  { name: 'LLAMA_SWAP_CONFIG_FILE_PATH', type: 'string', fallback: CONFIG_DEFAULTS.configFile, description: "llama-swap's configuration file" },
  { name: 'LLAMA_SWAP_SERVICE_LABEL', type: 'string', fallback: CONFIG_DEFAULTS.serviceLabel, description: 'LaunchAgent label of the llama-swap service' },
];

/** A value SwiftBar's tag syntax can carry: `type(NAME="value")` ends at the first `"`, and tags at `<`. */
export function declarable(value: string): boolean {
  return !/["<>\n\r]/.test(value);
}

/** Booleans are declared as SwiftBar's switch writes them ("true"/"false"), whatever spelling was recorded. */
function declaredValue(d: SettingDeclaration, recorded: string | undefined): string {
  if (recorded === undefined) return d.fallback;
  if (d.type !== 'boolean') return recorded;
  return ['1', 'true', 'yes', 'on'].includes(recorded.trim().toLowerCase()) ? 'true' : 'false';
}

/** One `<xbar.var>` line per setting; a recorded value the tag cannot carry leaves its variable to the wrapper alone. */
export function varTags(recorded: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  for (const d of SETTING_DECLARATIONS) {
    const value = declaredValue(d, recorded.get(d.name));
    if (!declarable(value)) continue;
    const options = d.options === undefined ? '' : ` [${d.options.join(', ')}]`;
    lines.push(`# <xbar.var>${d.type}(${d.name}="${value}"): ${d.description}${options}</xbar.var>`);
  }
  return lines;
}
