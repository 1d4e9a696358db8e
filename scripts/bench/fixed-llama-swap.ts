/**
 * A fixed, deterministic llama-swap for the benchmark (no simulator randomness): three loaded
 * models and two more configured, GPU and system figures from `/api/performance`. `idle`: every
 * answer is byte-identical forever. `busy`: the first model always has one request processing
 * and one finishing every 5 s (its counters step, as llama.cpp's do when a request ends); the
 * performance figures cycle through four fixed samples. Answers unload requests with 200.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FixedMode = 'idle' | 'busy';

export type FixedLlamaSwap = { readonly url: string; readonly requests: () => number; close(): Promise<void> };

const MODELS = ['qwen2.5-coder-7b', 'llama-3.2-3b', 'nomic-embed'] as const;
const CONFIGURED = [...MODELS, 'gemma-2-9b', 'mistral-7b'];
const PORTS = [5800, 5801, 5802];
/** A request finishes every this many ms in `busy`. */
const FINISH_EVERY_MS = 5000;

function runningBody(): string {
  return JSON.stringify({
    running: MODELS.map((id, i) => ({
      model: id,
      state: 'ready',
      cmd: `/usr/local/bin/llama-server --port ${PORTS[i]} -m /models/${id}.gguf --metrics`,
      proxy: `http://127.0.0.1:${PORTS[i]}`,
      ttl: 0,
      name: id,
      description: `bench model ${i + 1}`,
    })),
  });
}

const modelsBody = JSON.stringify({ object: 'list', data: CONFIGURED.map((id) => ({ id, object: 'model', created: 1, owned_by: 'llama-swap', name: id, description: '' })) });

function metricsText(processing: number, finished: number): string {
  const counter = (name: string, v: number | string): string => `# TYPE llamacpp:${name} counter\nllamacpp:${name} ${v}\n`;
  const gauge = (name: string, v: number): string => `# TYPE llamacpp:${name} gauge\nllamacpp:${name} ${v}\n`;
  return [
    counter('prompt_tokens_total', 400 * finished),
    counter('prompt_seconds_total', (0.2 * finished).toFixed(3)),
    counter('tokens_predicted_total', 180 * finished),
    counter('tokens_predicted_seconds_total', (4.5 * finished).toFixed(3)),
    counter('n_decode_total', 180 * finished),
    gauge('prompt_tokens_seconds', finished === 0 ? 0 : 2000),
    gauge('predicted_tokens_seconds', finished === 0 ? 0 : 40),
    gauge('requests_processing', processing),
    gauge('requests_deferred', 0),
  ].join('');
}

function performanceBody(step: number): string {
  const cpu = [12, 38, 64, 25][step % 4] ?? 12;
  const gpu = [30, 85, 92, 60][step % 4] ?? 30;
  const at = '2026-11-25T10:00:00Z';
  return JSON.stringify({
    enabled: true,
    sys_stats: [{ timestamp: at, cpu_util_per_core: [cpu, cpu / 2, cpu, cpu / 2], mem_total_mb: 32768, mem_used_mb: 18000 + step % 4 * 100, mem_free_mb: 14000, swap_total_mb: 2048, swap_used_mb: 128, load_avg_1: 1.5, load_avg_5: 1.2, load_avg_15: 1, net_io: [] }],
    gpu_stats: [{ timestamp: at, id: 0, name: 'Apple M2 Max (38-core GPU)', uuid: '', temp_c: 55, vram_temp_c: 0, gpu_util_pct: gpu, mem_util_pct: 0, mem_used_mb: 14000, mem_total_mb: 32768, fan_speed_pct: 0, power_draw_w: 20 }],
  });
}

/** Starts the server on 127.0.0.1 (ephemeral port). */
export async function startFixedLlamaSwap(mode: FixedMode): Promise<FixedLlamaSwap> {
  const started = Date.now();
  let requests = 0;
  const running = runningBody();
  const server = http.createServer((req, res) => {
    requests++;
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, body: string, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const busyStep = mode === 'busy' ? Math.floor((Date.now() - started) / FINISH_EVERY_MS) : 0;
    if (req.method === 'GET' && url === '/running') return send(200, running);
    if (req.method === 'GET' && (url === '/v1/models' || url === '/models')) return send(200, modelsBody);
    if (req.method === 'GET' && url === '/api/performance') return send(200, performanceBody(busyStep));
    if (req.method === 'GET' && url === '/health') return send(200, 'OK', 'text/plain');
    if (req.method === 'POST' && url.startsWith('/api/models/unload')) return send(200, '{"msg":"ok"}');
    const up = /^\/upstream\/([^/]+)\/metrics$/.exec(url);
    if (req.method === 'GET' && up) {
      const first = decodeURIComponent(up[1] ?? '') === MODELS[0];
      const body = first && mode === 'busy' ? metricsText(1, busyStep) : metricsText(0, 3);
      return send(200, body, 'text/plain; version=0.0.4');
    }
    send(404, '404 page not found', 'text/plain');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
