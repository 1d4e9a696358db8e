/**
 * Pure reader of SwiftBar text back into the tree SwiftBar builds (spec §2–§5). Used by the
 * preview, stories and tests, never by the plugin. It mirrors SwiftBar: lines split at any
 * newline, empty lines dropped, header up to the first line starting with `---`, `--` depth
 * prefixes, the `|` parameter tokenizer, `dropdown=false` body lines skipped and children of a
 * separator lost. `title` is the displayed text after trim (unless `trim=false`) and backslash
 * unescape (`\\`→`\`, `\n`→LF, `\t`→TAB, `\x`→`x`); emoji, symbols, `length` and Markdown are
 * not applied. escape.ts documents the inverse mapping for labels the serializer writes.
 */
import { swiftTrim } from './escape.js';

export type ParsedItem = {
  readonly type: 'item';
  readonly depth: number;
  readonly title: string;
  readonly params: Readonly<Record<string, string>>;
  readonly children: readonly ParsedNode[];
};
export type ParsedSeparator = { readonly type: 'separator'; readonly depth: number };
export type ParsedNode = ParsedItem | ParsedSeparator;
/** One frame; `body` excludes the leading `---`. */
export type ParsedFrame = { readonly header: readonly ParsedItem[]; readonly body: readonly ParsedNode[] };

type Building = { type: 'item'; depth: number; title: string; params: Record<string, string>; children: Building[] }
  | { type: 'separator'; depth: number; children: Building[] };

const NEWLINE = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/;
// Made on first use: the plugin loads this module but only tests and the preview parse frames.
let segmenter: Intl.Segmenter | undefined;
const graphemes = { segment: (text: string): Intl.Segments => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text) };

/** SwiftBar's title unescape, walking grapheme clusters like Swift's Character loop. */
export function unescapeTitle(text: string): string {
  let out = '';
  let escaped = false;
  for (const { segment } of graphemes.segment(text)) {
    if (escaped) {
      escaped = false;
      out += segment === 'n' ? '\n' : segment === 't' ? '\t' : segment;
    } else if (segment === '\\') {
      escaped = true;
    } else {
      out += segment;
    }
  }
  return out;
}

function clusters(text: string): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/** SwiftBar's `key=value` scanner (MenuLineParameters.getParams), over grapheme clusters as in Swift. */
export function parseParams(text: string): Record<string, string> {
  const params = new Map<string, string>();
  const chars = clusters(text);
  const n = chars.length;
  const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
  let pos = 0;
  while (pos < n) {
    while (pos < n && isBlank(chars[pos])) pos++;
    if (pos >= n) break;
    const keyStart = pos;
    while (pos < n && chars[pos] !== '=') pos++;
    if (pos >= n) break;
    const key = swiftTrim(chars.slice(keyStart, pos).join('')).toLowerCase();
    pos++;
    while (pos < n && isBlank(chars[pos])) pos++;
    const quote = chars[pos];
    let value = '';
    if (quote === '"' || quote === "'") {
      pos++;
      let escaped = false;
      for (; pos < n; pos++) {
        const c = chars[pos] ?? '';
        if (escaped) {
          // A backslash escapes the next character and both are kept.
          value += `\\${c}`;
          escaped = false;
        } else if (c === '\\') {
          escaped = true;
        } else if (c === quote) {
          pos++;
          break;
        } else {
          value += c;
        }
      }
    } else {
      const start = pos;
      while (pos < n && !isBlank(chars[pos])) pos++;
      value = chars.slice(start, pos).join('');
    }
    params.set(key, value);
  }
  return Object.fromEntries(params);
}

/** Splits one line (depth prefixes already removed) into displayed title and parameters. */
export function parseLine(text: string): { readonly title: string; readonly params: Record<string, string> } {
  const cut = text.indexOf('|');
  const rawTitle = cut < 0 ? text : text.slice(0, cut);
  const params = cut < 0 ? {} : parseParams(swiftTrim(text.slice(cut + 1)));
  const trimmed = params.trim?.toLowerCase() === 'false' ? rawTitle : swiftTrim(rawTitle);
  return { title: unescapeTitle(trimmed), params };
}

function depthOf(line: string): { depth: number; separator: boolean; rest: string } {
  if (line === '---') return { depth: 0, separator: true, rest: line };
  // Swift's hasPrefix/dropFirst compare Characters: a dash carrying a combining mark is no dash.
  const chars = clusters(line);
  let at = 0;
  while (chars[at] === '-' && chars[at + 1] === '-') {
    at += 2;
    if (chars.length - at === 3 && chars.slice(at).join('') === '---') break;
  }
  const rest = chars.slice(at).join('');
  return { depth: at / 2, separator: rest === '---', rest };
}

function freeze(nodes: readonly Building[]): ParsedNode[] {
  return nodes.map((n) =>
    n.type === 'separator'
      ? { type: 'separator', depth: n.depth }
      : { type: 'item', depth: n.depth, title: n.title, params: n.params, children: freeze(n.children) },
  );
}

/** Parses one frame of SwiftBar output. */
export function parseFrame(text: string): ParsedFrame {
  const lines = text.split(NEWLINE).filter((l) => l !== '');
  const split = lines.findIndex((l) => l.startsWith('---'));
  const headerLines = split < 0 ? lines : lines.slice(0, split);
  const bodyLines = split < 0 ? [] : lines.slice(lines[split] === '---' ? split + 1 : split);
  const header: ParsedItem[] = headerLines.map((l) => ({ type: 'item', depth: 0, ...parseLine(l), children: [] }));
  const root: Building[] = [];
  const stack: Building[] = [];
  for (const raw of bodyLines) {
    const { depth, separator, rest } = depthOf(raw);
    let node: Building;
    if (separator) node = { type: 'separator', depth, children: [] };
    else {
      const { title, params } = parseLine(rest);
      if (params.dropdown?.toLowerCase() === 'false') continue;
      node = { type: 'item', depth, title, params, children: [] };
    }
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? -1) >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    // Children of a separator are lost, exactly as in SwiftBar (never rendered).
    (parent === undefined ? root : parent.children).push(node);
    stack.push(node);
  }
  return { header, body: freeze(root) };
}

/** Cuts a trailing-separator stream into complete frames (a last frame without `~~~` is not shown). */
export function splitFrames(stream: string): string[] {
  const frames: string[] = [];
  let current: string[] = [];
  for (const line of stream.split(NEWLINE)) {
    if (line === '~~~') {
      frames.push(current.length > 0 ? `${current.join('\n')}\n` : '');
      current = [];
    } else {
      current.push(line);
    }
  }
  return frames;
}

/** Every body item, depth first (header excluded). */
export function allItems(frame: ParsedFrame): ParsedItem[] {
  const out: ParsedItem[] = [];
  const walk = (nodes: readonly ParsedNode[]): void => {
    for (const node of nodes) {
      if (node.type !== 'item') continue;
      out.push(node);
      walk(node.children);
    }
  };
  walk(frame.body);
  return out;
}

/** First body item matching a title substring, a RegExp, or a predicate. */
export function findItem(
  frame: ParsedFrame,
  match: string | RegExp | ((item: ParsedItem) => boolean),
): ParsedItem | undefined {
  const test =
    typeof match === 'string' ? (i: ParsedItem) => i.title.includes(match)
    : match instanceof RegExp ? (i: ParsedItem) => match.test(i.title)
    : match;
  return allItems(frame).find(test);
}
