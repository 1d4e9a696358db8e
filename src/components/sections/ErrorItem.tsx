/** A readable message in the dropdown, wrapped to a calm width: never a stack trace. */
import type { ReactElement } from 'react';
import { GREEN, RED, YELLOW, type ColorPair } from '../colors.js';
import { wrapText } from '../format.js';
import { Item } from '../primitives/index.js';

export type ErrorItemProps = {
  /** Plain words; may contain server text (it is escaped by the renderer). */
  readonly message: string;
  /** @default 'error' */
  readonly tone?: 'error' | 'warning' | 'ok';
  /** Characters per line before wrapping. @default 60 */
  readonly width?: number;
};

const TONES: Readonly<Record<NonNullable<ErrorItemProps['tone']>, { readonly color: ColorPair; readonly symbol: string }>> = {
  error: { color: RED, symbol: 'exclamationmark.octagon' },
  warning: { color: YELLOW, symbol: 'exclamationmark.triangle' },
  ok: { color: GREEN, symbol: 'checkmark.circle' },
};

/** One message as one or more coloured lines; the first carries the tone's symbol. */
export function ErrorItem({ message, tone = 'error', width = 60 }: ErrorItemProps): ReactElement {
  const { color, symbol } = TONES[tone];
  const lines = wrapText(message, width);
  return (
    <>
      {(lines.length > 0 ? lines : ['']).map((line, i) => (
        <Item key={i} color={color} {...(i === 0 ? { sfimage: symbol } : {})}>
          {line}
        </Item>
      ))}
    </>
  );
}
