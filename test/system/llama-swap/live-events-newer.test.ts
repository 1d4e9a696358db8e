/** Newer llama-swap's payloads (test/fixtures/llama-swap/newer/SOURCE.md) next to the pinned ones: uptimes and the moved logs. */
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { decodeLiveEvent, type LiveEvent } from '../../../src/system/llama-swap/live-events.js';
import { logDataOf } from '../../../src/system/llama-swap/log-events.js';

const DIR = new URL('../../fixtures/llama-swap/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');

function payloads(text: string): string[] {
  const out: string[] = [];
  createParser({ onEvent: (m) => out.push(m.data) }).feed(text);
  return out;
}

const NOW = Date.parse('2026-09-26T12:00:00Z');
const statusOf = (text: string): LiveEvent | undefined => payloads(text).map((d) => decodeLiveEvent(d, NOW)).find((e) => e?.type === 'modelStatus') ?? undefined;

describe('modelStatus from a newer llama-swap', () => {
  it('reads readySince and uptimeMs of a ready model', () => {
    const e = statusOf(read('newer/events.sse'));
    expect(e?.type === 'modelStatus' && e.models).toEqual([
      { id: 'broken', state: 'stopped' },
      { id: 'fake', state: 'ready', uptimeMs: 90_412, readySince: Date.parse('2026-09-26T11:58:30Z') },
      { id: 'loading', state: 'starting' },
    ]);
  });

  it('drops unreadable values, and both fields on a model that is not ready', () => {
    const odd = JSON.stringify({ type: 'modelStatus', data: JSON.stringify([{ id: 'a', state: 'ready', readySince: 7, uptimeMs: 'long' }, { id: 'b', state: 'ready', readySince: 'yesterday', uptimeMs: -3 }, { id: 'c', state: 'stopping', readySince: '2026-09-26T11:00:00Z', uptimeMs: 5 }]) });
    expect(decodeLiveEvent(odd, NOW)).toEqual({ type: 'modelStatus', models: [{ id: 'a', state: 'ready' }, { id: 'b', state: 'ready' }, { id: 'c', state: 'stopping' }] });
  });

  it('the pinned llama-swap (0bdb3720) sends neither: no ready time', () => {
    const e = statusOf(read('events-fake-model.sse'));
    expect(e?.type === 'modelStatus' && e.models.every((m) => m.uptimeMs === undefined && m.readySince === undefined)).toBe(true);
  });

  it('carries no logData on /api/events any more', () => {
    expect(payloads(read('newer/events.sse')).some((d) => d.includes('"logData"'))).toBe(false);
  });
});

describe('logData of /api/events/logs', () => {
  const events = payloads(read('newer/logs-proxy-upstream.sse'));

  it('takes the history of the stream asked for, and only it', () => {
    const proxy = events.map((d) => logDataOf(d, 'proxy')).filter((t) => t !== null);
    expect(proxy).toHaveLength(1);
    expect(proxy[0]).toContain('starting broken failed: upstream command exited prematurely but successfully');
    expect(events.map((d) => logDataOf(d, 'upstream')).filter((t) => t !== null)[0]).toContain('log_server_r');
  });

  it('reads the same envelope on the pinned /api/events', () => {
    const first = payloads(read('events-fake-model.sse'))[0] ?? '';
    expect(logDataOf(first, 'proxy')).toContain('llama-swap listening on');
    expect(logDataOf('{"type":"modelStatus","data":"[]"}', 'proxy')).toBeNull();
    expect(logDataOf('not json', 'proxy')).toBeNull();
  });
});
