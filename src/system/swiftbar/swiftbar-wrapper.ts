/**
 * The one small file put in SwiftBar's plugin folder: a POSIX sh wrapper carrying the SwiftBar
 * metadata and the user's LLAMA_SWAP_* settings, which finds node even under SwiftBar's minimal
 * PATH and `exec`s it (so SIGTERM reaches node). Pure: the text is a function of the spec.
 */
import { WRAPPER_PATH_VARIABLE } from '../config.js';
import { varTags } from '../setting-declarations.js';

export type WrapperSpec = {
  /** Node binaries tried in order before the runtime fallbacks (first: the installing node). */
  readonly nodeCandidates: readonly string[];
  /** Absolute path of the bundled entry (dist/main.js). */
  readonly entry: string;
  /** Project root: the tsx fallback runs `<projectDir>/src/main.tsx` when the bundle is missing. */
  readonly projectDir: string;
  /**
   * The entry belongs to an installed npm package, not a source checkout: when it is gone (the
   * package was reinstalled under another node) the wrapper looks for the package where
   * `npm install -g` puts it beside the node it found, then in Volta's package folder, instead of
   * falling back to sources. Default false.
   */
  readonly installedPackage?: boolean;
  /**
   * LLAMA_SWAP_* values recorded at install (never the API key): declared as the defaults of
   * SwiftBar's preferences, and exported only when the variable is not already set.
   */
  readonly env: readonly (readonly [string, string])[];
  /** File holding the API key (mode 0600), read at start when LLAMA_SWAP_API_KEY is unset. */
  readonly keyFile: string | null;
  readonly streaming: boolean;
  readonly version: string;
};

/**
 * V8 flags for the long-running plugin: a 1 MB young generation (default up to 16 MB per
 * semi-space) keeps RSS ~30 MB lower while streaming, at no measurable CPU cost (npm run bench).
 */
export const NODE_FLAGS = ['--max-semi-space-size=1'] as const;

/** Marks files this project wrote, so uninstall never removes someone else's plugin. */
export const WRAPPER_MARKER = '# llama-swap-swiftbar wrapper';

/** Default wrapper names: streamable ignores the interval; one-shot mode refreshes every 5 s. */
export function defaultWrapperName(streaming: boolean): string {
  return streaming ? 'llama-swap.streamable.sh' : 'llama-swap.5s.sh';
}

/** Single-quotes a value for sh (`'` becomes `'\''`). */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function metadata(spec: WrapperSpec): string[] {
  const tags: [string, string][] = [
    ['xbar.title', 'llama-swap'],
    ['xbar.version', spec.version],
    ['xbar.author', 'llama-swap-swiftbar'],
    ['xbar.desc', 'Monitor and control llama-swap: models, tokens/s, memory, service.'],
    ['xbar.dependencies', 'node,llama-swap'],
  ];
  if (spec.streaming) {
    tags.push(['swiftbar.type', 'streamable'], ['swiftbar.useTrailingStreamSeparator', 'true']);
  }
  tags.push(
    ['swiftbar.runInBash', 'false'],
    ['swiftbar.hideAbout', 'true'],
    ['swiftbar.hideRunInTerminal', 'true'],
    ['swiftbar.hideLastUpdated', 'true'],
    ['swiftbar.hideDisablePlugin', 'true'],
    ['swiftbar.hideSwiftBar', 'true'],
  );
  const lines = tags.map(([k, v]) => `# <${k}>${v.replace(/[<>\n]/g, ' ')}</${k}>`);
  // SwiftBar 2.1 lists these in its preferences and passes them, the user's value last.
  return [...lines, ...varTags(new Map(spec.env))];
}

/** npm's name of this package: its folder under a global prefix's lib/node_modules. */
const PACKAGE = 'llama-swap-swiftbar';

/** The lines that run the entry with "$NODE", from a source checkout or an installed package. */
function runLines(spec: WrapperSpec, sep: string): string[] {
  const run = `exec "$NODE" ${NODE_FLAGS.join(' ')}`;
  if (spec.installedPackage !== true) {
    return [
      `ENTRY=${shQuote(spec.entry)}`,
      `if [ -f "$ENTRY" ]; then ${run} "$ENTRY" "$@"; fi`,
      '# No bundle yet: run the TypeScript sources through tsx from the project folder.',
      `cd ${shQuote(spec.projectDir)} && ${run} --import tsx ${shQuote(`${spec.projectDir}/src/main.tsx`)} "$@"`,
    ];
  }
  return [
    '# The installed package; else the same package beside the node found above (npm install -g',
    "# under Homebrew's node, nvm or fnm), else in Volta's package folder.",
    `for ENTRY in ${shQuote(spec.entry)} "\${NODE%/bin/node}/lib/node_modules/${PACKAGE}/dist/main.js" \\`,
    `  "$HOME/.volta/tools/image/packages/${PACKAGE}/lib/node_modules/${PACKAGE}/dist/main.js"; do`,
    `  if [ -f "$ENTRY" ]; then ${run} "$ENTRY" "$@"; fi`,
    'done',
    `if [ "$#" -gt 0 ]; then echo "${PACKAGE}: the package is not installed any more" >&2; exit 127; fi`,
    "echo 'llama-swap ⚠ | color=red'",
    "echo '---'",
    `echo '${PACKAGE} is not installed any more: npm install -g it again, then run ${PACKAGE} install-plugin'`,
    `${sep.replace(/^ {2}/, '')}exit 0`,
  ];
}

/** The wrapper script's full text. */
export function wrapperScript(spec: WrapperSpec): string {
  const sep = spec.streaming ? "  echo '~~~'\n" : '';
  const lines = [
    '#!/bin/sh',
    `${WRAPPER_MARKER} (written by \`llama-swap-swiftbar install-plugin\`; run it again to update).`,
    '# SwiftBar runs this file directly (runInBash=false): no login shell, so nothing a profile',
    '# prints can corrupt the menu, and the node process below receives SwiftBar\'s signals.',
    ...metadata(spec),
    '',
    // A value in the environment (SwiftBar's preferences, a terminal) wins over the recorded one.
    ...spec.env.filter(([k]) => /^[A-Z_][A-Z0-9_]*$/.test(k)).map(([k, v]) => `if [ -z "\${${k}+set}" ]; then export ${k}=${shQuote(v)}; fi`),
    '# Menu items run this file again: its own path, for when SWIFTBAR_PLUGIN_PATH is not set.',
    `case $0 in /*) ${WRAPPER_PATH_VARIABLE}=$0 ;; *) ${WRAPPER_PATH_VARIABLE}=$(pwd)/$0 ;; esac`,
    `export ${WRAPPER_PATH_VARIABLE}`,
  ];
  if (spec.keyFile !== null) {
    lines.push(
      `LLAMA_SWAP_KEY_FILE=${shQuote(spec.keyFile)}`,
      'if [ -z "${LLAMA_SWAP_API_KEY:-}" ] && [ -r "$LLAMA_SWAP_KEY_FILE" ]; then',
      '  IFS= read -r LLAMA_SWAP_API_KEY < "$LLAMA_SWAP_KEY_FILE"',
      '  export LLAMA_SWAP_API_KEY',
      'fi',
    );
  }
  lines.push(
    '',
    'NODE=',
    `for c in ${spec.nodeCandidates.map(shQuote).join(' ')} /opt/homebrew/bin/node /usr/local/bin/node \\`,
    '  "$HOME/.volta/bin/node" "$HOME/.local/share/fnm/aliases/default/bin/node" \\',
    '  "$HOME/Library/Application Support/fnm/aliases/default/bin/node" "$HOME"/.nvm/versions/node/*/bin/node; do',
    '  if [ -z "$NODE" ] && [ -x "$c" ]; then NODE=$c; fi',
    'done',
    'if [ -z "$NODE" ]; then NODE=$(command -v node 2>/dev/null || true); fi',
    'if [ -z "$NODE" ]; then',
    '  if [ "$#" -gt 0 ]; then echo "llama-swap-swiftbar: node not found" >&2; exit 127; fi',
    "  echo 'llama-swap ⚠ | color=red'",
    "  echo '---'",
    "  echo 'Node.js 20+ not found: install it (brew install node), then run install-plugin again'",
    `${sep}  exit 0`,
    'fi',
    '',
    ...runLines(spec, sep),
    '',
  );
  return lines.join('\n');
}
