/**
 * Pure text sanitising for SwiftBar lines. No label or value can break the format: it always stays
 * visible text, never a parameter, a submenu level, a separator or a frame break.
 *
 * Label mapping (`visibleLabel` is exactly what SwiftBar displays, and what parseFrame returns):
 * 1. lone UTF-16 surrogates → U+FFFD (stdout must be valid UTF-8);
 * 2. CRLF → one space; every other control character (C0, DEL, C1 incl. NEL, so LF, CR, VT, FF,
 *    TAB) and U+2028/U+2029 → space; ESC is kept only when `ansi` is on;
 * 3. `|` → `│` (U+2502): SwiftBar cuts the title at the first `|`;
 * 4. `~~~` is broken as `~~` U+200B `~` (runs of tildes never reach three);
 * 5. a leading `-`, or a leading character that would glue onto the previous one in a grapheme
 *    cluster (marks, ZWJ, emoji modifiers), gets a U+200B prefix, so `--x` / `---` never become
 *    depth or separators and the `--` prefix stays two plain dashes (SwiftBar compares Characters);
 *    a U+200B also follows every Prepend character (e.g. U+0600), which would glue onto the next;
 * 6. SwiftBar then trims Swift whitespace (Unicode Zs and TAB) at both ends unless `trim=false`.
 * In the emitted line every `\` is doubled, which SwiftBar's title unescape turns back into one.
 * `:word:` stays literal because params.ts emits `symbolize=false emojize=false` by default
 * (SwiftBar expands emoji shortcodes whenever symbolize is off, unless emojize=false too).
 * Caveat: SwiftBar applies `length=N` before unescaping, so a doubled `\\` counts as two characters.
 */

/** Options that change how a label is shown. */
export type LabelOptions = {
  /** Keep ESC characters for `ansi=true` lines. @default false */
  readonly ansi?: boolean;
  /** SwiftBar trims the title unless `trim=false`. @default true */
  readonly trim?: boolean;
};

const ZWSP = '\u200B';
/**
 * Characters that join the preceding grapheme cluster (Extend / SpacingMark / ZWJ). Marks alone
 * miss the Extend characters that are not marks, such as ZWNJ and the tag characters
 * U+E0020–E007F (found by the round-trip property test).
 */
const GLUE_START = /^[\p{M}\p{Grapheme_Extend}\u200D\p{Emoji_Modifier}]/u;
/** Grapheme_Cluster_Break=Prepend: joins the following character (a space or quote, say). */
const PREPEND = /[\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}]/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /\r\n|[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_ESC = /\r\n|[\u0000-\u001A\u001C-\u001F\u007F-\u009F\u2028\u2029]/g;
/** Swift's CharacterSet.whitespaces: Unicode Zs plus TAB. */
const SWIFT_SPACE = /[\t\p{Zs}]/u;
const TRIM_START = /^[\t\p{Zs}]+/u;
const TRIM_END = /[\t\p{Zs}]+$/u;

/** Lone surrogates → U+FFFD; newlines and other controls → space (ESC kept if asked). */
export function sanitizeText(text: string, keepEscape = false): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(keepEscape ? CONTROLS_BUT_ESC : CONTROLS, ' ');
}

/** Inserts U+200B so no run of three tildes remains (SwiftBar's stream separator). */
export function breakTildes(text: string): string {
  return text.replace(/~~(?=~)/g, `~~${ZWSP}`);
}

/** Swift `trimmingCharacters(in: .whitespaces)`. */
export function swiftTrim(text: string): string {
  return text.replace(TRIM_START, '').replace(TRIM_END, '');
}

/** True when text contains Swift whitespace (which would end an unquoted value). */
export function hasSwiftSpace(text: string): boolean {
  return SWIFT_SPACE.test(text);
}

/** Keeps grapheme clusters from swallowing the syntax around a piece of text. */
function unglue(text: string): string {
  const safe = text.replace(PREPEND, `$&${ZWSP}`);
  return GLUE_START.test(safe) ? ZWSP + safe : safe;
}

function shownLabel(text: string, ansi: boolean): string {
  const safe = unglue(breakTildes(sanitizeText(text, ansi).replace(/\|/g, '\u2502')));
  return safe.startsWith('-') ? ZWSP + safe : safe;
}

/** The raw title text to put in a line (before `|`). */
export function escapeLabel(text: string, options: LabelOptions = {}): string {
  return shownLabel(text, options.ansi === true).replace(/\\/g, '\\\\');
}

/** What SwiftBar displays for a label escaped with `escapeLabel` (before emoji/length/markdown). */
export function visibleLabel(text: string, options: LabelOptions = {}): string {
  const shown = shownLabel(text, options.ansi === true);
  return options.trim === false ? shown : swiftTrim(shown);
}

/**
 * Parameter value mapping (`decodedValue` is what SwiftBar's tokenizer hands back):
 * controls → space, `~~~` broken and grapheme glue cut with U+200B as for labels; then a value that is empty, starts with a quote
 * or contains whitespace is quoted with the quote kind it does not contain. Fallbacks (SwiftBar
 * has no escape that disappears): with both kinds, `"` quotes are used and each `"` inside becomes
 * `＂` (U+FF02); a quoted value ending in an odd run of backslashes (which would escape the closing
 * quote) has its last `\` replaced by `＼` (U+FF3C). Base64 never needs quotes.
 */
export function decodedValue(value: string): string {
  const clean = unglue(breakTildes(sanitizeText(value)));
  if (!needsQuotes(clean)) return clean;
  const inner = clean.includes('"') && clean.includes("'") ? clean.replace(/"/g, '\uFF02') : clean;
  const trailing = /\\+$/.exec(inner)?.[0].length ?? 0;
  return trailing % 2 === 1 ? `${inner.slice(0, -1)}\uFF3C` : inner;
}

/** The text written after `key=`. */
export function encodeValue(value: string): string {
  const decoded = decodedValue(value);
  if (!needsQuotes(decoded)) return decoded;
  const quote = decoded.includes('"') ? "'" : '"';
  return quote + decoded + quote;
}

function needsQuotes(value: string): boolean {
  return value === '' || value.startsWith('"') || value.startsWith("'") || hasSwiftSpace(value);
}
