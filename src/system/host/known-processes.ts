/**
 * llama-swap's and each model's process figures without listing every process on every poll
 * (systeminformation's `processes()` spawns a full `ps` and parses it: ~80–150 ms a call). The
 * pids are found once, by a cheap listing (Linux: /proc/<pid>/cmdline; macOS: `ps -A -o
 * pid=,command=`), then only the known pids are read (Linux: /proc/<pid>/stat; macOS: `ps -p
 * <pids> -o pid=,rss=,%cpu=,command=`). A pid is trusted only while its command line still names
 * the model's port, so a restarted model or a reused pid is found again. llama-swap's own process
 * is the launchd job's pid, else the one listening on the configured API port (asked again every
 * minute): never a process found by name, which may be an unrelated llama-swap on another port.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { ListenerLookup } from './listening-process.js';
import type { CommandRunner, PlatformName, ProcessStats, RunningModel } from '../types.js';
import { modelPort } from './model-port.js';

/** One process as the listing or a read gives it. */
export type ProcessEntry = { readonly pid: number; readonly command: string };

/** Figures of one known process. */
export type ProcessReading = ProcessEntry & { readonly rssBytes: number; readonly cpuPercent: number };

/** How processes are listed and read on one platform (injectable for tests). */
export type ProcessTable = {
  list(): Promise<readonly ProcessEntry[]>;
  read(pids: readonly number[]): Promise<readonly ProcessReading[]>;
};

export type KnownProcessFigures = {
  readonly llamaSwap: ProcessStats | null;
  readonly models: Readonly<Record<string, ProcessStats>>;
};

/** After a listing found no process for some model, list again at most this often. */
const RELIST_MS = 60_000;
/** How long the API port's listener is trusted before it is looked up again. */
const LISTENER_TTL_MS = 60_000;

function listensOn(command: string, port: number): boolean {
  return new RegExp(`(?:^|\\s)--port(?:=|\\s+)${port}(?=\\s|$)`).test(command);
}

/**
 * The program a command line runs, when it is an absolute path: everything before the first
 * option, so a folder with spaces in its name survives (ps joins argv with spaces).
 */
export function executableOf(command: string): string | null {
  const program = command.split(/\s+-/)[0]?.trim() ?? '';
  return program.startsWith('/') ? program : null;
}

/** Only to keep llama-swap's own process out of the model servers' matches. */
function isLlamaSwap(command: string): boolean {
  return /(^|\/)llama-swap$/.test(command.split(/\s/)[0] ?? '');
}

/** /proc files read at once while listing processes. */
const LIST_READS_AT_ONCE = 8;

/** Linux: /proc only, no child process. CPU % is the share of one core since the previous read. */
export function procTable(root = '/proc', clockTicks = 100, pageBytes = 4096, now: () => number = Date.now): ProcessTable {
  const previous = new Map<number, { readonly cpuSec: number; readonly at: number }>();
  const cmdline = async (pid: number): Promise<string> => (await readFile(`${root}/${pid}/cmdline`, 'utf8')).replace(/\0+$/, '').replace(/\0/g, ' ');
  return {
    async list() {
      const pids = (await readdir(root)).filter((n) => /^\d+$/.test(n)).map(Number);
      const out: ProcessEntry[] = [];
      // A few files open at a time, however many processes run (every read holds one open).
      for (let at = 0; at < pids.length; at += LIST_READS_AT_ONCE) {
        await Promise.all(
          pids.slice(at, at + LIST_READS_AT_ONCE).map(async (pid) => {
            const command = await cmdline(pid).catch(() => '');
            if (command !== '') out.push({ pid, command });
          }),
        );
      }
      return out;
    },
    async read(pids) {
      const [uptime] = (await readFile(`${root}/uptime`, 'utf8').catch(() => '0')).split(' ');
      // Only the pids asked for now are remembered (bounded by the processes shown).
      for (const pid of [...previous.keys()]) if (!pids.includes(pid)) previous.delete(pid);
      const out: ProcessReading[] = [];
      for (const pid of pids) {
        try {
          const [stat, command] = await Promise.all([readFile(`${root}/${pid}/stat`, 'utf8'), cmdline(pid)]);
          // Fields after the command name (which may hold spaces) start after the last ')'.
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const cpuSec = (Number(f[11]) + Number(f[12])) / clockTicks;
          const at = now();
          const prev = previous.get(pid);
          // First read: the average since the process started, as ps reports it.
          const sinceStart = Number(uptime) - Number(f[19]) / clockTicks;
          const percent = prev && at > prev.at ? ((cpuSec - prev.cpuSec) / ((at - prev.at) / 1000)) * 100 : sinceStart > 0 ? (cpuSec / sinceStart) * 100 : 0;
          previous.set(pid, { cpuSec, at });
          out.push({ pid, command, rssBytes: Number(f[21]) * pageBytes, cpuPercent: Number.isFinite(percent) ? Math.max(0, percent) : 0 });
        } catch {
          previous.delete(pid);
        }
      }
      return out;
    },
  };
}

function parsePs(stdout: string, withFigures: boolean): (ProcessReading | ProcessEntry)[] {
  const out: (ProcessReading | ProcessEntry)[] = [];
  for (const line of stdout.split('\n')) {
    const m = withFigures ? /^\s*(\d+)\s+(\d+)\s+([\d.,]+)\s+(.*)$/.exec(line) : /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    if (withFigures) out.push({ pid: Number(m[1]), rssBytes: Number(m[2]) * 1024, cpuPercent: Number((m[3] ?? '0').replace(',', '.')) || 0, command: m[4] ?? '' });
    else out.push({ pid: Number(m[1]), command: m[2] ?? '' });
  }
  return out;
}

/** macOS (and other Unix): `ps` through the command runner, argv only. */
export function psTable(runner: CommandRunner): ProcessTable {
  return {
    async list() {
      const r = await runner.run('ps', ['-A', '-o', 'pid=,command='], { timeoutMs: 5000 });
      return r.exitCode === 0 ? parsePs(r.stdout, false) : [];
    },
    async read(pids) {
      if (pids.length === 0) return [];
      // ps exits 1 when some pid is gone but still prints the others.
      const r = await runner.run('ps', ['-p', pids.join(','), '-o', 'pid=,rss=,%cpu=,command='], { timeoutMs: 5000 });
      return parsePs(r.stdout, true) as ProcessReading[];
    },
  };
}

/** The table for this platform. */
export function processTableFor(platform: PlatformName, runner: CommandRunner): ProcessTable {
  return platform === 'linux' ? procTable() : psTable(runner);
}

/** Remembers which pid serves llama-swap and each model's port between calls. */
export function createKnownProcesses(table: ProcessTable, listener: ListenerLookup | null = null, now: () => number = Date.now) {
  const pidByPort = new Map<number, number>();
  let swapPid: number | null = null;
  let listedAt = Number.NEGATIVE_INFINITY;
  let listenerAt = Number.NEGATIVE_INFINITY;

  const stats = (r: ProcessReading): ProcessStats => ({ pid: r.pid, cpuPercent: r.cpuPercent, rssBytes: r.rssBytes });

  async function relist(ports: readonly number[], llamaSwapPid: number | null): Promise<void> {
    listedAt = now();
    const list = await table.list();
    for (const port of ports) {
      const p = list.find((e) => e.pid !== llamaSwapPid && !isLlamaSwap(e.command) && listensOn(e.command, port));
      if (p) pidByPort.set(port, p.pid);
    }
  }

  async function findListener(port: number | null): Promise<void> {
    if (port === null || listener === null || now() - listenerAt < LISTENER_TTL_MS) return;
    listenerAt = now();
    swapPid = await listener(port).catch(() => null);
  }

  return async (input: {
    readonly running: readonly RunningModel[];
    readonly llamaSwapPid: number | null;
    /** The port llama-swap's API listens on (its listener is llama-swap when there is no job pid). */
    readonly llamaSwapPort?: number | null;
  }): Promise<KnownProcessFigures> => {
    const ports = new Map<string, number>();
    for (const m of input.running) {
      const port = modelPort(m);
      if (port !== null) ports.set(m.id, port);
    }
    if (input.llamaSwapPid !== null) swapPid = input.llamaSwapPid;
    else await findListener(input.llamaSwapPort ?? null);
    const missing = [...ports.values()].some((port) => !pidByPort.has(port));
    if (missing && now() - listedAt >= RELIST_MS) await relist([...ports.values()], input.llamaSwapPid);

    const wanted = [...new Set([...(swapPid === null ? [] : [swapPid]), ...[...ports.values()].flatMap((p) => pidByPort.get(p) ?? [])])];
    const readings = new Map((await table.read(wanted)).map((r) => [r.pid, r]));
    let swap: ProcessStats | null = null;
    if (swapPid !== null) {
      const r = readings.get(swapPid);
      if (r) swap = { ...stats(r), executable: executableOf(r.command) };
      else if (input.llamaSwapPid === null) {
        // The listener exited: look the port up again next time.
        swapPid = null;
        listenerAt = Number.NEGATIVE_INFINITY;
      }
    }
    const models: Record<string, ProcessStats> = {};
    for (const [id, port] of ports) {
      const pid = pidByPort.get(port);
      const r = pid === undefined ? undefined : readings.get(pid);
      if (r && listensOn(r.command, port)) models[id] = stats(r);
      else if (pid !== undefined) {
        // Gone or no longer this model's server: find it again on the next call.
        pidByPort.delete(port);
        listedAt = Number.NEGATIVE_INFINITY;
      }
    }
    return { llamaSwap: swap, models };
  };
}
