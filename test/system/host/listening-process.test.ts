import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LSOF, listenerLookup, listeningInodes, lsofListener, procListener } from '../../../src/system/host/listening-process.js';
import { readFileSync } from 'node:fs';
import { createRecordingRunner } from '../../helpers/recording-runner.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'proc-net');

describe('lsofListener (macOS)', () => {
  it('asks lsof for the TCP listener of exactly that port and takes the first pid', async () => {
    const runner = createRecordingRunner([{ file: LSOF, answer: { stdout: '4242\n4243\n' } }]);
    expect(await lsofListener(runner)(45786)).toBe(4242);
    expect(runner.lines()).toEqual(['/usr/sbin/lsof -nP -iTCP:45786 -sTCP:LISTEN -t']);
  });

  it('is null when nothing listens (lsof exits 1, prints nothing), on garbage, and for a bad port', async () => {
    const runner = createRecordingRunner([{ file: LSOF, answer: { exitCode: 1 } }]);
    expect(await lsofListener(runner)(45786)).toBeNull();
    runner.on(LSOF, undefined, { stdout: 'lsof: WARNING: something\n' });
    expect(await lsofListener(runner)(45786)).toBeNull();
    runner.clear();
    expect(await lsofListener(runner)(0)).toBeNull();
    expect(await lsofListener(runner)(70000)).toBeNull();
    expect(runner.calls).toEqual([]);
  });

  it('is what listenerLookup picks on macOS; other platforms other than Linux get none', async () => {
    const runner = createRecordingRunner([{ file: LSOF, answer: { stdout: '7\n' } }]);
    expect(await listenerLookup('macos', runner)(1234)).toBe(7);
    expect(await listenerLookup('other', runner)(1234)).toBeNull();
    expect(runner.calls).toHaveLength(1);
  });
});

describe('listeningInodes', () => {
  it('finds the LISTEN sockets of a port, never an established connection to it', () => {
    const tcp = readFileSync(path.join(FIXTURES, 'tcp'), 'utf8');
    expect(listeningInodes(tcp, 45786)).toEqual(['424242']);
    expect(listeningInodes(tcp, 8080)).toEqual(['777001']);
    expect(listeningInodes(tcp, 9999)).toEqual([]);
    expect(listeningInodes(readFileSync(path.join(FIXTURES, 'tcp6'), 'utf8'), 8081)).toEqual(['888002']);
    expect(listeningInodes('garbage\nmore garbage', 45786)).toEqual([]);
  });
});

describe('procListener (Linux)', () => {
  let proc: string;
  const fd = (pid: number, n: number, target: string): void => {
    mkdirSync(path.join(proc, String(pid), 'fd'), { recursive: true });
    symlinkSync(target, path.join(proc, String(pid), 'fd', String(n)));
  };

  beforeEach(() => {
    proc = mkdtempSync(path.join(os.tmpdir(), 'proc-'));
    mkdirSync(path.join(proc, 'net'));
    copyFileSync(path.join(FIXTURES, 'tcp'), path.join(proc, 'net', 'tcp'));
    copyFileSync(path.join(FIXTURES, 'tcp6'), path.join(proc, 'net', 'tcp6'));
    // pid 100: another llama-swap, on 8080; pid 200: the one on 45786; pid 300: a client of it.
    fd(100, 3, 'socket:[777001]');
    fd(200, 0, '/dev/null');
    fd(200, 7, 'socket:[424242]');
    fd(300, 4, 'socket:[424299]');
    mkdirSync(path.join(proc, 'self'));
  });
  afterEach(() => rmSync(proc, { recursive: true, force: true }));

  it('follows the listening socket inode to the process holding it', async () => {
    const lookup = procListener(proc);
    expect(await lookup(45786)).toBe(200);
    expect(await lookup(8080)).toBe(100);
    expect(await lookup(8081)).toBeNull(); // a socket nobody here holds
    expect(await lookup(9999)).toBeNull();
  });

  it('is null without /proc', async () => {
    expect(await procListener(path.join(proc, 'missing'))(45786)).toBeNull();
  });

  it.runIf(process.platform === 'linux')('finds this very process listening on a real port', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      expect(await procListener()(port)).toBe(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
