/**
 * Fuzz over the client's response handling: arbitrary JSON values and arbitrary text, served
 * through the client's own path (an injected fetch, so HTTP status, content type, JSON parsing
 * and schema validation all run), and over the Prometheus parser. Nothing may throw or reject;
 * every answer is a Result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../src/system/llama-swap/http-node.js';
import { createLlamaSwapClient, type LlamaSwapClient } from '../../../src/system/llama-swap/llama-swap-client.js';
import { looksLikePrometheus, parseMetrics, parseMetricsText } from '../../../src/system/llama-swap/metrics-parser.js';
import type { Result } from '../../../src/system/types.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/llama-server/', import.meta.url));
const REAL_METRICS = readFileSync(join(FIXTURES, 'metrics-02-after-parallel-run.txt'), 'utf8');

type Reply = { readonly status: number; readonly body: string; readonly type: string };

/** A client whose every request is answered with `reply`. */
function clientAnswering(reply: Reply): LlamaSwapClient {
  const fetch: FetchLike = () => Promise.resolve({
    status: reply.status,
    headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? reply.type : null) },
    text: () => Promise.resolve(reply.body),
  });
  return createLlamaSwapClient({ apiUrl: 'http://127.0.0.1', apiPort: 45786, apiTimeoutMs: 1000, apiKey: null, fetch });
}

function assertResult(r: Result<unknown>): void {
  expect(typeof r.ok).toBe('boolean');
  if (!r.ok) {
    expect(typeof r.error.kind).toBe('string');
    expect(r.error.message).not.toMatch(/[\r\n]/);
  }
}

/** Every read the plugin makes, with ids that need encoding too. */
async function readEverything(client: LlamaSwapClient): Promise<void> {
  const results = await Promise.all([
    client.health(), client.running(), client.models(), client.metrics('m|1 ~~~'), client.performance(),
    client.profiles(), client.requestCounts(['a', 'b/c']), client.unloadModel('x" y'), client.setProfile(null),
  ]);
  for (const r of results) assertResult(r);
}

/** JSON values shaped a bit like llama-swap's answers, plus anything at all. */
const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.record({ running: fc.array(fc.dictionary(fc.constantFrom('model', 'state', 'ttl', 'cmd', 'proxy', 'name', 'description'), fc.jsonValue())) }),
  fc.record({ object: fc.constant('list'), data: fc.array(fc.dictionary(fc.constantFrom('id', 'name', 'description', 'status', 'meta'), fc.jsonValue())) }),
  fc.record({ active: fc.jsonValue(), profiles: fc.jsonValue() }),
  fc.record({ enabled: fc.boolean(), sysStats: fc.jsonValue(), gpuStats: fc.jsonValue(), total: fc.jsonValue() }),
);

const statuses = fc.constantFrom(200, 200, 200, 204, 301, 400, 401, 404, 500, 501, 502, 503);
const types = fc.constantFrom('application/json', 'text/plain; version=0.0.4', 'text/html', '');

describe('client response handling never throws', () => {
  it('arbitrary JSON values through every read', async () => {
    await fc.assert(
      fc.asyncProperty(jsonish, statuses, (value, status) => readEverything(clientAnswering({ status, body: JSON.stringify(value), type: 'application/json' }))),
      { numRuns: 150 },
    );
  });

  it('arbitrary text (truncated JSON, HTML, binary-ish) through every read', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      jsonish.chain((v) => fc.nat({ max: 400 }).map((n) => JSON.stringify(v).slice(0, n))),
      fc.constant('<html><body><h1>502 Bad Gateway</h1></body></html>'),
    );
    await fc.assert(
      fc.asyncProperty(text, statuses, types, (body, status, type) => readEverything(clientAnswering({ status, body, type }))),
      { numRuns: 150 },
    );
  });
});

describe('Prometheus parser never throws', () => {
  const isMetrics = (m: Record<string, unknown>): void => {
    for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
  };

  it('arbitrary text and lines made of metric-like tokens', () => {
    const token = fc.constantFrom('llamacpp:', 'tokens_predicted_total', 'prompt_tokens_total', '{', '}', '="x"', ' ', '\t', '#', 'HELP', 'TYPE', 'NaN', '+Inf', '-Inf', '1e308', '-0', '1.5', '\n', '\r\n', '\u0000', 'é');
    const line = fc.array(token, { maxLength: 12 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.array(line, { maxLength: 20 }).map((l) => l.join('\n'))), (text) => {
        const parsed = parseMetricsText(text);
        expect(parsed.valid + parsed.skipped).toBeGreaterThanOrEqual(0);
        isMetrics(parseMetrics(text));
        expect(typeof looksLikePrometheus(text)).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('a real capture cut or corrupted anywhere', () => {
    fc.assert(
      fc.property(fc.nat({ max: REAL_METRICS.length }), fc.nat({ max: REAL_METRICS.length }), fc.string({ maxLength: 8 }), (cut, at, junk) => {
        const text = `${REAL_METRICS.slice(0, at)}${junk}${REAL_METRICS.slice(at, Math.max(at, cut))}`;
        isMetrics(parseMetrics(text));
      }),
      { numRuns: 200 },
    );
  });

  it('metrics bodies served through the client come back as a Result', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: REAL_METRICS.length }), statuses, async (cut, status) => {
        assertResult(await clientAnswering({ status, body: REAL_METRICS.slice(0, cut), type: 'text/plain; version=0.0.4' }).metrics('model'));
      }),
      { numRuns: 100 },
    );
  });
});
