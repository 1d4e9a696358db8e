/**
 * Clicks from SwiftBar 2.1: each stdin line is a token the menu wrote as `stdin=<token>`. A line
 * that is not a known token (unknown, malformed, too long) is logged and ignored, never run; the
 * end of stdin is logged and the plugin keeps running (it still shows frames; clicks stop).
 */
import type { DebugFields } from './debug-log.js';
import { readLines } from './stdin-lines.js';

type Log = (message: string, fields?: DebugFields) => void;

/** Longest line read as a token; anything longer is dropped unread. Tokens are 21 characters. */
const MAX_CLICK_LINE_BYTES = 256;

/** Passes each stdin line to `click` (false: not a token it knows); returns a function that stops. */
export function listenForClicks(stream: NodeJS.ReadableStream, click: (token: string) => boolean, log: Log): () => void {
  return readLines(stream, {
    onLine: (line) => {
      const token = line.trim();
      let ran = false;
      try {
        ran = click(token);
      } catch (error) {
        // A handler that throws is a bug; it must not take the menu down.
        log('click handler failed', { error: String(error) });
        return;
      }
      if (ran) log('click', { token });
      else log('stdin line ignored: not a known click token', { length: line.length, start: JSON.stringify(line.slice(0, 40)) });
    },
    onOversized: (bytes) => log('stdin line ignored: too long', { bytes }),
    onEnd: (error) => log('stdin closed; clicks from SwiftBar no longer arrive', { error: error?.message }),
  }, MAX_CLICK_LINE_BYTES);
}
