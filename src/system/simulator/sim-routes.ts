import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseObject, readBody, send } from './http-util.js';
import { modelStatus, type SimContext } from './sim-context.js';
import { sendSwapError } from './sim-faults.js';
import { logEvents } from './sim-log-events.js';
import { handleModelPost, handleUpstream, MODEL_POST_ROUTES } from './sim-upstream.js';

const JSON_TYPE = 'application/json';

/** Go's json.Encoder ends every document with a newline; keep that. */
function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON_TYPE, `${JSON.stringify(value)}\n`);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, 'text/plain; charset=utf-8', text);
}

function listModels(ctx: SimContext, res: ServerResponse): void {
  const created = Math.floor(ctx.clock() / 1000);
  const record = (id: string, name: string | undefined, description: string | undefined, loaded: boolean, meta: Record<string, unknown>) => ({
    id, object: 'model', created, owned_by: 'llama-swap',
    ...(name?.trim() ? { name: name.trim() } : {}),
    ...(description?.trim() ? { description: description.trim() } : {}),
    meta: { llamaswap: meta },
    status: { value: loaded ? 'loaded' : 'unloaded' },
  });
  const state = (id: string): string | undefined => ctx.processes.get(ctx.resolve(id) ?? '')?.state;
  const data = ctx.models.filter((m) => !m.unlisted).map((m) =>
    record(m.id, m.name, m.description, ctx.processes.get(m.id)?.state === 'ready', { type: 'model', ...(m.aliases?.length ? { aliases: m.aliases } : {}) }),
  );
  const ids = new Set([...ctx.models.flatMap((m) => [m.id, ...(m.aliases ?? [])])]);
  for (const sel of ctx.selectors) {
    ids.add(sel.id);
    const loaded = sel.strategy === 'pin' ? ['ready', 'starting'].includes(state(sel.targets[0] ?? '') ?? '') : sel.targets.some((t) => ['ready', 'starting'].includes(state(t) ?? ''));
    data.push(record(sel.id, sel.name, sel.description, loaded, { type: 'selector', strategy: sel.strategy, targets: sel.targets }));
  }
  // Pins of the active profile that do not shadow a model id, alias or selector: always "unloaded".
  const active = ctx.profiles.find((p) => p.id === ctx.activeProfile());
  for (const [pin, target] of Object.entries(active?.pins ?? {})) {
    if (target === '' || ids.has(pin)) continue;
    data.push(record(pin, '', '', false, { type: 'profile' }));
  }
  data.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  sendJson(res, 200, { object: 'list', data });
}

function running(ctx: SimContext, res: ServerResponse): void {
  const list = [...ctx.processes.values()].filter((p) => p.state !== 'stopped').map((p) => ({
    model: p.config.id, state: p.state, cmd: commandLine(p.config.id, ctx), proxy: ctx.proxyUrl(p.config.id),
    ttl: p.config.ttl ?? 0, name: p.config.name ?? '', description: p.config.description ?? '',
  })).sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  sendJson(res, 200, { running: list });
}

function commandLine(id: string, ctx: SimContext): string {
  const m = ctx.models.find((x) => x.id === id);
  const port = ctx.proxyUrl(id).split(':').pop() ?? '5800';
  return `llama-server --port ${port} -m /models/${id}.gguf --parallel ${m?.slots ?? 4}${m?.metrics === false ? '' : ' --metrics'}`;
}

function performance(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (!ctx.perf) return sendJson(res, 503, { enabled: false });
  const after = url.searchParams.get('after');
  let afterMs: number | undefined;
  if (after) {
    afterMs = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(after) ? Date.parse(after) : Number.NaN;
    if (Number.isNaN(afterMs)) return sendSwapError(req, res, 400, "invalid 'after' timestamp, use RFC3339 format");
  }
  sendJson(res, 200, { enabled: true, ...ctx.perf.current(afterMs) });
}

function profiles(ctx: SimContext, res: ServerResponse): void {
  const list = [...ctx.profiles].sort((a, b) => (a.id < b.id ? -1 : 1)).map((p) => ({ id: p.id, description: p.description ?? '', pins: p.pins }));
  sendJson(res, 200, { active: ctx.activeProfile(), profiles: list });
}

async function setProfile(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = parseObject(await readBody(req));
  if (!body) return sendSwapError(req, res, 400, 'invalid profile request');
  if (!('name' in body)) return sendSwapError(req, res, 400, 'profile name is required');
  const name = body['name'];
  if (name !== null && typeof name !== 'string') return sendSwapError(req, res, 400, 'profile name must be a string or null');
  const id = name === null || name === '' ? null : name;
  if (!ctx.setActiveProfile(id)) return sendSwapError(req, res, 404, `profile "${String(id)}" not found`);
  sendJson(res, 200, { active: ctx.activeProfile() });
}

function events(ctx: SimContext, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Content-Type-Options': 'nosniff', 'X-Accel-Buffering': 'no' });
  const write = (type: string, data: string): void => {
    if (!res.destroyed) res.write(`event:message\ndata:${JSON.stringify({ type, data })}\n\n`);
  };
  // 0bdb3720 opens with both logs' history; newer llama-swap moved logs to /api/events/logs.
  if (ctx.apiLayout === 'pinned') {
    write('logData', JSON.stringify({ source: 'proxy', data: ctx.logText() }));
    write('logData', JSON.stringify({ source: 'upstream', data: '' }));
  }
  write('modelStatus', modelStatus(ctx));
  write('uiConfig', '{}');
  write('profileChanged', JSON.stringify({ active: ctx.activeProfile() }));
  write('inflight', ctx.live.snapshot());
  const unsubscribe = ctx.subscribe(write);
  res.on('close', unsubscribe);
  ctx.holdStream(res);
}

const UI_PAGE = '<!doctype html><html><head><title>llama-swap</title></head><body><h1>llama-swap (simulated)</h1><p>See <a href="/running">/running</a>.</p></body></html>';

/** Routes one authorised request to its llama-swap handler. */
export async function route(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path.startsWith('/upstream/')) return handleUpstream(ctx, req, res, url);
  if (method === 'POST' && MODEL_POST_ROUTES.has(path)) return handleModelPost(ctx, req, res, path);
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /health':
    case 'GET /wol-health':
      return sendText(res, 200, 'OK');
    case 'GET /':
      res.writeHead(302, { Location: '/ui' }).end();
      return;
    case 'GET /upstream':
      res.writeHead(302, { Location: '/ui/models' }).end();
      return;
    case 'GET /v1/models':
    case 'GET /models':
      return listModels(ctx, res);
    case 'GET /running':
      return running(ctx, res);
    case 'GET /unload':
      await ctx.unload();
      return sendText(res, 200, 'OK');
    case 'POST /api/models/unload':
      await ctx.unload();
      return sendJson(res, 200, { msg: 'ok' });
    case 'GET /api/performance':
      return performance(ctx, req, res, url);
    case 'GET /api/profiles':
      return profiles(ctx, res);
    case 'PUT /api/profiles/active':
      return setProfile(ctx, req, res);
    case 'GET /api/version':
      return sendJson(res, 200, ctx.version);
    case 'GET /api/events':
      return events(ctx, res);
    case 'GET /api/events/logs':
      if (ctx.apiLayout === 'newer') return logEvents(ctx, req, res, url);
      break;
    case 'GET /api/metrics/activity': {
      const page = ctx.live.activity(url);
      return page.status === 200 ? sendJson(res, 200, page.body) : sendSwapError(req, res, page.status, String(page.body));
    }
    case 'GET /api/metrics/stats':
      return sendJson(res, 200, ctx.live.stats(url));
    case 'GET /logs':
      return sendText(res, 200, combinedLog(ctx));
    case 'GET /logs/stream':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.write(combinedLog(ctx));
      ctx.holdStream(res);
      return;
    case 'GET /metrics':
      if (!ctx.perf) return send(res, 503, 'text/plain; charset=utf-8', '# performance monitor not available\n');
      return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', swapMetrics(ctx));
  }
  if (method === 'POST' && path.startsWith('/api/models/unload/')) {
    const requested = decodeURIComponent(path.slice('/api/models/unload/'.length));
    const id = ctx.resolve(requested);
    if (!id) return sendSwapError(req, res, 404, 'model not found');
    await ctx.unload([id]);
    return sendText(res, 200, 'OK');
  }
  const cancel = /^\/api\/inflight\/([^/]+)\/cancel$/.exec(path);
  if (method === 'POST' && cancel) {
    if (!ctx.live.cancel(decodeURIComponent(cancel[1] ?? ''))) return sendSwapError(req, res, 404, 'inflight request not found');
    return sendJson(res, 200, { msg: 'ok' });
  }
  if (method === 'GET' && (path === '/ui' || path.startsWith('/ui/'))) return send(res, 200, 'text/html; charset=utf-8', UI_PAGE);
  send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
}

/** `/logs` serves the combined (mux) log: proxy lines reach it only when logToStdout sends them to stdout. */
function combinedLog(ctx: SimContext): string {
  return ctx.logToStdout === 'proxy' || ctx.logToStdout === 'both' ? ctx.logText() : '';
}

function swapMetrics(ctx: SimContext): string {
  const last = ctx.perf?.current().sys_stats.at(-1);
  const cpu = last ? last.cpu_util_per_core.reduce((a, b) => a + b, 0) / last.cpu_util_per_core.length : 0;
  return [
    '# HELP llamaswap_cpu_util_percent Average CPU utilisation.', '# TYPE llamaswap_cpu_util_percent gauge', `llamaswap_cpu_util_percent ${cpu.toFixed(2)}`,
    '# HELP llamaswap_mem_used_mb Memory used.', '# TYPE llamaswap_mem_used_mb gauge', `llamaswap_mem_used_mb ${last?.mem_used_mb ?? 0}`, '',
  ].join('\n');
}
