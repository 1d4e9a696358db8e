import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseObject, readBody } from './http-util.js';
import type { SimContext } from './sim-context.js';
import { sendSwapError } from './sim-faults.js';

/** OpenAI-style and llama.cpp POST routes llama-swap dispatches by the body's `model`. */
export const MODEL_POST_ROUTES: ReadonlySet<string> = new Set([
  '/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/completion', '/infill', '/v1/rerank', '/rerank', '/reranking', '/v1/reranking',
]);

/** Walks the path segments until they name a configured model (ids may contain slashes). */
function findModelInPath(ctx: SimContext, path: string): { name: string; id: string; rest: string } | null {
  const parts = path.split('/');
  let name = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === '') continue;
    name = name === '' ? part : `${name}/${part}`;
    const id = ctx.resolve(name);
    if (id) return { name, id, rest: `/${parts.slice(i + 1).join('/')}` };
  }
  return null;
}

/** Loads the model if needed, then hands the request to its in-process llama-server. */
async function forward(ctx: SimContext, id: string, req: IncomingMessage, res: ServerResponse, path: string, body?: string, track = false): Promise<void> {
  const proc = ctx.processes.get(id);
  if (!proc) return sendSwapError(req, res, 404, 'no local server found for requested model');
  // llama-swap tracks model-dispatched requests from their arrival (waiting for a swap included).
  if (track) ctx.live.track(req, res, id, path.split('?')[0] ?? path);
  const ok = await ctx.ensureLoaded(id);
  const handler = proc.handler;
  if (!ok || !handler || res.destroyed) {
    const reason = proc.lastStartError;
    if (!res.destroyed) {
      if (reason !== null) sendSwapError(req, res, 500, `unspecific error: ${reason}`);
      else sendSwapError(req, res, 502, `unable to start process: model ${id} was stopped while starting`);
    }
    return;
  }
  // Counted only once dispatched, so a request waiting for a stopping model does not hold up its stop.
  proc.begin();
  res.on('close', () => proc.end());
  handler.handle(req, res, path, body);
}

/** `/upstream/<id>/<path>`: any method, loads the model first, strips the prefix. */
export async function handleUpstream(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const found = findModelInPath(ctx, decodeURIComponent(url.pathname.slice('/upstream'.length)));
  if (!found) return sendSwapError(req, res, 404, 'model not found');
  if (found.rest === '/' && !url.pathname.endsWith('/')) {
    const location = `/upstream/${found.name}/${url.search}`;
    res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 301 : 308, { Location: location }).end();
    return;
  }
  await forward(ctx, found.id, req, res, `${found.rest}${url.search}`, undefined, req.method === 'POST' && MODEL_POST_ROUTES.has(found.rest));
}

/** Model-dispatched POST (`/v1/chat/completions` …): the model comes from the JSON body. */
export async function handleModelPost(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const text = await readBody(req);
  const body = parseObject(text);
  const model = body && typeof body['model'] === 'string' ? body['model'] : '';
  if (!model) return sendSwapError(req, res, 404, 'no model id could be identified');
  const id = ctx.resolveRequest(model);
  if (!id) return sendSwapError(req, res, 404, 'no router for requested model');
  await forward(ctx, id, req, res, path, text, true);
}
