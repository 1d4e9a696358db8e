/**
 * One timed HTTP request that never throws: every failure (refused, timeout, reset, bad
 * status) comes back as an ApiError with a short single-line message free of the API key.
 */
import { BODY_TOO_LARGE, type FetchLike } from './http-node.js';
import type { ApiError, Result } from '../types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export type HttpRequest = {
  readonly method: HttpMethod;
  /** Already-encoded path and query, starting with `/`. */
  readonly path: string;
  readonly body?: unknown;
  /** Maps a non-2xx status to an error; return null to use the generic mapping. */
  readonly onStatus?: (status: number, text: string) => ApiError | null;
  /** Largest body accepted; default bodyLimitFor(path). */
  readonly maxBytes?: number;
};

export type HttpResponse = { readonly status: number; readonly text: string; readonly contentType: string };

export type HttpOptions = {
  readonly origin: string;
  readonly timeoutMs: number;
  readonly apiKey: string | null;
  /** nodeHttpFetch in the plugin; the global fetch fits too. */
  readonly fetch: FetchLike;
};

const KB = 1024;
const MB = 1024 * KB;

/**
 * Largest answer read per endpoint. A remote llama-swap is not under the user's control: without
 * a cap a 10 MB description or 20,000 models is read whole (and then drawn). The model lists
 * get 4 MB (20,000 ordinary entries are ~2.3 MB; a 10 MB description is refused), other JSON
 * 2 MB, llama-server's /metrics text 1 MB (a real one is ~2 KB), and the health checks, which
 * say only "OK", 64 KB.
 */
export function bodyLimitFor(path: string): number {
  const p = path.split('?')[0] ?? path;
  if (p === '/health' || /^\/upstream\/[^/]*\/health$/.test(p)) return 64 * KB;
  if (/^\/upstream\/[^/]*\/metrics$/.test(p)) return 1 * MB;
  if (p === '/v1/models' || p === '/running') return 4 * MB;
  return 2 * MB;
}

function sizeText(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / KB)} KB`;
}

/** The error of an answer over its limit; names the endpoint without its query. */
export function tooLargeError(path: string, limit: number, status?: number): ApiError {
  const endpoint = (path.split('?')[0] ?? path).slice(0, 60);
  return { kind: 'invalid-response', ...(status === undefined ? {} : { status }), message: `llama-swap's answer to ${endpoint} is too large (over ${sizeText(limit)})` };
}

/** Removes every occurrence of the key from a message (belt and braces: messages never include it). */
export function scrub(message: string, apiKey: string | null): string {
  const oneLine = message.replace(/[\r\n\t]+/g, ' ').trim();
  const clean = apiKey !== null && apiKey !== '' ? oneLine.split(apiKey).join('***') : oneLine;
  return clean.length > 160 ? `${clean.slice(0, 159)}…` : clean;
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && typeof cur === 'object' && cur !== null; i += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** TLS failures: https against a plain port (EPROTO, "wrong version number"), bad certificates. */
function isTlsError(code: string | undefined, e: unknown): boolean {
  if (code === undefined) return false;
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return true;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME_MISMATCH/.test(code)) return true;
  return e instanceof Error && /SSL|TLS/.test(e.message) && code === 'ECONNRESET';
}

/** What failed, first, with the address: "llama-swap at http://127.0.0.1:8080 refused the connection". */
function networkError(e: unknown, timedOut: boolean, origin: string, timeoutMs: number): ApiError {
  const at = `llama-swap at ${origin}`;
  if (timedOut) return { kind: 'timeout', message: `${at} did not answer within ${timeoutMs / 1000} s` };
  const code = errorCode(e);
  if (isTlsError(code, e)) {
    const hint = origin.startsWith('https:') ? '; is it plain http?' : '';
    return { kind: 'unreachable', message: `TLS handshake with ${at} failed (${code}${hint})` };
  }
  const message =
    code === 'ECONNREFUSED'
      ? `${at} refused the connection`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `${at}: host not found`
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? `${at} reset the connection`
          : `${at} could not be reached (${code ?? 'network error'})`;
  return { kind: 'unreachable', message };
}

/** The generic mapping of a non-2xx status. */
export function statusError(status: number, text: string, hadKey: boolean): ApiError {
  if (status === 401 || status === 403) {
    return hadKey
      ? { kind: 'unauthorized', status, message: 'API key rejected by llama-swap (check LLAMA_SWAP_API_KEY)' }
      : { kind: 'unauthorized', status, message: 'llama-swap needs an API key (set LLAMA_SWAP_API_KEY)' };
  }
  if (status === 404) return { kind: 'not-supported', status, message: 'not supported by this llama-swap version (404)' };
  // A redirect's body is the server's text about somewhere else (a login page, a session): never shown.
  if (status >= 300 && status < 400) {
    return { kind: 'http', status, message: `llama-swap answered with a redirect (HTTP ${status}): set LLAMA_SWAP_API_BASE_URL to the address it serves on` };
  }
  const reason = shortReason(text);
  return { kind: 'http', status, message: `llama-swap answered HTTP ${status}${reason === '' ? '' : `: ${reason}`}` };
}

/** The first line of a text or JSON error body, shortened. */
export function shortReason(text: string): string {
  let t = text.trim();
  try {
    const j = JSON.parse(t) as unknown;
    if (typeof j === 'object' && j !== null) {
      const err = (j as { error?: unknown }).error;
      const msg = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : err;
      if (typeof msg === 'string') t = msg;
    }
  } catch {
    // plain text body
  }
  if (/^<!doctype|^<html/i.test(t)) return '';
  const first = t.split(/\r?\n/)[0] ?? '';
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}

/** Sends one request with a timeout and the Authorization header when a key is set. */
export async function request(opts: HttpOptions, req: HttpRequest): Promise<Result<HttpResponse>> {
  const controller = new AbortController();
  const maxBytes = req.maxBytes ?? bodyLimitFor(req.path);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs);
  try {
    const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
    if (opts.apiKey !== null) headers.authorization = `Bearer ${opts.apiKey}`;
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    const res = await opts.fetch(opts.origin + req.path, {
      method: req.method,
      headers,
      body,
      signal: controller.signal,
      redirect: 'manual',
      maxBytes,
    });
    // The body read shares the same deadline (a stalled body is a timeout, not a hang).
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      if (timedOut) throw e;
      if (errorCode(e) === BODY_TOO_LARGE) return { ok: false, error: tooLargeError(req.path, maxBytes, res.status) };
      return { ok: false, error: { kind: 'invalid-response', status: res.status, message: 'llama-swap\'s answer was cut short' } };
    }
    // A fetch that does not enforce maxBytes (the global one) is held to it here.
    if (text.length > maxBytes || Buffer.byteLength(text) > maxBytes) {
      controller.abort();
      return { ok: false, error: tooLargeError(req.path, maxBytes, res.status) };
    }
    const contentType = res.headers.get('content-type') ?? '';
    if (res.status >= 200 && res.status < 300) return { ok: true, value: { status: res.status, text, contentType } };
    const mapped = req.onStatus?.(res.status, text) ?? statusError(res.status, text, opts.apiKey !== null);
    return { ok: false, error: { ...mapped, message: scrub(mapped.message, opts.apiKey) } };
  } catch (e) {
    const err = networkError(e, timedOut, opts.origin, opts.timeoutMs);
    return { ok: false, error: { ...err, message: scrub(err.message, opts.apiKey) } };
  } finally {
    clearTimeout(timer);
  }
}
