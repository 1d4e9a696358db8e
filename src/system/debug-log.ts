/**
 * Debug logging on demand (LLAMA_SWAP_DEBUG): one line per event on stderr, which SwiftBar keeps
 * in its log; stdout carries the menu and must never see these lines. Off by default, and then a
 * no-op that formats nothing. The API key is scrubbed from every line, as is any bearer token.
 */

/** Fields of one event; values are printed with JSON.stringify (strings quoted). */
export type DebugFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Logs one event, e.g. `debug('running', { ok: true, models: 2 })`. */
export type DebugLog = {
  (event: string, fields?: DebugFields): void;
  /** True when lines are written (lets callers skip building costly fields). */
  readonly enabled: boolean;
};

export type DebugLogOptions = {
  readonly enabled: boolean;
  /** Texts never to print (the API key). */
  readonly secrets?: readonly (string | null | undefined)[];
  /** @default process.stderr.write */
  readonly write?: (line: string) => void;
  /** @default Date.now */
  readonly clock?: () => number;
};

const PREFIX = 'llama-swap-swiftbar debug';
/** Longest value printed; server text can be long (an HTML error page). */
const MAX_VALUE = 300;

const off: DebugLog = Object.assign((): void => undefined, { enabled: false as const });

/** The logger that writes nothing. */
export const NO_DEBUG: DebugLog = off;

function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(bearer\s+)[^\s"',;]+/gi, '$1***');
  for (const secret of secrets) out = out.split(secret).join('***');
  // One event, one line: a server message may hold line breaks.
  return out.replace(/[\r\n]+/g, ' ');
}

function valueText(value: DebugFields[string]): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

function stderrWriter(): (line: string) => void {
  // A closed stderr (SwiftBar gone) reports EPIPE as an event; unheard it would crash the plugin.
  process.stderr.on('error', () => undefined);
  return (line) => void process.stderr.write(line);
}

/** Builds the logger; disabled it is NO_DEBUG. Never throws, even when stderr is gone. */
export function createDebugLog(options: DebugLogOptions): DebugLog {
  if (!options.enabled) return NO_DEBUG;
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s !== '');
  const write = options.write ?? stderrWriter();
  const clock = options.clock ?? Date.now;
  const log = (event: string, fields: DebugFields = {}): void => {
    const parts = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${valueText(v)}`);
    const line = scrub([new Date(clock()).toISOString(), PREFIX, event, ...parts].join(' '), secrets);
    try {
      write(`${line}\n`);
    } catch {
      // A closed stderr must not take the menu down.
    }
  };
  return Object.assign(log, { enabled: true as const });
}
