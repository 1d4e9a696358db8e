/**
 * A stand-in whose event stream opens and then sends one event larger than the plugin keeps
 * (17 MB, over MAX_EVENT_CHARS): the installed plugin drops that stream each time, and its
 * reconnects must back off (the wait roughly doubles per attempt, since a stream that merely
 * opened is not a healthy one), not come back every second forever. Measured as the ratio of
 * the gaps between the connects the stand-in saw, never against a deadline.
 */
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_CHARS } from '../../src/system/llama-swap/live-events.js';
import { startFaultServer } from './helpers/fault-server.js';
import { startPluginProcess } from './helpers/plugin-process.js';

const TIMEOUT = 120_000;
const CONNECTS = 6;

describe('reconnects after an oversized event', () => {
  it('back off: the fifth gap between connects is several times the first', async () => {
    const fs = await startFaultServer([{ id: 'model-one', name: 'Model One', state: 'ready' }]);
    const huge = `data:{"type":"logData","data":"${'x'.repeat(MAX_EVENT_CHARS + 1024 * 1024)}"}\n\n`;
    fs.fault('/api/events', { kind: 'stream', body: huge });
    const plugin = startPluginProcess({ apiUrl: fs.url, timeoutSecs: 1 });
    try {
      await fs.waitFor(() => fs.count('/api/events') >= CONNECTS, TIMEOUT - 10_000, `${CONNECTS} connects to /api/events`);
      const at = fs.log.filter((r) => r.path === '/api/events').map((r) => r.at);
      const gaps = at.slice(1).map((t, i) => t - (at[i] ?? t));
      const first = gaps[0] ?? 0;
      const fifth = gaps[4] ?? 0;
      console.info(`oversized event: gaps between connects ${gaps.map((g) => Math.round(g)).join(', ')} ms`);
      // Doubling with jitter of at most half: 16x nominal, at least 8x of the waits alone (each gap
      // also holds the 17 MB transfer); a fixed delay gives ~1.
      expect(fifth / first).toBeGreaterThan(3);
      // The menu still works meanwhile (polling without the stream).
      await plugin.waitForFrame((f) => f.body.some((n) => n.type === 'item' && n.title.startsWith('Model One')), 30_000, 'model listed');
    } finally {
      await plugin.dispose();
      await fs.close();
    }
  }, TIMEOUT);
});
