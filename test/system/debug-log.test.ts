import { describe, expect, it } from 'vitest';
import { createDebugLog, NO_DEBUG } from '../../src/system/debug-log.js';

const T0 = Date.UTC(2026, 10, 25, 21, 30, 0);

function collect(secrets: readonly (string | null)[] = []) {
  const lines: string[] = [];
  const log = createDebugLog({ enabled: true, secrets, write: (l) => lines.push(l), clock: () => T0 });
  return { log, lines };
}

describe('debug log', () => {
  it('is off by default: the disabled logger writes nothing', () => {
    const lines: string[] = [];
    const log = createDebugLog({ enabled: false, write: (l) => lines.push(l) });
    log('running', { ok: true });
    expect(lines).toEqual([]);
    expect(log.enabled).toBe(false);
    expect(log).toBe(NO_DEBUG);
  });

  it('writes one stamped line per event, strings quoted, undefined fields left out', () => {
    const { log, lines } = collect();
    log('running', { ok: false, kind: 'timeout', streak: 2, extra: undefined, pid: null });
    expect(lines).toEqual(['2026-11-25T21:30:00.000Z llama-swap-swiftbar debug running ok=false kind="timeout" streak=2 pid=null\n']);
  });

  it('never prints the API key or a bearer token, and keeps server text on one line', () => {
    const { log, lines } = collect(['sk-secret-42', null]);
    log('metrics', { message: 'refused sk-secret-42\nAuthorization: Bearer other-token\r\n<html>' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('sk-secret-42');
    expect(lines[0]).not.toContain('other-token');
    expect(lines[0]?.trimEnd()).not.toMatch(/[\r\n]/);
    expect(lines[0]).toContain('refused ***');
  });

  it('shortens very long values', () => {
    const { log, lines } = collect();
    log('running', { message: 'x'.repeat(5000) });
    expect(lines[0]?.length).toBeLessThan(400);
    expect(lines[0]).toContain('…');
  });

  it('survives a broken stderr', () => {
    const log = createDebugLog({ enabled: true, write: () => { throw new Error('EPIPE'); } });
    expect(() => log('running', { ok: true })).not.toThrow();
  });
});
