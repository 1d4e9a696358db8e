import { describe, expect, it } from 'vitest';
import { createPollSources } from '../../../src/hooks/polling/poll-sources.js';
import { createDebugLog } from '../../../src/system/debug-log.js';
import { FakeApi, running } from '../helpers/fake-api.js';
import { testConfig, testDeps } from '../helpers/test-deps.js';

function setup() {
  const lines: string[] = [];
  const api = new FakeApi();
  const debug = createDebugLog({ enabled: true, secrets: ['key-123'], write: (l) => lines.push(l) });
  const deps = testDeps(api, '/tmp/unused', { config: testConfig('/tmp/unused', { apiKey: 'key-123' }), debug });
  return { api, lines, sources: createPollSources(deps) };
}

describe('poll sources debug lines', () => {
  it('logs /running when its answer changes and every failure, never the key', async () => {
    const { api, lines, sources } = setup();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await sources.running();
    await sources.running();
    api.runningResult = { ok: false, error: { kind: 'unauthorized', message: 'refused key-123' } };
    await sources.running();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await sources.running();
    const events = lines.filter((l) => l.includes(' debug running '));
    expect(events).toHaveLength(3);
    expect(events[0]).toContain('models="a:ready"');
    expect(events[1]).toContain('ok=false kind="unauthorized"');
    expect(lines.join('')).not.toContain('key-123');
  });

  it('logs a metrics failure once per kind, and the poll interval when it changes', async () => {
    const { api, lines, sources } = setup();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await sources.running();
    api.metricsById.set('a', { ok: false, error: { kind: 'metrics-disabled', message: '501' } });
    await sources.metrics(['a']);
    await sources.metrics(['a']);
    expect(lines.filter((l) => l.includes(' debug metrics '))).toHaveLength(1);
    sources.fastDelay();
    sources.fastDelay();
    expect(lines.filter((l) => l.includes(' debug poll interval '))).toHaveLength(1);
  });
});
