/**
 * `--help`: how to run the menu itself, every action and command with what it does, and every
 * setting with its default. The settings table is the one place the CLI describes them; a test
 * checks it names every variable that config.ts reads.
 */
import { CONFIG_DEFAULTS } from '../config.js';
import { ACTIONS, ACTION_ALIASES_NOTE } from './actions.js';

export type SettingHelp = { readonly name: string; readonly fallback: string; readonly meaning: string };

/** Every LLAMA_SWAP_* variable the plugin reads, with its default. */
export const SETTINGS_HELP: readonly SettingHelp[] = [
  { name: 'LLAMA_SWAP_API_BASE_URL', fallback: CONFIG_DEFAULTS.baseUrl, meaning: 'scheme and host of the llama-swap API' },
  { name: 'LLAMA_SWAP_API_PORT', fallback: String(CONFIG_DEFAULTS.port), meaning: 'its port' },
  { name: 'LLAMA_SWAP_API_TIMEOUT_SECS', fallback: String(CONFIG_DEFAULTS.timeoutSecs), meaning: 'timeout of one API request, seconds' },
  { name: 'LLAMA_SWAP_API_KEY', fallback: '(unset)', meaning: 'for a llama-swap with apiKeys; install-plugin stores it in a 0600 key file the wrapper reads' },
  { name: 'LLAMA_SWAP_STREAMING_MODE', fallback: String(CONFIG_DEFAULTS.streaming), meaning: 'false: print one frame and exit (SwiftBar reruns it)' },
  { name: 'LLAMA_SWAP_CHART_WIDTH', fallback: String(CONFIG_DEFAULTS.chartWidth), meaning: 'sparkline width, points' },
  { name: 'LLAMA_SWAP_CHART_HEIGHT', fallback: String(CONFIG_DEFAULTS.chartHeight), meaning: 'sparkline height, points' },
  { name: 'LLAMA_SWAP_HISTORY_SIZE', fallback: String(CONFIG_DEFAULTS.historySize), meaning: 'samples kept per series' },
  { name: 'LLAMA_SWAP_DEBUG', fallback: String(CONFIG_DEFAULTS.debug), meaning: 'debug log on stderr' },
  { name: 'LLAMA_SWAP_LOG_FILE_PATH', fallback: CONFIG_DEFAULTS.logFile, meaning: "llama-swap's log" },
  { name: 'LLAMA_SWAP_CONFIG_FILE_PATH', fallback: CONFIG_DEFAULTS.configFile, meaning: "llama-swap's configuration" },
  { name: 'LLAMA_SWAP_SERVICE_LABEL', fallback: CONFIG_DEFAULTS.serviceLabel, meaning: 'LaunchAgent label' },
  { name: 'LLAMA_SWAP_SHORTCUT', fallback: '(unset)', meaning: 'key that opens the menu, e.g. cmd+shift+l' },
  { name: 'LLAMA_SWAP_NOTIFY_FAILED_START', fallback: String(CONFIG_DEFAULTS.notifyFailedStart), meaning: 'notify when a model fails to start' },
  { name: 'LLAMA_SWAP_NOTIFY_STOPPED', fallback: String(CONFIG_DEFAULTS.notifyStopped), meaning: 'notify when llama-swap stops unasked, and when it is back' },
  { name: 'LLAMA_SWAP_NOTIFY_TTL_UNLOAD', fallback: String(CONFIG_DEFAULTS.notifyTtlUnload), meaning: 'notify when a model is unloaded by its ttl' },
  {
    name: 'LLAMA_SWAP_HOSTS',
    fallback: '(unset)',
    meaning: 'several llama-swaps, name=url,name=url; keys in LLAMA_SWAP_API_KEY_<NAME> (stored in the key file by install-plugin)',
  },
];

const COLUMN = 36;
const row = (left: string, right: string): string => (left.length < COLUMN ? `  ${left.padEnd(COLUMN)}${right}` : `  ${left}\n  ${' '.repeat(COLUMN)}${right}`);

/** The whole help text; `cli` is how the program was named (the runnable command when known). */
export function helpText(cli: string): string {
  const actions = Object.entries(ACTIONS).map(([name, spec]) => row(spec.args ? `${name} ${spec.argsUsage}` : name, spec.summary));
  return [
    `usage: ${cli} [--once | --stream]`,
    `       ${cli} [--host NAME] <action> [args]`,
    `       ${cli} <command> [flags]`,
    '',
    'the menu (no action):',
    row('(nothing)', 'stream a frame per change, separated by ~~~ (SwiftBar streamable)'),
    row('--once', 'print one frame and exit (as LLAMA_SWAP_STREAMING_MODE=false)'),
    row('--stream', 'stream even when LLAMA_SWAP_STREAMING_MODE=false'),
    '',
    'menu actions (what the menu items run; each prints one line and records it for the menu;',
    '--host NAME sends it to that host of LLAMA_SWAP_HOSTS; service actions act on this computer only):',
    ...actions,
    '',
    'commands:',
    row('install-plugin [--dir D] [--name N] [--entry F]', "write the wrapper into SwiftBar's plugin folder (creating it), and the API key file"),
    row('uninstall-plugin [--dir D] [--name N]', 'remove exactly what install-plugin wrote'),
    row('doctor [--dir D]', 'check everything and print a runnable fix for each problem'),
    row('demo [flags]', 'the live menu in this terminal, against the built-in simulator when no llama-swap answers (demo --help)'),
    row('help, --help, -h', 'this text'),
    row('--version, -V', 'the version of this package'),
    `  ${ACTION_ALIASES_NOTE}`,
    '',
    'settings (environment variables; install-plugin copies the ones set into the wrapper):',
    ...SETTINGS_HELP.map((s) => row(`${s.name}=${s.fallback}`, s.meaning)),
    '',
  ].join('\n');
}
