/**
 * The launchctl parsers against real, published launchctl output (test/fixtures/macos/launchctl,
 * provenance in SOURCES.md). Each sample is expected to parse as its file name says: the state,
 * pid and last exit code of `print`, and the error number and kind of a failed verb.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLaunchctlFailure, parseLaunchctlPrint, type LaunchctlFailureKind } from '../../../src/system/service/launchctl.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'macos', 'launchctl');
const files = readdirSync(DIR).sort();
const read = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');

describe('launchctl print gui/<uid>/<label> (real output)', () => {
  const samples = files.filter((f) => f.startsWith('print-gui-agent-'));
  it('has samples', () => expect(samples.length).toBeGreaterThanOrEqual(4));

  it.each(samples)('%s', (file) => {
    const info = parseLaunchctlPrint(read(file));
    const running = /-running-/.test(file) && !/not-running/.test(file);
    expect(info.state).toBe(running ? 'running' : 'not running');
    // A running sample carries a pid line; a stopped one has none.
    const pidLine = /^\tpid = (\d+)$/m.exec(read(file));
    expect(info.pid).toBe(running ? Number(pidLine?.[1]) : null);
    if (running) expect(info.pid).toBeGreaterThan(0);
    const exit = /-exit(\d+)/.exec(file);
    if (exit) expect(info.lastExitCode).toBe(exit[1]);
    else if (/never-exited/.test(file)) expect(info.lastExitCode).toBe('(never exited)');
    // Killed by a signal: no "last exit code" line at all.
    else expect(info.lastExitCode).toBeNull();
  });
});

/** What each failure sample's name says: verb, error number, kind. */
function expected(file: string): { readonly code: number; readonly kind: LaunchctlFailureKind } | null {
  const table: readonly [RegExp, LaunchctlFailureKind][] = [
    [/not-loaded.*-113|not-found/, 'not-found'],
    [/already-loaded-37/, 'already-loaded'],
    [/failed-5-/, 'io-error'],
    [/failed-3-no-such-process/, 'no-such-process'],
    [/failed-36-operation-now-in-progress/, 'in-progress'],
    [/usage-error/, 'usage'],
    [/failed-125-/, 'domain-unsupported'],
    [/invalid-plist-133/, 'invalid-plist'],
  ];
  const hit = table.find(([re]) => re.test(file));
  if (!hit) return null;
  const number = /-(\d+)(?:-|\.txt$)/.exec(file);
  return { code: hit[1] === 'usage' ? 64 : Number(number?.[1]), kind: hit[1] };
}

describe('launchctl failures (real output)', () => {
  const samples = files.filter((f) => !f.startsWith('print-gui-agent-'));
  it('has samples', () => expect(samples.length).toBeGreaterThanOrEqual(10));

  it.each(samples)('%s', (file) => {
    const want = expected(file);
    expect(want, `no expectation for ${file}`).not.toBeNull();
    if (want === null) return;
    const text = read(file);
    const f = parseLaunchctlFailure({ exitCode: want.code, stdout: '', stderr: text });
    expect(f.kind).toBe(want.kind);
    expect(f.code).toBe(want.code);
    // launchctl's own words, one line, without its advice or usage text.
    expect(f.words).not.toMatch(/Try re-running|Try running|Usage:|\n/);
    expect(f.words.length).toBeGreaterThan(5);
    expect(text).toContain(f.words.split(' · ')[0]);
  });

  it('an empty answer still names the exit code', () => {
    expect(parseLaunchctlFailure({ exitCode: 1, stdout: '', stderr: '' })).toMatchObject({ code: 1, kind: 'other', words: 'exit code 1' });
  });
});
