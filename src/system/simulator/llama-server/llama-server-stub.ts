import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LlamaEngine, type EngineOptions, type JobOutcome } from './llama-engine.js';
import {
  completionBody, errorBody, LOADING_BODY, METRICS_DISABLED_BODY, modelsBody, NOT_FOUND_BODY, propsBody, slotsBody,
  streamEndChunks, streamStartChunk, streamTokenChunk, type CompletionFlavor, type Finished, type StreamMeta,
} from './llama-bodies.js';
import { parseObject, randomId, readBody, send } from '../http-util.js';
import { estimateTokens } from './token-text.js';

/** Settings of a llama-server stand-in. */
export type LlamaServerOptions = EngineOptions & {
  /** Milliseconds `/health` answers 503 "Loading model" before turning ready. */
  readonly loadMs?: number;
  /** false: no `/metrics` route at all (404), like an upstream that is not llama.cpp. @default true */
  readonly metricsRoute?: boolean;
};

/** The request handler of one stand-in llama-server, usable in-process or behind a real socket. */
export type LlamaServerHandler = {
  readonly engine: LlamaEngine;
  isReady(): boolean;
  /**
   * Serves one request; `path` overrides `req.url` (used when proxied under `/upstream/<id>`) and
   * `body` supplies a request body already read by the caller.
   */
  handle(req: IncomingMessage, res: ServerResponse, path?: string, body?: string): void;
  close(): void;
};

/** A stand-in llama-server listening on a TCP port. */
export type RunningLlamaServer = {
  readonly url: string;
  readonly port: number;
  readonly handler: LlamaServerHandler;
  close(): Promise<void>;
};

const JSON_TYPE = 'application/json; charset=utf-8';
const BASE_HEADERS = { Server: 'llama.cpp', 'Access-Control-Allow-Origin': '' };
const COMPLETION_ROUTES: Record<string, CompletionFlavor> = {
  '/completion': 'native', '/completions': 'native', '/v1/completions': 'text',
  '/v1/chat/completions': 'chat', '/chat/completions': 'chat',
};

function sendJson(res: ServerResponse, status: number, body: string): void {
  send(res, status, JSON_TYPE, body, BASE_HEADERS);
}

function promptText(flavor: CompletionFlavor, body: Record<string, unknown>): string {
  if (flavor !== 'chat') {
    const p = body['prompt'];
    return typeof p === 'string' ? p : Array.isArray(p) ? p.map(String).join(' ') : '';
  }
  const messages = Array.isArray(body['messages']) ? (body['messages'] as unknown[]) : [];
  return messages.map((m) => {
    const content = m !== null && typeof m === 'object' ? (m as Record<string, unknown>)['content'] : '';
    return `<|im_start|>${typeof content === 'string' ? content : ''}<|im_end|>\n`;
  }).join('');
}

function requestedTokens(flavor: CompletionFlavor, body: Record<string, unknown>, nCtx: number): number {
  const keys = flavor === 'native' ? ['n_predict'] : ['max_tokens', 'max_completion_tokens', 'n_predict'];
  for (const key of keys) {
    const v = body[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return Math.min(Math.floor(v), nCtx);
  }
  return 128;
}

function streamCompletion(engine: LlamaEngine, res: ServerResponse, flavor: CompletionFlavor, body: Record<string, unknown>, prompt: string): void {
  const meta: StreamMeta = { flavor, model: engine.alias, id: `chatcmpl-${randomId()}`, created: Math.floor(Date.now() / 1000) };
  const opts = body['stream_options'];
  const includeUsage = opts !== null && typeof opts === 'object' && (opts as Record<string, unknown>)['include_usage'] === true;
  const promptTokens = estimateTokens(prompt);
  const nPredict = requestedTokens(flavor, body, engine.nCtx);
  const write = (data: string): void => {
    if (!res.destroyed) res.write(`data: ${data}\n\n`);
  };
  let slotId = 0;
  // Headers go out once a slot takes the request, so a deferred stream shows nothing until then.
  const open = (slot: number): void => {
    slotId = slot;
    if (res.headersSent) return;
    res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const start = streamStartChunk(meta);
    if (start) write(start);
  };
  let ended = false;
  const handle = engine.submit({
    promptTokens, prompt, flavor, nPredict, stream: true, onStart: open,
    onToken: (piece) => write(streamTokenChunk(meta, piece, slotId)),
    onEnd: (outcome: JobOutcome) => {
      ended = true;
      if (outcome.kind === 'done') {
        slotId = outcome.slotId;
        const finished: Finished = { id: meta.id, created: meta.created, text: outcome.text, slotId, promptTokens, nPredict, prompt, truncated: outcome.truncated, timings: outcome.timings };
        for (const chunk of streamEndChunks(meta, finished, includeUsage)) write(chunk);
        if (flavor !== 'native') write('[DONE]');
        res.end();
      } else if (outcome.kind === 'error' && !res.headersSent) {
        sendJson(res, outcome.status, errorBody(outcome.status, outcome.message, outcome.type, outcome.extra));
      } else if (outcome.kind === 'error') {
        write(errorBody(outcome.status, outcome.message, outcome.type, outcome.extra));
        res.end();
      } else {
        res.destroy();
      }
    },
  });
  res.on('close', () => {
    if (!ended) handle.cancel();
  });
}

function completion(engine: LlamaEngine, req: IncomingMessage, res: ServerResponse, flavor: CompletionFlavor, preread?: string): void {
  void (preread !== undefined ? Promise.resolve(preread) : readBody(req)).then((text) => {
    const body = parseObject(text);
    if (!body) {
      sendJson(res, 400, errorBody(400, 'Invalid request body: expected a JSON object', 'invalid_request_error'));
      return;
    }
    const prompt = promptText(flavor, body);
    if (body['stream'] === true) {
      streamCompletion(engine, res, flavor, body, prompt);
      return;
    }
    const promptTokens = estimateTokens(prompt);
    const nPredict = requestedTokens(flavor, body, engine.nCtx);
    let ended = false;
    const handle = engine.submit({
      promptTokens, prompt, flavor, nPredict, stream: false,
      onEnd: (outcome) => {
        ended = true;
        if (outcome.kind === 'done') {
          const finished: Finished = {
            id: `chatcmpl-${randomId()}`, created: Math.floor(Date.now() / 1000), text: outcome.text,
            slotId: outcome.slotId, promptTokens, nPredict, prompt, truncated: outcome.truncated, timings: outcome.timings,
          };
          sendJson(res, 200, completionBody(flavor, engine.alias, finished));
        } else if (outcome.kind === 'error') {
          sendJson(res, outcome.status, errorBody(outcome.status, outcome.message, outcome.type, outcome.extra));
        } else {
          res.destroy();
        }
      },
    });
    res.on('close', () => {
      if (!ended) handle.cancel();
    });
  });
}

/** Creates the handler; the engine reports "loading" for `loadMs`, then serves. */
export function createLlamaServerHandler(options: LlamaServerOptions): LlamaServerHandler {
  const engine = new LlamaEngine(options);
  const created = Math.floor(Date.now() / 1000);
  let ready = (options.loadMs ?? 0) <= 0;
  const loadTimer = ready ? null : setTimeout(() => { ready = true; }, options.loadMs);
  return {
    engine,
    isReady: () => ready,
    close: () => {
      if (loadTimer) clearTimeout(loadTimer);
      engine.close();
    },
    handle: (req, res, path, body) => {
      const url = new URL(path ?? req.url ?? '/', 'http://localhost');
      const route = url.pathname;
      const method = req.method ?? 'GET';
      if (!ready) return sendJson(res, 503, LOADING_BODY);
      if (method === 'OPTIONS') return send(res, 204, 'text/plain', '', BASE_HEADERS);
      const flavor = COMPLETION_ROUTES[route];
      if (flavor && method === 'POST') return completion(engine, req, res, flavor, body);
      if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 404, NOT_FOUND_BODY);
      switch (route) {
        case '/health':
        case '/v1/health':
          return sendJson(res, 200, '{"status":"ok"}');
        case '/metrics':
          // An OpenAI-style upstream (vLLM, fake-model…) has no such route at all.
          if (options.metricsRoute === false) return send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
          if (!engine.metricsEnabled) return send(res, 501, JSON_TYPE, METRICS_DISABLED_BODY, { ...BASE_HEADERS, Connection: 'close' });
          return send(res, 200, 'text/plain; version=0.0.4', engine.scrapeMetrics(), { ...BASE_HEADERS, 'Process-Start-Time-Unix': String(engine.startUs) });
        case '/slots':
          return sendJson(res, 200, slotsBody(engine.readSlots()));
        case '/props':
          return sendJson(res, 200, propsBody(engine));
        case '/models':
        case '/v1/models':
          return sendJson(res, 200, modelsBody(engine, created));
        case '/':
          return send(res, 200, 'text/html; charset=utf-8', `<!doctype html><title>llama.cpp - ${engine.alias}</title><p>llama.cpp server (simulated)</p>`, BASE_HEADERS);
        default:
          return sendJson(res, 404, NOT_FOUND_BODY);
      }
    },
  };
}

/** Starts a stand-in llama-server on `host:port` (port 0 picks a free one). */
export function startLlamaServer(options: LlamaServerOptions & { readonly host?: string; readonly port?: number }): Promise<RunningLlamaServer> {
  const handler = createLlamaServerHandler(options);
  const server = createServer((req, res) => handler.handle(req, res));
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      const host = options.host ?? '127.0.0.1';
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        port,
        handler,
        close: () => new Promise<void>((done) => {
          handler.close();
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
