import { describe, expect, it } from 'vitest';
import { decodedValue, encodeValue, escapeLabel, visibleLabel } from '../../src/reconciler/escape.js';
import { parseFrame } from '../../src/reconciler/parse.js';

const ZW = '\u200B';

describe('escapeLabel', () => {
  it.each([
    ['CPU | 50%', 'CPU │ 50%'],
    ['a|b|c', 'a│b│c'],
    ['line1\nline2', 'line1 line2'],
    ['crlf\r\nend', 'crlf end'],
    ['cr\rvt\vff\fnel\u0085ls\u2028ps\u2029x', 'cr vt ff nel ls ps x'],
    ['tab\there', 'tab here'],
    ['--verbose', `${ZW}--verbose`],
    ['---', `${ZW}---`],
    ['-', `${ZW}-`],
    ['~~~', `~~${ZW}~`],
    ['a~~~~~b', `a~~${ZW}~~${ZW}~b`],
    ['~~ ok', '~~ ok'],
    ['say "hi" it\'s', 'say "hi" it\'s'],
    ['C:\\path\\new', 'C:\\\\path\\\\new'],
    ['trailing\\', 'trailing\\\\'],
    [':cpu: :rocket:', ':cpu: :rocket:'],
    ['color=red href=x', 'color=red href=x'],
    ['esc\u001b[31mred', 'esc [31mred'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
    ['\u0301accent first', `${ZW}\u0301accent first`],
    ['\u200Djoiner first', `${ZW}\u200Djoiner first`],
    ['sign\u0600 then space', `sign\u0600${ZW} then space`],
  ])('%j → %j', (input, expected) => {
    expect(escapeLabel(input)).toBe(expected);
  });

  it('keeps ESC for ansi lines', () => {
    expect(escapeLabel('\u001b[31mred', { ansi: true })).toBe('\u001b[31mred');
  });
});

describe('visibleLabel', () => {
  it('is what SwiftBar shows: mapped, trimmed, unescaped', () => {
    expect(visibleLabel('  --x  ')).toBe('--x');
    expect(visibleLabel('--x')).toBe(`${ZW}--x`);
    expect(visibleLabel('a\\b')).toBe('a\\b');
    expect(visibleLabel(' pad ', { trim: false })).toBe(' pad ');
    expect(visibleLabel('\u3000wide\u00a0')).toBe('wide');
  });
});

describe('encodeValue', () => {
  it.each([
    ['plain', 'plain'],
    ['', '""'],
    ['two words', '"two words"'],
    ['say "hi" now', '\'say "hi" now\''],
    ["it's here", '"it\'s here"'],
    ["it's", "it's"],
    ['"quoted"', '\'"quoted"\''],
    ['both "a" and \'b\'', '"both ＂a＂ and \'b\'"'],
    ['ends with \\', '"ends with ＼"'],
    ['ends with \\\\', '"ends with \\\\"'],
    ['new\nline', '"new line"'],
    ['a~~~b', `a~~${ZW}~b`],
    ['x|y=z', 'x|y=z'],
    ['nbsp\u00a0end', '"nbsp\u00a0end"'],
    ['\u0301mark', `${ZW}\u0301mark`],
    ['\u{E0020}tag', `${ZW}\u{E0020}tag`],
    ['\u200Cnon-joiner', `${ZW}\u200Cnon-joiner`],
  ])('%j → %j', (input, expected) => {
    expect(encodeValue(input)).toBe(expected);
  });

  it('hands SwiftBar back the documented decoded value', () => {
    for (const value of ['two words', 'both "a" and \'b\'', 'ends with \\', '"q"', '', 'a\\b c', "x'y", '\u{E0020}']) {
      const frame = parseFrame(`T | tooltip=${encodeValue(value)} color=red\n`);
      expect(frame.header[0]?.params.tooltip).toBe(decodedValue(value));
      expect(frame.header[0]?.params.color).toBe('red');
    }
  });
});
