/**
 * Which process listens on a TCP port of this machine. The System section's "llama-swap process"
 * is the one listening on the configured API port (or the launchd job's pid): a process merely
 * named llama-swap may be another instance on another port. macOS asks lsof through the command
 * runner; Linux reads /proc (net/tcp{,6} for the listening socket's inode, then each
 * /proc/<pid>/fd link `socket:[inode]`), so neither needs a shell or extra privileges for our
 * own processes.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { CommandRunner, PlatformName } from '../types.js';

/** The pid listening on `port`, or null when none is found (or it cannot be told). */
export type ListenerLookup = (port: number) => Promise<number | null>;

export const LSOF = '/usr/sbin/lsof';

/** macOS (and any lsof): `lsof -nP -iTCP:<port> -sTCP:LISTEN -t` prints one pid a line. */
export function lsofListener(runner: CommandRunner): ListenerLookup {
  return async (port) => {
    if (!validPort(port)) return null;
    const r = await runner.run(LSOF, ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], { timeoutMs: 2000 });
    // lsof exits 1 when nothing matches; any pid it printed still counts.
    const pids = r.stdout.split('\n').map((l) => Number(l.trim())).filter((n) => Number.isSafeInteger(n) && n > 0);
    return pids[0] ?? null;
  };
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** TCP state LISTEN in /proc/net/tcp. */
const LISTEN = '0A';

/** Inodes of the sockets listening on `port` in /proc/net/tcp-format text. */
export function listeningInodes(table: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode …
    const local = f[1] ?? '';
    if (f[3] === LISTEN && local.slice(local.lastIndexOf(':') + 1).toUpperCase() === hexPort && f[9] !== undefined && f[9] !== '0') out.push(f[9]);
  }
  return out;
}

async function holdsSocket(proc: string, pid: string, links: ReadonlySet<string>): Promise<boolean> {
  let fds: string[];
  try {
    fds = await readdir(path.join(proc, pid, 'fd'));
  } catch {
    return false; // gone, or another user's process
  }
  for (const fd of fds) {
    const target = await readlink(path.join(proc, pid, 'fd', fd)).catch(() => '');
    if (links.has(target)) return true;
  }
  return false;
}

/** Linux: the listening socket's inode from /proc/net/tcp{,6}, then the process holding it. */
export function procListener(proc = '/proc'): ListenerLookup {
  let last: string | null = null; // the previous answer is checked first: usually still right
  return async (port) => {
    if (!validPort(port)) return null;
    const tables = await Promise.all(['tcp', 'tcp6'].map((t) => readFile(path.join(proc, 'net', t), 'utf8').catch(() => '')));
    const inodes = tables.flatMap((t) => listeningInodes(t, port));
    if (inodes.length === 0) return null;
    const links = new Set(inodes.map((i) => `socket:[${i}]`));
    if (last !== null && (await holdsSocket(proc, last, links))) return Number(last);
    const pids = (await readdir(proc).catch(() => [] as string[])).filter((n) => /^\d+$/.test(n));
    for (const pid of pids) {
      if (await holdsSocket(proc, pid, links)) {
        last = pid;
        return Number(pid);
      }
    }
    return null;
  };
}

/** The lookup that fits the platform: lsof on macOS, /proc on Linux, none elsewhere. */
export function listenerLookup(platform: PlatformName, runner: CommandRunner, proc?: string): ListenerLookup {
  if (platform === 'macos') return lsofListener(runner);
  if (platform === 'linux') return procListener(proc);
  return () => Promise.resolve(null);
}
