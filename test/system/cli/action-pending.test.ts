import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_PENDING_FILE, clearActionPending, isActionPending, markActionPending } from '../../../src/system/cli/action-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'lss-pending-'));
  dirs.push(d);
  return d;
};

describe('the action-pending marker', () => {
  it('is set while an action runs and cleared after', async () => {
    const dir = tmp();
    expect(isActionPending(dir)).toBe(false);
    await markActionPending(dir, 'do_unload_model');
    expect(isActionPending(dir)).toBe(true);
    await clearActionPending(dir);
    expect(isActionPending(dir)).toBe(false);
  });

  it('ignores a stale marker (a crashed action) and a folder in its place', () => {
    const dir = tmp();
    const file = path.join(dir, ACTION_PENDING_FILE);
    writeFileSync(file, 'x');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    expect(isActionPending(dir)).toBe(false);
    expect(isActionPending(path.join(dir, 'missing'))).toBe(false);
  });
});
