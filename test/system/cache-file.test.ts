/**
 * The one reader of our cache files: whatever stands at the path (FIFO, socket, folder, link,
 * an oversized file), it answers at once, reads at most the limit and sets the thing aside.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCacheFile, setAsideName, setAsideWarning, type CacheFileRead } from '../../src/system/cache-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cache-file-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const AT = Date.UTC(2026, 11, 5, 9, 52, 32, 123);
const file = (): string => path.join(dir, 'history.json');
const read = (maxBytes = 1024): Promise<CacheFileRead> => readCacheFile(file(), { maxBytes, clock: () => AT });
const setAsideCopy = (): string => path.join(dir, 'history.json.set-aside-2026-12-05T09-52-32-123Z');

function expectSetAside(result: CacheFileRead, why: RegExp): void {
  expect(result.kind).toBe('set-aside');
  if (result.kind !== 'set-aside') return;
  expect(result.why).toMatch(why);
  expect(result.movedTo).toBe(setAsideCopy());
  // Moved, not deleted, and nothing left at the file's own name: the next save writes afresh.
  expect(() => lstatSync(setAsideCopy())).not.toThrow();
  expect(() => lstatSync(file())).toThrow(/ENOENT/);
}

describe('readCacheFile', () => {
  it('reads a regular file within its limit, also one exactly at the limit', async () => {
    writeFileSync(file(), '{"a":"é"}');
    expect(await read()).toEqual({ kind: 'text', text: '{"a":"é"}' });
    writeFileSync(file(), 'x'.repeat(1024));
    expect(await read(1024)).toEqual({ kind: 'text', text: 'x'.repeat(1024) });
  });

  it('says missing when there is nothing, and touches nothing', async () => {
    expect(await read()).toEqual({ kind: 'missing' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sets aside a FIFO without waiting for a writer', async () => {
    execFileSync('mkfifo', [file()]);
    const result = await read();
    expectSetAside(result, /^a named pipe, not a file$/);
    expect(lstatSync(setAsideCopy()).isFIFO()).toBe(true);
  });

  it('sets aside a socket, a folder and a symbolic link (the link itself, never its target)', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(file(), resolve));
    try {
      expectSetAside(await read(), /^a socket, not a file$/);
    } finally {
      server.close();
    }
    await rm(setAsideCopy(), { force: true });

    mkdirSync(file());
    writeFileSync(path.join(file(), 'inside'), 'kept');
    expectSetAside(await read(), /^a folder, not a file$/);
    expect(readFileSync(path.join(setAsideCopy(), 'inside'), 'utf8')).toBe('kept');
    await rm(setAsideCopy(), { recursive: true });

    writeFileSync(path.join(dir, 'target'), 'secret');
    symlinkSync(path.join(dir, 'target'), file());
    expectSetAside(await read(), /^a symbolic link, not a file$/);
    expect(lstatSync(setAsideCopy()).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'target'), 'utf8')).toBe('secret');
  });

  it('sets aside a file over its limit without reading it (a sparse 1 GB file)', async () => {
    writeFileSync(file(), '');
    truncateSync(file(), 1024 ** 3);
    const result = await read(1024 * 1024);
    expectSetAside(result, /^1024 MB, over its 1 MB limit$/);
  });

  it('leaves an unfit file in place when asked (a file the user owns)', async () => {
    execFileSync('mkfifo', [file()]);
    expect(await readCacheFile(file(), { maxBytes: 10, setAside: false })).toEqual({ kind: 'unfit', why: 'a named pipe, not a file' });
    expect(lstatSync(file()).isFIFO()).toBe(true);
  });

  it('words the menu line with the new name', () => {
    expect(setAsideName('/c/history.json', AT)).toBe('/c/history.json.set-aside-2026-12-05T09-52-32-123Z');
    expect(setAsideWarning('History file', { kind: 'set-aside', why: 'a folder, not a file', movedTo: setAsideName('/c/history.json', AT) })).toBe(
      'History file was a folder, not a file: set aside as history.json.set-aside-2026-12-05T09-52-32-123Z',
    );
    expect(setAsideWarning('History file', { kind: 'set-aside', why: 'a folder, not a file', movedTo: null, moveError: 'history.json: EROFS (read-only file system)' })).toBe(
      'History file was a folder, not a file: not used, and it could not be set aside (history.json: EROFS (read-only file system))',
    );
  });
});
