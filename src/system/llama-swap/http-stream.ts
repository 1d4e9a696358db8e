/**
 * A long-lived streaming GET over node:http(s): the body arrives chunk by chunk until either side
 * closes. Used for llama-swap's `/api/events` (server-sent events). Never throws; every end,
 * refusal or failure is reported once through `onEnd` with a short ApiError free of the API key.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { scrub, statusError } from './http.js';
import type { ApiError } from '../types.js';

export type StreamOptions = {
  readonly origin: string;
  /** Already-encoded path and query, starting with `/`. */
  readonly path: string;
  readonly apiKey: string | null;
  /** Deadline for the response headers (the body itself may stay open for hours). */
  readonly connectTimeoutMs: number;
  /** Content types accepted as a stream; anything else is a refusal (e.g. a proxy's HTML). */
  readonly accept: string;
};

export type StreamHandlers = {
  /** The answer's headers arrived with a 2xx status and the expected content type. */
  readonly onOpen: () => void;
  readonly onData: (chunk: string) => void;
  /** Called exactly once: null after close(), else why the stream ended or never opened. */
  readonly onEnd: (error: ApiError | null) => void;
};

export type StreamHandle = { close(): void };

/** Opens the stream; `close()` ends it quietly (onEnd(null)). */
export function openStream(options: StreamOptions, handlers: StreamHandlers): StreamHandle {
  let ended = false;
  let closedByUs = false;
  let req: ClientRequest | null = null;
  let res: IncomingMessage | null = null;
  const end = (error: ApiError | null): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    handlers.onEnd(closedByUs ? null : error === null ? null : { ...error, message: scrub(error.message, options.apiKey) });
  };
  const timer = setTimeout(() => {
    end({ kind: 'timeout', message: `llama-swap's event stream did not answer within ${options.connectTimeoutMs / 1000} s` });
    req?.destroy();
  }, options.connectTimeoutMs);

  const start = async (): Promise<void> => {
    const target = new URL(options.origin + options.path);
    const request = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
    if (ended) return;
    const headers: Record<string, string> = { accept: options.accept, 'cache-control': 'no-cache' };
    if (options.apiKey !== null) headers.authorization = `Bearer ${options.apiKey}`;
    req = request(target, { method: 'GET', headers });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const what = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ECONNRESET' ? 'connection reset' : (e.code ?? 'network error');
      end({ kind: 'unreachable', message: `llama-swap's event stream failed (${what})` });
    });
    req.on('response', (r) => {
      res = r;
      clearTimeout(timer);
      const status = r.statusCode ?? 0;
      const type = String(r.headers['content-type'] ?? '');
      if (status < 200 || status >= 300) {
        r.resume();
        end(statusError(status, '', options.apiKey !== null));
        r.destroy();
        return;
      }
      if (!type.toLowerCase().startsWith(options.accept)) {
        r.destroy();
        end({ kind: 'not-supported', status, message: `llama-swap answered the event stream with ${type === '' ? 'no content type' : type.split(';')[0]}` });
        return;
      }
      r.setEncoding('utf8');
      handlers.onOpen();
      r.on('data', (chunk: string) => {
        if (!ended) handlers.onData(chunk);
      });
      r.on('error', () => end({ kind: 'unreachable', message: "llama-swap's event stream broke off" }));
      r.on('close', () => end({ kind: 'unreachable', message: "llama-swap closed the event stream" }));
    });
    req.end();
  };
  start().catch(() => end({ kind: 'unreachable', message: "llama-swap's event stream could not be opened" }));

  return {
    close() {
      if (ended) return;
      closedByUs = true;
      res?.destroy();
      req?.destroy();
      end(null);
    },
  };
}
