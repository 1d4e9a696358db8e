/**
 * The subset of fetch that request() uses, over node:http / node:https. Node's global fetch is
 * undici, which loads ~60 ms of JavaScript on its first call: more than an action command's
 * whole budget. node:http is part of Node's start-up snapshot and costs nothing to load.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';

/** What request() passes to fetch. */
export type FetchInit = {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
  readonly redirect: 'manual';
  /** Largest body read (bytes): a longer one rejects with BODY_TOO_LARGE and the socket is closed. */
  readonly maxBytes?: number;
};

/** What request() reads of a fetch Response. */
export type FetchResponse = {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
};

/** A fetch-shaped function: the global fetch fits, and so does nodeHttpFetch. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

function abortError(): Error {
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** The error code of a body over FetchInit.maxBytes. */
export const BODY_TOO_LARGE = 'ERR_BODY_TOO_LARGE';

function tooLarge(limit: number): Error {
  return Object.assign(new Error(`response body over ${limit} bytes`), { code: BODY_TOO_LARGE, limit });
}

function readBody(res: IncomingMessage, signal: AbortSignal, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    // Stop reading at once: destroying the response closes the socket, so a hostile server
    // streaming without end costs no more than the limit.
    const refuse = (): void => {
      reject(tooLarge(maxBytes));
      parts.length = 0;
      res.destroy();
      res.socket?.destroy();
    };
    const onAbort = (): void => {
      res.destroy();
      reject(abortError());
    };
    if (signal.aborted) return onAbort();
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return refuse();
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) refuse();
      else parts.push(chunk);
    });
    res.on('error', (error) => reject(error));
    res.on('close', () => {
      signal.removeEventListener('abort', onAbort);
      // 'close' before the whole body arrived: the connection broke off mid-answer.
      if (res.complete) resolve(Buffer.concat(parts).toString('utf8'));
      else reject(Object.assign(new Error('response body cut short'), { code: 'ECONNRESET' }));
    });
  });
}

/** One HTTP(S) request with fetch's shape; never follows redirects (request() asks for manual). */
export async function nodeHttpFetch(url: string, init: FetchInit): Promise<FetchResponse> {
  const target = new URL(url);
  // https (a remote llama-swap) loads TLS only when used.
  const request = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    if (init.signal.aborted) return reject(abortError());
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const req = request(target, { method: init.method, headers });
    const onAbort = (): void => {
      req.destroy(abortError());
    };
    init.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => {
      init.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    req.on('response', (res) => {
      init.signal.removeEventListener('abort', onAbort);
      const body = readBody(res, init.signal, init.maxBytes ?? Number.POSITIVE_INFINITY);
      // A rejection nobody awaits yet (text() not called) must not crash the process.
      body.catch(() => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: {
          get: (name) => {
            const value = res.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          },
        },
        text: () => body,
      });
    });
    req.end(init.body);
  });
}
