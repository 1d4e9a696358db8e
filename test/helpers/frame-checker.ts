/**
 * Structural checks of one SwiftBar frame, a TypeScript port of the essential errors and
 * warnings of swiftbar-lint.py: a title line first, a plain `---` after the header, SwiftBar's
 * tokenizer with nothing dropped (stray `|`, bare words, unbalanced quotes, empty keys, repeated
 * keys), known parameter names only, `paramN` only with `bash=`, absolute `bash=`, colours,
 * PNG images, separators without parameters or trailing spaces, no depth jumps and no orphans
 * (children of a separator, which SwiftBar drops), no `~~~` inside the frame.
 */
import { SWIFTBAR_COLOR_NAMES } from '../../src/reconciler/css-colors.js';

/** One problem: the 1-based line inside the frame, a lint code and words. */
export type FrameProblem = { readonly line: number; readonly code: string; readonly message: string };

type Entry = { readonly key: string; readonly value: string; readonly closed: boolean };
type Tokenized = { readonly entries: readonly Entry[]; readonly leftover: string | null };

const NEWLINE = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/;
const SWIFT_WS = /[\t\p{Zs}]/u;
const SEPARATOR = /^(?:--)*---$/;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Every parameter SwiftBar 2.1 reads (MenuLineParameters.swift); keys are lower-case. */
const KNOWN_PARAMS = new Set([
  'href', 'bash', 'shell', 'stdin', 'terminal', 'refresh', 'dropdown', 'length', 'trim',
  'alternate', 'emojize', 'ansi', 'color', 'font', 'size', 'sfcolor', 'sfsize', 'sfimage',
  'sfconfig', 'sfvalue', 'image', 'templateimage', 'width', 'height', 'tooltip', 'checked',
  'symbolize', 'md', 'valign', 'shortcut', 'webview', 'webvieww', 'webviewh', 'disabled', 'fold',
  ...Array.from({ length: 10 }, (_, i) => `sfcolor${i + 1}`),
]);

function swiftTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && SWIFT_WS.test(text[start] ?? '')) start++;
  while (end > start && SWIFT_WS.test(text[end - 1] ?? '')) end--;
  return text.slice(start, end);
}

/** SwiftBar's key=value scanner, keeping what the plain parser hides (unclosed quotes, leftovers). */
function tokenize(text: string): Tokenized {
  const entries: Entry[] = [];
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    while (pos < n && (text[pos] === ' ' || text[pos] === '\t')) pos++;
    if (pos >= n) break;
    const eq = text.indexOf('=', pos);
    if (eq < 0) return { entries, leftover: text.slice(pos) };
    const key = swiftTrim(text.slice(pos, eq)).toLowerCase();
    pos = eq + 1;
    while (pos < n && (text[pos] === ' ' || text[pos] === '\t')) pos++;
    const quote = text[pos];
    let value = '';
    let closed = true;
    if (quote === '"' || quote === "'") {
      closed = false;
      pos++;
      let escaped = false;
      for (; pos < n; pos++) {
        const c = text[pos] ?? '';
        if (escaped) {
          value += `\\${c}`;
          escaped = false;
        } else if (c === '\\') escaped = true;
        else if (c === quote) {
          pos++;
          closed = true;
          break;
        } else value += c;
      }
    } else {
      const start = pos;
      while (pos < n && text[pos] !== ' ' && text[pos] !== '\t') pos++;
      value = text.slice(start, pos);
    }
    entries.push({ key, value, closed });
  }
  return { entries, leftover: null };
}

function colorProblems(key: string, value: string): string[] {
  const parts = value.split(',');
  if (parts.length > 2) return [`${key}=${value}: more than a light,dark pair`];
  const out: string[] = [];
  for (const part of parts) {
    const probe = key === 'color' ? part.toLowerCase() : part;
    if (/^#[0-9a-fA-F]{6}$/.test(probe) || SWIFTBAR_COLOR_NAMES.has(probe)) continue;
    out.push(`${key}=${value}: ${JSON.stringify(part)} is neither #RRGGBB nor a SwiftBar colour name`);
  }
  return out;
}

function imageProblem(key: string, value: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return `${key}= is not standard padded base64`;
  const bytes = Buffer.from(value, 'base64');
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return `${key}= is not a PNG`;
  if (!bytes.includes(Buffer.from('IEND'))) return `${key}= PNG has no IEND chunk`;
  return null;
}

function lineProblems(text: string, inHeader: boolean): { code: string; message: string }[] {
  const out: { code: string; message: string }[] = [];
  const cut = text.indexOf('|');
  if (cut < 0) return out;
  const { entries, leftover } = tokenize(swiftTrim(text.slice(cut + 1)));
  if (leftover !== null) {
    out.push({ code: entries.length === 0 ? 'stray-pipe' : 'dangling-text', message: `text without '=' is dropped: ${JSON.stringify(leftover.slice(0, 60))}` });
  }
  const seen = new Set<string>();
  const params = new Map<string, string>();
  for (const e of entries) {
    if (e.key.includes('|')) out.push({ code: 'pipe-in-params', message: `key ${JSON.stringify(e.key)} holds a '|'` });
    else if (SWIFT_WS.test(e.key)) out.push({ code: 'bare-word', message: `key ${JSON.stringify(e.key)} holds a bare word` });
    else if (e.key === '') out.push({ code: 'empty-key', message: `'=${e.value}' has no key` });
    if (!e.closed) out.push({ code: 'unbalanced-quote', message: `${e.key}= opens a quote that never closes` });
    if (seen.has(e.key)) out.push({ code: 'duplicate-param', message: `${e.key}= given twice` });
    seen.add(e.key);
    params.set(e.key, e.value);
  }
  for (const [key, value] of params) {
    if (key.startsWith('param')) {
      if (!/^param\d+$/.test(key)) out.push({ code: 'param-name', message: `${key}= is not paramN` });
      continue;
    }
    if (!KNOWN_PARAMS.has(key)) out.push({ code: 'unknown-param', message: `unknown parameter ${JSON.stringify(key)}` });
    if (key === 'color' || /^sfcolor\d*$/.test(key)) for (const m of colorProblems(key, value)) out.push({ code: 'bad-color', message: m });
    if (key === 'bash' && !value.startsWith('/')) out.push({ code: 'bad-bash', message: `bash=${value} is not an absolute path` });
    if (key === 'image' || key === 'templateimage') {
      const problem = imageProblem(key, value);
      if (problem) out.push({ code: 'bad-image', message: problem });
    }
    if (key === 'length' && !/^\d+$/.test(value)) out.push({ code: 'bad-number', message: `length=${value}` });
  }
  if ([...params.keys()].some((k) => k.startsWith('param')) && !params.has('bash')) {
    out.push({ code: 'params-unused', message: 'paramN= without bash=' });
  }
  if (inHeader && (params.has('bash') || params.has('stdin') || (params.get('href') ?? '.') !== '.')) {
    out.push({ code: 'header-action', message: 'a header line has an action' });
  }
  return out;
}

function isHidden(text: string): boolean {
  const cut = text.indexOf('|');
  if (cut < 0) return false;
  return tokenize(swiftTrim(text.slice(cut + 1))).entries.some((e) => e.key === 'dropdown' && e.value.toLowerCase() === 'false');
}

function depthOf(line: string): { depth: number; separator: boolean; rest: string } {
  if (line === '---') return { depth: 0, separator: true, rest: line };
  let rest = line;
  let depth = 0;
  while (rest.startsWith('--')) {
    rest = rest.slice(2);
    depth++;
    if (rest === '---') break;
  }
  return { depth, separator: rest === '---', rest };
}

/** Every structural problem of one frame (text between two `~~~` lines); empty when it is well-formed. */
export function checkFrame(frame: string): FrameProblem[] {
  const problems: FrameProblem[] = [];
  const add = (line: number, code: string, message: string): void => void problems.push({ line, code, message });
  const lines = frame.split(NEWLINE).map((text, i) => ({ n: i + 1, text })).filter((l) => l.text !== '');
  if (lines.length === 0 || lines.every((l) => swiftTrim(l.text) === '')) return [{ line: 1, code: 'empty-frame', message: 'empty frame' }];
  if (frame.includes('\uFFFD')) add(1, 'invalid-utf8', 'frame holds U+FFFD (invalid UTF-8 on stdout?)');
  for (const l of lines) if (l.text.includes('~~~')) add(l.n, 'tilde-in-line', 'line contains ~~~');

  const split = lines.findIndex((l) => l.text.startsWith('---'));
  const header = split < 0 ? lines : lines.slice(0, split);
  const body = split < 0 ? [] : lines.slice(split);
  const first = header[0];
  if (!first) add(lines[0]?.n ?? 1, 'no-header', 'the frame starts with ---: no title line');
  else {
    const cut = first.text.indexOf('|');
    const title = swiftTrim(cut < 0 ? first.text : first.text.slice(0, cut));
    if (title === '' && !/\b(image|templateimage|sfimage)=/i.test(first.text)) add(first.n, 'empty-header', 'empty menu-bar title');
  }
  for (const l of header) {
    if (l.text.startsWith('--')) add(l.n, 'header-submenu', 'header line starts with --');
    for (const p of lineProblems(l.text, true)) add(l.n, p.code, p.message);
  }
  if (body[0] && body[0].text !== '---') add(body[0].n, 'header-split', `the body starts with ${JSON.stringify(body[0].text.slice(0, 40))}`);

  // The tree walk: the innermost open node per depth, to find children of separators.
  const stack: { depth: number; separator: boolean }[] = [];
  let previousDepth = 0;
  for (const l of body) {
    const { depth, separator, rest } = depthOf(l.text);
    if (!separator) {
      const bare = l.text.split('|', 1)[0] ?? '';
      if (SEPARATOR.test(l.text.replace(/[\t ]+$/, '')) || (l.text.includes('|') && SEPARATOR.test(bare.trimEnd()))) {
        add(l.n, 'separator-params', 'a separator with trailing space or parameters is an item');
      } else if (/^-+$/.test(l.text) || (l.text.startsWith('---') && rest.startsWith('-'))) {
        add(l.n, 'dash-line', `odd dashes: ${JSON.stringify(l.text.slice(0, 40))}`);
      }
      for (const p of lineProblems(rest, false)) add(l.n, p.code, p.message);
    }
    if (depth > previousDepth + 1) add(l.n, 'depth-jump', `depth ${previousDepth} → ${depth}`);
    previousDepth = depth;
    if (!separator && isHidden(rest)) continue;
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? -1) >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent?.separator) add(l.n, 'orphan-item', 'child of a separator: SwiftBar drops it');
    else if (!parent && depth > 0 && l.n !== body[0]?.n) add(l.n, 'orphan-item', `depth ${depth} line without a parent`);
    stack.push({ depth, separator });
  }
  return problems;
}

/** Throws with every problem listed when the frame is not well-formed. */
export function assertWellFormedFrame(frame: string): void {
  const problems = checkFrame(frame);
  if (problems.length === 0) return;
  const listed = problems.map((p) => `  line ${p.line} ${p.code}: ${p.message}`).join('\n');
  throw new Error(`malformed SwiftBar frame:\n${listed}\n--- frame ---\n${frame.replace(/image=[A-Za-z0-9+/=]{64,}/g, 'image=<png>')}`);
}
