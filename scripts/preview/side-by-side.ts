/** Two columns of terminal lines: the drawn menu on the left, its SwiftBar source on the right. */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/** The left column's width for a total of `width` columns. */
export function leftColumnWidth(width: number): number {
  return Math.max(10, Math.floor((width - 3) * 0.5));
}

/** `left` and `right` side by side within `width` columns, separated by a dim bar; each cut with "…". */
export function sideBySide(left: readonly string[], right: readonly string[], width: number, color: boolean): string[] {
  const gap = color ? ' \x1b[2m│\x1b[22m ' : ' │ ';
  const leftWidth = leftColumnWidth(width);
  const rightWidth = Math.max(10, width - 3 - leftWidth);
  const rows = Math.max(left.length, right.length);
  const out: string[] = [];
  for (let i = 0; i < rows; i++) {
    const l = cliTruncate(left[i] ?? '', leftWidth);
    const r = cliTruncate(right[i] ?? '', rightWidth);
    out.push(`${l}${' '.repeat(Math.max(0, leftWidth - stringWidth(l)))}${gap}${r}`.trimEnd());
  }
  return out;
}
