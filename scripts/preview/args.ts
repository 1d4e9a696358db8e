/** Pure command-line parsing for `npm run preview`. */
import { oneOf, parseCommandLine, UsageError, type CommandLine } from '../cli-args.js';
import type { Appearance } from './colors.js';

export type PreviewArgs = {
  readonly list: boolean;
  readonly story?: string;
  readonly raw: boolean;
  /** With --raw: whole base64 images instead of abbreviations. */
  readonly full: boolean;
  /** The SwiftBar source beside each drawing. */
  readonly source: boolean;
  readonly appearance?: Appearance;
  readonly live: boolean;
  readonly url?: string;
};

export const USAGE = `usage: npm run preview -- [options]
  --list                   story names with what each shows
  --story NAME             only stories whose name is NAME or contains it (any case)
  --source                 the SwiftBar text beside each drawing
  --raw                    the SwiftBar text instead of the drawing (images abbreviated)
  --full                   with --raw or --source: whole base64 images
  --appearance light|dark  override each story's appearance
  --live [--url URL]       run the plugin (streaming) and redraw each frame in place
  --help`;

const OPTIONS = {
  list: { type: 'boolean' },
  story: { type: 'string' },
  raw: { type: 'boolean' },
  full: { type: 'boolean' },
  source: { type: 'boolean' },
  appearance: { type: 'string' },
  live: { type: 'boolean' },
  url: { type: 'string' },
} as const;

/** Parses argv (without node and script); never throws. */
export function parsePreviewArgs(argv: readonly string[]): CommandLine<PreviewArgs> {
  return parseCommandLine(argv, {
    options: OPTIONS,
    build: (v): PreviewArgs => {
      const { story, url } = v;
      if (story === '') throw new UsageError('--story needs a NAME');
      if (url !== undefined && !/^https?:\/\/[^/]+/.test(url)) throw new UsageError('--url needs an http(s)://host:port URL');
      if (url !== undefined && v.live !== true) throw new UsageError('--url only goes with --live');
      const appearance = oneOf('--appearance', v.appearance, ['light', 'dark'] as const);
      return {
        list: v.list === true, raw: v.raw === true, full: v.full === true, source: v.source === true, live: v.live === true,
        ...(story === undefined ? {} : { story }), ...(appearance === undefined ? {} : { appearance }), ...(url === undefined ? {} : { url }),
      };
    },
  });
}

/** The plugin's environment variables for an API URL (spec: base URL and port are separate). */
export function apiEnvFor(url: string): Record<string, string> {
  const parsed = new URL(url);
  const port = parsed.port !== '' ? parsed.port : parsed.protocol === 'https:' ? '443' : '80';
  return { LLAMA_SWAP_API_BASE_URL: `${parsed.protocol}//${parsed.hostname}`, LLAMA_SWAP_API_PORT: port };
}
