import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './http-util.js';

/**
 * llama-swap's error answer with its content negotiation (internal/shared SendResponse):
 * `text/plain` → `llama-swap: <msg>`, `text/html` → a tiny page, otherwise JSON `{"src","error"}`.
 */
export function sendSwapError(req: IncomingMessage, res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const accept = req.headers.accept ?? '';
  if (accept.includes('text/plain')) return send(res, status, 'text/plain', `llama-swap: ${message}`, headers);
  if (accept.includes('text/html')) {
    const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return send(res, status, 'text/html', `<html><body><h1>llama-swap</h1><p>${escaped}</p></body></html>`, headers);
  }
  send(res, status, 'application/json', JSON.stringify({ src: 'llama-swap', error: message }), headers);
}

/** The API key a request carries, preferring Basic (password), then Bearer, then x-api-key, like llama-swap. */
export function extractApiKey(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? '';
  const space = auth.indexOf(' ');
  let bearer = '';
  let basic = '';
  if (space > 0) {
    const scheme = auth.slice(0, space).toLowerCase();
    const credentials = auth.slice(space + 1);
    if (scheme === 'bearer') bearer = credentials;
    if (scheme === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) basic = decoded.slice(colon + 1);
    }
  }
  const header = req.headers['x-api-key'];
  return basic || bearer || (typeof header === 'string' ? header : '');
}

/**
 * Paths llama-swap serves without an API key: health, the root redirect and the favicon.
 * Its own `/metrics` and the web UI are behind the key (internal/server/server.go at 0bdb3720).
 */
export function isPublicPath(path: string): boolean {
  return path === '/health' || path === '/wol-health' || path === '/' || path === '/favicon.ico';
}

/** Keeps hung responses so they can be released when the scenario changes or the simulator closes. */
export class HungResponses {
  private readonly held = new Set<ServerResponse>();

  hold(res: ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  releaseAll(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }
}

/** `flaky`: of every four requests one hangs, one answers 500, two pass. Returns true when handled. */
export function flakyFault(n: number, req: IncomingMessage, res: ServerResponse, hung: HungResponses): boolean {
  if (n % 4 === 1) {
    hung.hold(res);
    return true;
  }
  if (n % 4 === 3) {
    sendSwapError(req, res, 500, 'simulated failure: upstream command exited prematurely');
    return true;
  }
  return false;
}

/** `garbage`: rotates malformed JSON, a truncated body and an HTML error page. Always handles. */
export function garbageFault(n: number, res: ServerResponse): void {
  const kind = n % 3;
  if (kind === 0) {
    send(res, 200, 'application/json', '{"running":[{"model":"qwen2.5-coder-7b","state":"rea');
  } else if (kind === 1) {
    const body = '{"object":"list","data":[{"id":"qwen2.5-coder-7b","object":"model","created":1795641772,"owned_by":"llama-swap"}]}';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.write(body.slice(0, Math.floor(body.length / 2)));
    setTimeout(() => res.destroy(), 20).unref();
  } else {
    send(res, 502, 'text/html', '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
  }
}
