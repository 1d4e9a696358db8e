/** Stale temporary files of ours are removed at start; anything else in the folder is kept. */
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_FILE_NAMES } from '../../src/system/cache-file.js';
import { removeStaleTempFiles } from '../../src/system/stale-temp-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stale-temp-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const NOW = 1_800_000_000_000;
const put = (name: string, ageMs = 0): void => {
  writeFileSync(path.join(dir, name), 'x');
  const t = (NOW - ageMs) / 1000;
  utimesSync(path.join(dir, name), t, t);
};

describe('removeStaleTempFiles', () => {
  it('removes ours whose writer is gone or which are old; keeps live ones and everything not ours', async () => {
    put('.history.json.111.0a1b2c3d.tmp'); // writer gone
    put('.rates.json.222.0a1b2c3d.tmp'); // writer alive, fresh: a save in progress
    put('.sparklines.json.222.ffffffff.tmp', 10 * 60_000); // writer "alive" but older than any save: a reused pid
    put('.notes.txt.111.0a1b2c3d.tmp'); // not a name we write
    put('.history.json.111.0a1b2c3d.tmp.bak'); // not our shape
    put('history.json.111.0a1b2c3d.tmp'); // not hidden: not ours
    put('history.json');
    mkdirSync(path.join(dir, '.last-action.json.111.0a1b2c3d.tmp')); // a folder with our shape
    const removed = await removeStaleTempFiles(dir, { names: CACHE_FILE_NAMES, clock: () => NOW, isAlive: (pid) => pid === 222 });
    expect(removed.sort()).toEqual(['.history.json.111.0a1b2c3d.tmp', '.sparklines.json.222.ffffffff.tmp']);
    expect(readdirSync(dir).sort()).toEqual([
      '.history.json.111.0a1b2c3d.tmp.bak',
      '.last-action.json.111.0a1b2c3d.tmp',
      '.notes.txt.111.0a1b2c3d.tmp',
      '.rates.json.222.0a1b2c3d.tmp',
      'history.json',
      'history.json.111.0a1b2c3d.tmp',
    ]);
  });

  it('never rejects on a missing folder', async () => {
    expect(await removeStaleTempFiles(path.join(dir, 'nope'), { names: CACHE_FILE_NAMES })).toEqual([]);
  });
});
