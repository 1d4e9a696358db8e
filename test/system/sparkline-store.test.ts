import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSparklines, PERSISTED_SPARKLINES, saveSparklines, SPARKLINE_FILE } from '../../src/system/sparkline-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sparkstore-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('sparkline store', () => {
  it('round-trips the newest entries for the same drawing code only', async () => {
    const entries = Array.from({ length: PERSISTED_SPARKLINES + 5 }, (_, i) => [`k${i}`, 'iVBORw0KGgo='] as const);
    expect(await saveSparklines(dir, 'build-1', entries)).toBeNull();
    const loaded = (await loadSparklines(dir, 'build-1')).entries;
    expect(loaded).toHaveLength(PERSISTED_SPARKLINES);
    expect(loaded.at(-1)).toEqual([`k${PERSISTED_SPARKLINES + 4}`, 'iVBORw0KGgo=']);
    // A rebuilt plugin may draw differently: its charts are drawn afresh.
    expect(await loadSparklines(dir, 'build-2')).toEqual({ entries: [], warning: null });
  });

  it('ignores a missing or damaged file, sets aside a symlinked one, and entries that are not base64', async () => {
    expect(await loadSparklines(dir, 'b')).toEqual({ entries: [], warning: null });
    await writeFile(path.join(dir, SPARKLINE_FILE), '{"schema":"llama-swap-swiftbar/sparklines","version":1,"drawing":"b","entries":[["a","x y"],["b","QQ=="],[1,2]]}');
    expect((await loadSparklines(dir, 'b')).entries).toEqual([['b', 'QQ==']]);
    await writeFile(path.join(dir, 'elsewhere.json'), await readFile(path.join(dir, SPARKLINE_FILE), 'utf8'));
    await rm(path.join(dir, SPARKLINE_FILE));
    await symlink(path.join(dir, 'elsewhere.json'), path.join(dir, SPARKLINE_FILE));
    // A link is set aside (renamed, with its menu line); the file it points to is left alone.
    const linked = await loadSparklines(dir, 'b');
    expect(linked.entries).toEqual([]);
    expect(linked.warning).toMatch(/^Chart cache was a symbolic link, not a file: set aside as sparklines\.json\.set-aside-/);
    expect(await readFile(path.join(dir, 'elsewhere.json'), 'utf8')).toContain('QQ==');
    await writeFile(path.join(dir, 'x'), 'garbage');
    expect(await saveSparklines(dir, 'b', [['k', 'QQ==']])).toBeNull();
    expect((await loadSparklines(dir, 'b')).entries).toEqual([['k', 'QQ==']]);
  });
});
