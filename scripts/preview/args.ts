/** Pure command-line parsing for `npm run preview`. */
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
  readonly help: boolean;
};

export type ParsedArgs = { readonly ok: true; readonly args: PreviewArgs } | { readonly ok: false; readonly error: string };

export const USAGE = `usage: npm run preview -- [options]
  --list                   story names with what each shows
  --story NAME             only stories whose name is NAME or contains it (any case)
  --source                 the SwiftBar text beside each drawing
  --raw                    the SwiftBar text instead of the drawing (images abbreviated)
  --full                   with --raw or --source: whole base64 images
  --appearance light|dark  override each story's appearance
  --live [--url URL]       run the plugin (streaming) and redraw each frame in place
  --help`;

/** Parses argv (without node and script); never throws. */
export function parsePreviewArgs(argv: readonly string[]): ParsedArgs {
  let list = false;
  let raw = false;
  let full = false;
  let source = false;
  let live = false;
  let help = false;
  let story: string | undefined;
  let appearance: Appearance | undefined;
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--list': list = true; break;
      case '--raw': raw = true; break;
      case '--full': full = true; break;
      case '--source': source = true; break;
      case '--live': live = true; break;
      case '--help': case '-h': help = true; break;
      case '--story': {
        story = value();
        if (story === undefined || story === '') return { ok: false, error: '--story needs a NAME' };
        break;
      }
      case '--url': {
        url = value();
        if (url === undefined || !/^https?:\/\/[^/]+/.test(url)) return { ok: false, error: '--url needs an http(s)://host:port URL' };
        break;
      }
      case '--appearance': {
        const v = value();
        if (v !== 'light' && v !== 'dark') return { ok: false, error: '--appearance must be light or dark' };
        appearance = v;
        break;
      }
      default:
        return { ok: false, error: `unknown option ${arg}` };
    }
  }
  if (url !== undefined && !live) return { ok: false, error: '--url only goes with --live' };
  return {
    ok: true,
    args: { list, raw, full, source, live, help, ...(story === undefined ? {} : { story }), ...(appearance === undefined ? {} : { appearance }), ...(url === undefined ? {} : { url }) },
  };
}

/** The plugin's environment variables for an API URL (spec: base URL and port are separate). */
export function apiEnvFor(url: string): Record<string, string> {
  const parsed = new URL(url);
  const port = parsed.port !== '' ? parsed.port : parsed.protocol === 'https:' ? '443' : '80';
  return { LLAMA_SWAP_API_BASE_URL: `${parsed.protocol}//${parsed.hostname}`, LLAMA_SWAP_API_PORT: port };
}
