/**
 * The click registry of one root: each `onClick` handler gets an opaque token that SwiftBar
 * writes back to the plugin's stdin (`stdin=<token>`). A token is derived from what the item
 * would run without stdin (its `bash` command and arguments, else its text), so the same logical
 * item keeps its token across frames, and a token from an older frame still reaches the newest
 * handler of that item. Tokens of items that left the menu are kept for a while (least recently
 * rendered dropped first): the action behind them re-checks its ids when it runs.
 */
import { createHash } from 'node:crypto';
import type { ActionParams } from './element-props.js';

/** A token's shape: `c` and 20 lower-case hex digits. Nothing else is ever looked up. */
const TOKEN = /^c[0-9a-f]{20}$/;

/** How many tokens stay known, counting those of the current frame. */
const DEFAULT_CAPACITY = 512;

export type ClickRegistry = {
  /** The token of an item with `onClick`, registering (or replacing) its handler. */
  tokenFor(props: ActionParams, text: string): string;
  /** Runs the handler of `token`; false (and nothing run) for anything unknown or malformed. */
  dispatch(token: string): boolean;
  /** How many tokens are known (tests, bench). */
  size(): number;
};

/** True when `text` has the shape of a token (it may still be unknown). */
export function isClickToken(text: string): boolean {
  return TOKEN.test(text);
}

/** The stable identity of a clickable item: what it would run, else its text. */
function identityOf(props: ActionParams, text: string): string {
  if (props.bash !== undefined) return JSON.stringify(['bash', props.bash.executable, ...(props.bash.args ?? [])]);
  return JSON.stringify(['text', text]);
}

export function createClickRegistry(capacity: number = DEFAULT_CAPACITY): ClickRegistry {
  // A Map keeps insertion order: re-inserting on every render makes the first entry the stalest.
  const handlers = new Map<string, () => void>();
  return {
    tokenFor(props, text) {
      const token = `c${createHash('sha256').update(identityOf(props, text)).digest('hex').slice(0, 20)}`;
      const handler = props.onClick;
      if (handler !== undefined) {
        handlers.delete(token);
        handlers.set(token, handler);
        while (handlers.size > capacity) {
          const oldest = handlers.keys().next().value;
          if (oldest === undefined) break;
          handlers.delete(oldest);
        }
      }
      return token;
    },
    dispatch(token) {
      if (!isClickToken(token)) return false;
      const handler = handlers.get(token);
      if (handler === undefined) return false;
      handler();
      return true;
    },
    size: () => handlers.size,
  };
}
