/**
 * Newer llama-swap's log streams (handleAPILogEvents in its internal/server/apigroup.go): server-sent
 * events at `/api/events/logs?stream=proxy&stream=upstream…`, each stream's history first (unless
 * `no-history`; none for an empty one), then every chunk as it is written, all as `logData`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './sim-context.js';
import { sendSwapError } from './sim-faults.js';

const STREAMS = new Set(['proxy', 'upstream', 'http']);

export function logEvents(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const names = url.searchParams.getAll('stream');
  if (names.length === 0) return sendSwapError(req, res, 400, 'at least one stream is required: proxy, upstream or http');
  const bad = names.find((n) => !STREAMS.has(n));
  if (bad !== undefined) return sendSwapError(req, res, 400, `invalid stream "${bad}". Use proxy, upstream or http`);
  const streams = new Set(names);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Content-Type-Options': 'nosniff', 'X-Accel-Buffering': 'no' });
  // Go marshals the map with its keys sorted: data before source.
  const write = (source: string, text: string): void => {
    if (!res.destroyed) res.write(`event:message\ndata:${JSON.stringify({ type: 'logData', data: JSON.stringify({ data: text, source }) })}\n\n`);
  };
  const unsubscribe = ctx.subscribeLogs((source, text) => {
    if (streams.has(source)) write(source, text);
  });
  // The simulator writes only proxy lines: upstream and http have no history.
  if (!url.searchParams.has('no-history') && streams.has('proxy') && ctx.logText() !== '') write('proxy', ctx.logText());
  res.on('close', unsubscribe);
  ctx.holdStream(res);
}
