/** last-action.json read back through the cache-file reader: a special file is a failed record saying so. */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LAST_ACTION_FILE, readLastAction, writeLastAction } from '../../../src/system/cli/action-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'lss-last-action-'));
  dirs.push(d);
  return d;
};
const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

describe('readLastAction on what stands at last-action.json', () => {
  it('a FIFO answers at once as a failed record naming where it went; the next read finds nothing', async () => {
    const dir = tmp();
    execFileSync('mkfifo', [path.join(dir, LAST_ACTION_FILE)]);
    expect(await readLastAction(dir, () => AT)).toEqual({
      action: 'read-last-action',
      args: [],
      ok: false,
      message: 'Last action file was a named pipe, not a file: set aside as last-action.json.set-aside-2026-01-02T03-04-05-006Z',
      at: AT,
    });
    expect(lstatSync(path.join(dir, 'last-action.json.set-aside-2026-01-02T03-04-05-006Z')).isFIFO()).toBe(true);
    expect(await readLastAction(dir)).toBeNull();
    // An action's record is written and read as before.
    expect((await writeLastAction(dir, { action: 'refresh', args: [], ok: true, message: '', at: AT })).ok).toBe(true);
    expect(await readLastAction(dir)).toMatchObject({ action: 'refresh', ok: true });
  });

  it('a record over 256 KB is set aside unread', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, LAST_ACTION_FILE), '{"message":"');
    truncateSync(path.join(dir, LAST_ACTION_FILE), 300 * 1024);
    expect((await readLastAction(dir, () => AT))?.message).toBe('Last action file was 300 KB, over its 256 KB limit: set aside as last-action.json.set-aside-2026-01-02T03-04-05-006Z');
  });
});
