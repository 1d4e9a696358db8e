/**
 * One log stream's history from newer llama-swap's `/api/events/logs?stream=<name>` (server-sent
 * events; `logData` moved there from `/api/events`). The server sends each stream's history as one
 * `logData` event right after the subscription (none when it is empty), then live chunks: the first
 * event of the stream asked for is taken and the stream closed. Older llama-swap answers 404.
 */
import { createParser } from 'eventsource-parser';
import { openStream } from './http-stream.js';
import { EnvelopeSchema, LogDataSchema } from './live-schemas.js';
import type { Result } from '../types.js';

export type LogStreamName = 'proxy' | 'upstream';

export type LogHistoryOptions = {
  readonly origin: string;
  readonly apiKey: string | null;
  /** Deadline for the headers, and then for the history event (none in time: an empty history). */
  readonly timeoutMs: number;
};

/** Largest history event read: llama-swap keeps 100 KB per stream, JSON-escaped into this. */
export const MAX_LOG_EVENT_CHARS = 2 * 1024 * 1024;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The text of one `logData` payload from `stream`, or null for anything else. */
export function logDataOf(data: string, stream: LogStreamName): string | null {
  const envelope = EnvelopeSchema.safeParse(parseJson(data));
  if (!envelope.success || envelope.data.type !== 'logData') return null;
  const inner = LogDataSchema.safeParse(parseJson(envelope.data.data));
  return inner.success && inner.data.source === stream ? inner.data.data : null;
}

/** Reads one stream's history; resolves once, never rejects. */
export function readLogHistory(options: LogHistoryOptions, stream: LogStreamName): Promise<Result<string>> {
  return new Promise((resolve) => {
    let settled = false;
    let quiet: NodeJS.Timeout | null = null;
    const done = (r: Result<string>): void => {
      if (settled) return;
      settled = true;
      if (quiet !== null) clearTimeout(quiet);
      resolve(r);
      handle.close();
    };
    const parser = createParser({
      maxBufferSize: MAX_LOG_EVENT_CHARS,
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') done({ ok: false, error: { kind: 'invalid-response', message: "llama-swap's log history was too large" } });
      },
      onEvent: (message) => {
        const text = logDataOf(message.data, stream);
        if (text !== null) done({ ok: true, value: text });
      },
    });
    const handle = openStream(
      { origin: options.origin, path: `/api/events/logs?stream=${stream}`, apiKey: options.apiKey, connectTimeoutMs: options.timeoutMs, accept: 'text/event-stream' },
      {
        // An empty history is not sent at all: silence after the headers means there is none.
        onOpen: () => {
          quiet = setTimeout(() => done({ ok: true, value: '' }), options.timeoutMs);
        },
        onData: (chunk) => parser.feed(chunk),
        onEnd: (error) => done(error === null ? { ok: true, value: '' } : { ok: false, error }),
      },
    );
  });
}
