/**
 * The port a model's upstream listens on. Its own module (no systeminformation): the action path
 * reads it through known-processes, and must not pull the menu's system figures in.
 */
import type { RunningModel } from '../types.js';

/** The TCP port a model's server listens on: the proxy URL's port, else `--port N` in cmd. */
export function modelPort(model: Pick<RunningModel, 'proxy' | 'cmd'>): number | null {
  try {
    const url = new URL(model.proxy);
    if (url.port !== '') return Number(url.port);
  } catch {
    // not a URL; try the command line
  }
  const m = /(?:^|\s)--port(?:=|\s+)(\d{1,5})(?=\s|$)/.exec(model.cmd);
  const port = m ? Number(m[1]) : Number.NaN;
  return port >= 1 && port <= 65535 ? port : null;
}
