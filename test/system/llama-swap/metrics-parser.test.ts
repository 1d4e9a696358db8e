import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { looksLikePrometheus, parseMetrics, parseMetricsText, parseValue } from '../../../src/system/llama-swap/metrics-parser.js';

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'llama-server');
const read = (...p: string[]) => readFileSync(path.join(FIX, ...p), 'utf8');

describe('parseMetrics on real b9694 captures', () => {
  it('reads every series of the idle capture as zeros', () => {
    const m = parseMetrics(read('metrics-00-idle-before-requests.txt'));
    expect(m).toEqual({
      promptTokensTotal: 0,
      promptSecondsTotal: 0,
      tokensPredictedTotal: 0,
      tokensPredictedSecondsTotal: 0,
      nDecodeTotal: 0,
      promptTokensPerSecond: 0,
      predictedTokensPerSecond: 0,
      requestsProcessing: 0,
      requestsDeferred: 0,
      busySlotsPerDecode: 0,
    });
  });

  it('reads the after-parallel-run capture exactly', () => {
    const m = parseMetrics(read('metrics-02-after-parallel-run.txt'));
    expect(m.promptTokensTotal).toBe(262);
    expect(m.promptSecondsTotal).toBe(0.037);
    expect(m.tokensPredictedTotal).toBe(2720);
    expect(m.tokensPredictedSecondsTotal).toBe(2.719);
    expect(m.nDecodeTotal).toBe(2675);
    expect(m.busySlotsPerDecode).toBe(2.57495);
    expect(m.promptTokensPerSecond).toBe(7081.08);
    expect(m.predictedTokensPerSecond).toBe(1000.37);
    expect(m.requestsProcessing).toBe(0);
    expect(m.requestsDeferred).toBe(0);
    expect(m.kvCacheUsageRatio).toBeUndefined();
  });

  it('parses every metrics capture without skipped lines', () => {
    const files = [
      ...readdirSync(FIX).filter((f) => /^metrics-0\d.*\.txt$/.test(f) && !f.includes('headers')).map((f) => [f]),
      ...readdirSync(path.join(FIX, 'busy')).filter((f) => f.startsWith('metrics-')).map((f) => ['busy', f]),
      ...readdirSync(path.join(FIX, 'busy-context-exceeded')).filter((f) => f.startsWith('metrics-')).map((f) => ['busy-context-exceeded', f]),
    ];
    expect(files.length).toBeGreaterThan(15);
    for (const f of files) {
      const p = parseMetricsText(read(...f));
      expect(p.skipped, f.join('/')).toBe(0);
      expect(p.samples.get('n_tokens_max'), f.join('/')).toBeTypeOf('number');
      expect(p.metrics.requestsProcessing, f.join('/')).toBeTypeOf('number');
    }
  });

  it('sees the live gauges of the busy run: 4/2, then 2/0, then 0/0', () => {
    const at = (n: number) => parseMetrics(read('busy', `metrics-busy-${n}.txt`));
    expect([at(1).requestsProcessing, at(1).requestsDeferred]).toEqual([4, 2]);
    expect([at(5).requestsProcessing, at(5).requestsDeferred]).toEqual([2, 0]);
    expect([at(7).requestsProcessing, at(7).requestsDeferred]).toEqual([0, 0]);
  });

  it('does not take the 501 JSON body of a server without --metrics for metrics', () => {
    const body = read('metrics-when-disabled.txt').split(/\r?\n\r?\n/).slice(1).join('\n');
    expect(looksLikePrometheus(body)).toBe(false);
    expect(parseMetrics(body)).toEqual({});
  });
});

describe('parseMetrics on odd input', () => {
  it('skips garbage lines instead of throwing', () => {
    const p = parseMetricsText('hello world\n<html><body>x</body></html>\nllamacpp:requests_processing 3\n{"a":1}\n');
    expect(p.metrics).toEqual({ requestsProcessing: 3 });
    expect(p.skipped).toBe(3);
    expect(looksLikePrometheus('<!doctype html><html></html>')).toBe(false);
    expect(looksLikePrometheus('')).toBe(false);
  });

  it('tolerates labels and timestamps, first sample wins', () => {
    const text = [
      'llamacpp:requests_deferred{slot="0",x="a}b"} 2 1700000000000',
      'llamacpp:requests_deferred{slot="1"} 5',
      'llamacpp:kv_cache_usage_ratio 0.25',
      'llamacpp:kv_cache_tokens 512',
    ].join('\n');
    const p = parseMetricsText(text);
    expect(p.metrics).toEqual({ requestsDeferred: 2, kvCacheUsageRatio: 0.25 });
    expect(p.samples.get('kv_cache_tokens')).toBe(512);
  });

  it('keeps NaN and ±Inf out of the typed view', () => {
    const p = parseMetricsText('llamacpp:prompt_tokens_seconds NaN\nllamacpp:predicted_tokens_seconds +Inf\nllamacpp:n_decode_total -Inf\nllamacpp:prompt_tokens_total 1e3\n');
    expect(p.metrics).toEqual({ promptTokensTotal: 1000 });
    expect(p.samples.get('prompt_tokens_seconds')).toBeNaN();
    expect(p.skipped).toBe(0);
  });

  it('ignores series of other exporters and rejects bad values', () => {
    expect(parseMetrics('process_cpu_seconds_total 4\nllamacpp:requests_processing 1x\n')).toEqual({});
    expect(parseValue('0x10')).toBeNull();
    expect(parseValue('-0.5')).toBe(-0.5);
    expect(parseValue('.5')).toBe(0.5);
  });

  it('survives a body cut in the middle of a line', () => {
    const full = read('metrics-02-after-parallel-run.txt');
    const cut = full.slice(0, full.indexOf('llamacpp:tokens_predicted_total 2720') + 'llamacpp:tokens_predi'.length);
    const p = parseMetricsText(cut);
    expect(p.metrics.promptTokensTotal).toBe(262);
    expect(p.metrics.tokensPredictedTotal).toBeUndefined();
    expect(p.skipped).toBe(1);
  });
});

describe('parseMetricsText properties', () => {
  it('never throws and only yields finite numbers in the typed view', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const m = parseMetrics(text);
        for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
