/**
 * Draws sparklines in a child process that exists only while charts change: satori (with its
 * yoga WebAssembly) and resvg take ~35 MB that a long-running process never gives back, so the
 * streaming plugin forks draw-child on the first chart to draw and lets it go after `idleMs`
 * without a draw. Results go into the same content cache as in-process drawing; if the child
 * cannot run or fails, the chart is drawn in this process instead (never no image for that).
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { cacheGet, cacheMiss, cacheSet } from './cache.js';
import { renderSparkline, sparklineKey, type SparklineSpec } from './rasterize.js';

/** Draws one chart (cache first) and resolves with its base64 PNG. */
export type SparklineDrawer = (spec: SparklineSpec) => Promise<string>;

export type ChildDrawerOptions = {
  /** The draw-child module (dist/draw-child.js, or the .ts file under tsx). */
  readonly entry: string | URL;
  /** The child exits after this long without a request. @default 20000 */
  readonly idleMs?: number;
  /** Node flags of the child. @default process.execArgv */
  readonly execArgv?: readonly string[];
  /** The child's whole environment. @default none at all: drawing needs no setting and no secret. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * A child is let go after this many charts and the next chart starts a fresh one: satori's
   * WebAssembly memory only grows (~69 MB after start, ~90 MB after 600 charts); a fresh child costs
   * ~0.3 CPU s, so busy (~3 charts/s) pays one every ~11 min. @default 2000
   */
  readonly maxDraws?: number;
  /**
   * Told once per child that ended with an error, in one line (its stderr's first line, e.g.
   * "Error: Cannot find module …"), never a stack trace. @default one line on this process's stderr
   */
  readonly onChildFailure?: (line: string) => void;
};

/** Most of a child's stderr kept to explain its failure. */
const STDERR_KEPT = 4096;

export type ChildDrawer = SparklineDrawer & {
  /** Ends the child now (the plugin is stopping). */
  close(): void;
  /** How many children were started so far (tests, bench). */
  spawned(): number;
  /** A child is running now. */
  running(): boolean;
  /** Starts the child now (it loads satori and resvg meanwhile), e.g. while the first answers are on their way. */
  prewarm(): void;
};

type Reply = { readonly id: number; readonly png?: string; readonly error?: string };
type Waiter = { readonly resolve: (png: string) => void; readonly reject: (error: Error) => void };

/** The first line that says something ("Error: Cannot find module '…'"), cut to 300 characters. */
function firstLine(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => /error/i.test(l)) ?? text.split('\n')[0]?.trim() ?? '';
  return line === '' ? 'no message' : line.slice(0, 300);
}

export function createChildDrawer(options: ChildDrawerOptions): ChildDrawer {
  const idleMs = options.idleMs ?? 20_000;
  const report = options.onChildFailure ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const maxDraws = options.maxDraws ?? 2000;
  let child: ChildProcess | null = null;
  let drawnByChild = 0;
  let spawned = 0;
  let nextId = 1;
  let idleTimer: NodeJS.Timeout | null = null;
  const waiting = new Map<number, Waiter>();
  const inFlight = new Map<string, Promise<string>>();

  const failAll = (why: string): void => {
    for (const w of waiting.values()) w.reject(new Error(why));
    waiting.clear();
  };

  const release = (): void => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    const c = child;
    child = null;
    if (c?.connected) c.disconnect();
  };

  const armIdle = (): void => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (waiting.size === 0) release();
      else armIdle();
    }, idleMs);
    idleTimer.unref();
  };

  const start = (): ChildProcess => {
    spawned++;
    drawnByChild = 0;
    const c = fork(options.entry, [], {
      execArgv: [...(options.execArgv ?? process.execArgv)],
      env: { ...options.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    // The child's stderr is read, not inherited: a failure becomes one line, not a stack trace.
    let stderr = '';
    c.stderr?.setEncoding('utf8');
    c.stderr?.on('data', (text: string) => {
      if (stderr.length < STDERR_KEPT) stderr += text.slice(0, STDERR_KEPT - stderr.length);
    });
    // A pipe is a socket: unref it, as the child and its channel below, so it keeps nothing alive.
    (c.stderr as Socket | null)?.unref();
    c.on('message', (reply: Reply) => {
      const w = waiting.get(reply.id);
      if (!w) return;
      waiting.delete(reply.id);
      if (typeof reply.png === 'string') w.resolve(reply.png);
      else w.reject(new Error(reply.error ?? 'no image'));
      drawnByChild++;
      if (drawnByChild >= maxDraws && waiting.size === 0 && child === c) release();
    });
    const gone = (): void => {
      if (child === c) child = null;
      failAll('chart process ended');
    };
    c.on('exit', (code) => {
      if (code !== 0 && code !== null) report(`chart process exited with ${code}: ${firstLine(stderr)}; charts are drawn in the plugin instead`);
      gone();
    });
    c.on('error', (error) => {
      report(`chart process failed: ${error.message}; charts are drawn in the plugin instead`);
      gone();
    });
    // Neither the child nor its channel keeps the plugin alive.
    c.unref();
    c.channel?.unref();
    return c;
  };

  const viaChild = (spec: SparklineSpec): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      child ??= start();
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      armIdle();
      child.send({ id, spec }, (error) => {
        if (!error) return;
        waiting.delete(id);
        reject(error);
      });
    });

  const draw = ((spec: SparklineSpec): Promise<string> => {
    const key = sparklineKey(spec);
    const hit = cacheGet(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const pending = inFlight.get(key);
    if (pending) return pending;
    cacheMiss();
    const job = viaChild(spec)
      // The child could not draw it: draw here (renderSparkline counts its own miss, caches).
      .catch(() => renderSparkline(spec))
      .then((png) => {
        cacheSet(key, png);
        return png;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, job);
    return job;
  }) as ChildDrawer;
  draw.close = () => {
    failAll('closed');
    release();
  };
  draw.spawned = () => spawned;
  draw.running = () => child !== null;
  draw.prewarm = () => {
    child ??= start();
    armIdle();
  };
  return draw;
}
