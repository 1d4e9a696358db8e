/**
 * Checks the real-llama-swap harness itself (config, start, health wait, process-group stop) with a
 * tiny fake binary, so the harness stays trustworthy on machines where the real one is missing.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startRealLlamaSwap } from './helpers/real-llama-swap.js';

const dir = mkdtempSync(join(tmpdir(), 'fake-llama-swap-'));

/** A stand-in "llama-swap": leaves a child behind in its process group, serves /health, copies its config. */
function fakeBinary(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const SERVING = fakeBinary('serving', [
  'while [ $# -gt 0 ]; do case "$1" in --listen) listen="$2"; shift 2;; --config) config="$2"; shift 2;; *) shift;; esac; done',
  `cp "$config" "${dir}/config-copy.yaml"`,
  `sleep 300 & echo $! > "${dir}/child.pid"`,
  `exec "${process.execPath}" -e "require('http').createServer((q, s) => s.end('OK')).listen(\${listen##*:}, '127.0.0.1')"`,
].join('\n'));

const CRASHING = fakeBinary('crashing', 'echo "config error: bad yaml" >&2; exit 3');

function isAlive(pid: number): boolean {
  try {
    // A zombie still answers kill(0); it is dead for our purposes.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('real-llama-swap harness (fake binary)', () => {
  it('writes a config whose models run the stand-in llama-server, waits for /health, and stop() kills the group', async () => {
    const sw = await startRealLlamaSwap({
      models: { 'my model/v1': { loadMs: 20, ttl: 5, aliases: ['m'] }, plain: { metrics: false, tps: 99 } },
      apiKeys: ['k1'],
      profiles: { p: { description: 'd', pins: { m: 'plain' } } },
      peers: { 'bravo-box': { proxy: 'http://127.0.0.1:1', models: ['qwen3', 'embed/nomic'] } },
    }, SERVING);
    const health = await fetch(`${sw.url}/health`);
    expect(await health.text()).toBe('OK');

    const config = parse(readFileSync(join(dir, 'config-copy.yaml'), 'utf8')) as {
      models: Record<string, { cmd: string; proxy: string; ttl?: number; aliases?: string[] }>;
      apiKeys: string[];
      profiles: unknown;
      peers: unknown;
    };
    const spaced = config.models['my model/v1'];
    const port = sw.modelPorts['my model/v1'];
    expect(spaced?.proxy).toBe(`http://127.0.0.1:${port}`);
    expect(spaced?.cmd).toContain(`"${process.execPath}" --import "file://`);
    expect(spaced?.cmd).toContain(`llama-server --port ${port} --alias "my model/v1" --load-ms 20 --metrics`);
    expect(spaced).toMatchObject({ ttl: 5, aliases: ['m'] });
    expect(config.models['plain']?.cmd).not.toContain('--metrics');
    expect(config.models['plain']?.cmd).toContain('--tps 99');
    expect(config.apiKeys).toEqual(['k1']);
    expect(config.profiles).toEqual({ p: { description: 'd', pins: { m: 'plain' } } });
    expect(config.peers).toEqual({ 'bravo-box': { proxy: 'http://127.0.0.1:1', models: ['qwen3', 'embed/nomic'] } });

    const childPid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    expect(isAlive(childPid)).toBe(true);
    await sw.stop();
    expect(isAlive(childPid)).toBe(false);
    await expect(fetch(`${sw.url}/health`)).rejects.toThrow();
  }, 30_000);

  it('rejects with llama-swap\'s output when it exits before answering /health', async () => {
    await expect(startRealLlamaSwap({ models: {} }, CRASHING)).rejects.toThrow(/exited \(3\)[\s\S]*bad yaml/);
  }, 30_000);
});
