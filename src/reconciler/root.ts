/**
 * createMenuRoot: a long-lived React root that turns commits into SwiftBar frames on stdout.
 *
 * Coalescing: every commit (resetAfterCommit) marks the tree dirty. The first frame is flushed on
 * setImmediate (a mount is already one batched commit); later frames wait `coalesceMs` (a trailing
 * throttle), so a burst of commits from separate tasks (fetches resolving apart) becomes one frame.
 * A flush paints sparklines (async, cache first) and then, in the same tick as its last sync paint
 * pass, serialises and writes. An uncaught render error becomes an error frame; a broken stdout
 * stops everything and, by default, exits the process quietly with code 0.
 *
 * Clicks: the root owns the click registry. With `clicks: 'stdin'` (an input: the caller decides
 * when SwiftBar writes clicks to stdin) items with `onClick` are written as `stdin=<token>` and
 * `click(token)` runs their handler; with `'bash'` (the default) they keep their `bash` command.
 */
import type { ReactElement } from 'react';
import { createFiberRoot, renderSync } from './container.js';
import { createFrameWriter, type WriterStats } from './frame-writer.js';
import { appendChild, createElementNode, createRootNode, createTextNode } from './nodes.js';
import { paintCached, renderPending, type Appearance, type PaintMemo, type SparklineDraw } from './paint.js';
import { createClickRegistry } from './click-tokens.js';
import { reconciler } from './reconciler.js';
import { serializeFrame } from './serialize.js';

/** Options of createMenuRoot. */
export type MenuRootOptions = {
  /** Where frames go (process.stdout in the plugin). */
  readonly stdout: NodeJS.WritableStream;
  /** `stream`: a frame + `~~~` per change; `once`: exactly one frame, then `done`. */
  readonly mode: 'stream' | 'once';
  /** Picks sparkline strokes. */
  readonly appearance: Appearance;
  /** Called when stdout is gone (EPIPE / closed). @default exits the process with code 0 */
  readonly onFatal?: (error: unknown) => void;
  /** Trailing throttle between frames after the first one, in ms. @default 16 */
  readonly coalesceMs?: number;
  /** Draws a chart that is not in the cache. @default in this process (rasterize.ts) */
  readonly draw?: SparklineDraw;
  /** How clicks reach the plugin: `stdin=<token>` lines, or each item's `bash` command. @default 'bash' */
  readonly clicks?: 'stdin' | 'bash';
};

/** Counters for benchmarks and tests. */
export type MenuRootStats = WriterStats & { readonly commits: number };

/** A menu root. */
export type MenuRoot = {
  render(element: ReactElement): void;
  unmount(): void;
  /** Resolves after the first frame was written (or the root stopped before one). */
  readonly firstFrame: Promise<void>;
  /** Resolves after one-shot output, unmount, or a broken stdout. */
  readonly done: Promise<void>;
  stats(): MenuRootStats;
  /**
   * Runs the handler behind a token written to stdin (this or an earlier frame's). False, with
   * nothing run, for an unknown or malformed token or when clicks are not `'stdin'`.
   */
  click(token: string): boolean;
};

/** Title of the frame shown instead of a crash. */
export const ERROR_TITLE = '⚠️ Menu error';
const MAX_MESSAGE = 240;

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/** The frame written for an error: a title and one readable message line, never a stack. */
export function errorFrame(error: unknown): string {
  const root = createRootNode();
  const title = createElementNode('sb-title', { color: 'red' });
  appendChild(title, createTextNode(ERROR_TITLE));
  const line = createElementNode('sb-item', { color: 'red' });
  appendChild(line, createTextNode(messageOf(error)));
  appendChild(root, title);
  appendChild(root, line);
  return serializeFrame(root);
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Creates a root that writes frames to `options.stdout`. */
export function createMenuRoot(options: MenuRootOptions): MenuRoot {
  const { mode, appearance } = options;
  const coalesceMs = options.coalesceMs ?? 16;
  const first = deferred();
  const done = deferred();
  let commits = 0;
  let wrote = false;
  let stopped = false;
  let dirty = false;
  let flushing = false;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let renderError: unknown;
  let hasRenderError = false;
  const clicks = options.clicks === 'stdin' ? createClickRegistry() : null;
  const serializeOptions = clicks === null ? {} : { clickToken: clicks.tokenFor };

  const container = createRootNode(() => {
    commits++;
    schedule();
  });
  const writer = createFrameWriter({
    stdout: options.stdout,
    trailer: mode === 'stream' ? '~~~\n' : '',
    onClosed: (error) => {
      stop();
      if (options.onFatal) options.onFatal(error);
      else process.exit(0);
    },
  });
  const fiberRoot = createFiberRoot(container, {
    onUncaughtError: (error) => {
      renderError = error;
      hasRenderError = true;
      schedule();
    },
  });

  function cancelTimer(): void {
    if (timer === undefined) return;
    clearTimeout(timer as NodeJS.Timeout);
    clearImmediate(timer as NodeJS.Immediate);
    timer = undefined;
  }

  function schedule(): void {
    dirty = true;
    if (stopped || timer !== undefined || flushing) return;
    timer = wrote ? setTimeout(() => void flush(), coalesceMs) : setImmediate(() => void flush());
  }

  function frameText(): string {
    if (hasRenderError) return errorFrame(renderError);
    try {
      return serializeFrame(container, serializeOptions);
    } catch (error) {
      // Invalid props (a bad colour, a relative bash path) are programming errors: show them.
      return errorFrame(error);
    }
  }

  async function flush(): Promise<void> {
    timer = undefined;
    if (stopped || !dirty) return;
    flushing = true;
    // Per flush: successes live in the rasterizer's LRU cache; a failure is retried next commit.
    const memo: PaintMemo = new Map();
    try {
      let text: string | undefined;
      while (text === undefined) {
        dirty = false;
        const pending = hasRenderError ? [] : paintCached(container.children, appearance, memo);
        if (pending.length === 0) text = frameText();
        else await renderPending(pending, memo, options.draw);
        if (stopped) return;
      }
      writer.write(text, () => {
        if (mode === 'once') finish();
      });
      wrote = true;
      first.resolve();
      if (mode === 'once') stop(false);
    } finally {
      flushing = false;
      if (dirty && !stopped) schedule();
    }
  }

  function finish(): void {
    writer.dispose();
    first.resolve();
    done.resolve();
  }

  function stop(resolveNow = true): void {
    if (stopped) return;
    stopped = true;
    cancelTimer();
    renderSync(fiberRoot, null);
    if (resolveNow) finish();
  }

  return {
    render(element) {
      if (stopped) return;
      hasRenderError = false;
      renderError = undefined;
      if (mode === 'once') renderSync(fiberRoot, element);
      else reconciler.updateContainer(element, fiberRoot, null, null);
    },
    unmount: () => stop(),
    firstFrame: first.promise,
    done: done.promise,
    stats: () => ({ commits, ...writer.stats() }),
    click: (token) => !stopped && clicks !== null && clicks.dispatch(token),
  };
}
