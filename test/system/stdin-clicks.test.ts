/**
 * Hostile stdin: lines arrive in pieces, merged, huge, malformed, or stdin closes. Only complete
 * lines within the cap reach `click`; nothing else runs, and nothing here throws or exits.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listenForClicks } from '../../src/system/stdin-clicks.js';
import { readLines } from '../../src/system/stdin-lines.js';
import { swiftBarWritesStdin } from '../../src/system/swiftbar/swiftbar-version.js';

const TOKEN = `c${'ab12'.repeat(5)}`;

/** Reads `stream` into events until `end`, which resolves once the stream ended. */
function collect(maxLineBytes = 64) {
  const stream = new PassThrough();
  const lines: string[] = [];
  const oversized: number[] = [];
  const ended = new Promise<Error | undefined>((resolve) => {
    readLines(stream, { onLine: (l) => lines.push(l), onOversized: (b) => oversized.push(b), onEnd: resolve }, maxLineBytes);
  });
  return { stream, lines, oversized, ended };
}

describe('readLines', () => {
  it('joins a line written in pieces and splits lines written together', async () => {
    const { stream, lines, ended } = collect();
    stream.write('c1');
    stream.write('2');
    expect(lines).toEqual([]);
    stream.write('3\nsecond\r\nthird\n\nfourth');
    stream.end();
    expect(await ended).toBeUndefined();
    // The unterminated "fourth" is dropped: SwiftBar always ends a click with a newline.
    expect(lines).toEqual(['c123', 'second', 'third', '']);
  });

  it('drops a line over the cap whole, in one chunk or many, and reads the next line normally', async () => {
    const { stream, lines, oversized, ended } = collect(64);
    stream.write(`${'x'.repeat(1_000_000)}\nok\n`);
    stream.write('y'.repeat(40));
    stream.write('y'.repeat(40));
    stream.write('y'.repeat(40));
    stream.write('\nafter\n');
    stream.end();
    await ended;
    expect(lines).toEqual(['ok', 'after']);
    expect(oversized).toEqual([1_000_000, 120]);
  });

  it('a line of exactly the cap is kept; multi-byte text split across chunks is decoded whole', async () => {
    const { stream, lines, ended } = collect(8);
    const euro = Buffer.from('€€', 'utf8');
    stream.write('12345678\n');
    stream.write(euro.subarray(0, 2));
    stream.write(euro.subarray(2));
    stream.end('\n');
    await ended;
    expect(lines).toEqual(['12345678', '€€']);
  });
});

describe('listenForClicks', () => {
  it('passes known tokens, logs everything else, survives a throwing handler and a closed stdin', async () => {
    const stdin = new PassThrough();
    const clicked: string[] = [];
    const logged: string[] = [];
    let closed: () => void = () => undefined;
    const end = new Promise<void>((resolve) => (closed = resolve));
    listenForClicks(
      stdin,
      (token) => {
        if (token === 'boom') throw new Error('handler bug');
        if (token !== TOKEN) return false;
        clicked.push(token);
        return true;
      },
      (message) => {
        logged.push(message);
        if (message.startsWith('stdin closed')) closed();
      },
    );
    stdin.write(`${TOKEN}\n`);
    stdin.write('unknown\nbash=/bin/rm param1=-rf\n');
    stdin.write('boom\n');
    stdin.write(`${'z'.repeat(1_048_576)}\n`);
    stdin.write(TOKEN.slice(0, 5));
    stdin.write(`${TOKEN.slice(5)}\n`);
    stdin.end();
    await end;
    expect(clicked).toEqual([TOKEN, TOKEN]);
    expect(logged).toEqual([
      'click',
      'stdin line ignored: not a known click token',
      'stdin line ignored: not a known click token',
      'click handler failed',
      'stdin line ignored: too long',
      'click',
      'stdin closed; clicks from SwiftBar no longer arrive',
    ]);
  });
});

describe('swiftBarWritesStdin', () => {
  it.each([
    ['2.1.0', true], ['2.1.1', true], ['2.1.2-beta-3', true], ['2.2', true], ['3.0.0', true],
    ['2.0.1', false], ['2.0.0-beta-1', false], ['1.4.4', false], ['', false], [undefined, false], ['2', false], ['x2.1', false],
  ])('%s → %s', (version, expected) => {
    expect(swiftBarWritesStdin(version)).toBe(expected);
  });
});
