/**
 * The package as a user installs it: `npm pack` of this tree (its `prepack` builds dist/), then
 * `npm install -g --prefix <tmp>` of the tarball, run from a folder outside the project: `--help`,
 * `--version`, `demo`, `install-plugin --dir <tmp>` and the wrapper it wrote, started with
 * SwiftBar's bare environment against the simulator. Also a fresh clone: `npm ci` (its `prepare`
 * builds dist/) and `npm pack` give the same files. npm cannot install this repository from its git
 * URL globally (it links the command into a temporary clone: npm/cli#3692, #8440), so the
 * README's path from the repository is this one: clone, `npm ci`, `npm pack`, install the tarball. Checks the file list and both size budgets.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaSwapSimulator, DEFAULT_MODELS, type LlamaSwapSimulator } from '../../src/system/simulator/index.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE = 'llama-swap-swiftbar';
const TARBALL_BUDGET = 3 * 1024 * 1024;
const INSTALLED_BUDGET = 80 * 1024 * 1024;
/** npm on a shared 2-core machine: an install or a pack may take minutes, never hours. */
const NPM_TIMEOUT_MS = 240_000;

type Run = { readonly code: number | null; readonly stdout: string; readonly stderr: string };

function run(file: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? NPM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** npm with the test's own cache settings left as the machine has them (offline when it can). */
const npm = (args: readonly string[], cwd: string): Promise<Run> => run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd });

/** Bytes under `dir`, links not followed. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** The project's files as git sees them (tracked and new, not ignored): what a commit of this tree holds. */
async function copyTree(to: string): Promise<void> {
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO });
  expect(listed.code).toBe(0);
  for (const file of listed.stdout.split('\0')) {
    if (file === '' || file === 'node_modules' || !existsSync(path.join(REPO, file))) continue;
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    cpSync(path.join(REPO, file), path.join(to, file));
  }
}

type Packed = { readonly tarball: string; readonly size: number; readonly files: readonly string[] };

async function pack(dir: string, into: string): Promise<Packed> {
  mkdirSync(into, { recursive: true });
  const packed = await npm(['pack', '--json', '--pack-destination', into], dir);
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; size: number; files: { path: string }[] }[];
  if (info === undefined) throw new Error(`npm pack printed no package: ${packed.stdout}`);
  return { tarball: path.join(into, info.filename), size: info.size, files: info.files.map((f) => f.path).sort() };
}

let work: string;
let tree: string;
let prefix: string;
let elsewhere: string;
let packed: Packed;
let sim: LlamaSwapSimulator;
const bin = (): string => path.join(prefix, 'bin', PACKAGE);
const installed = (): string => path.join(prefix, 'lib', 'node_modules', PACKAGE);

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'lss-packed-'));
  tree = path.join(work, 'tree');
  prefix = path.join(work, 'prefix');
  elsewhere = path.join(work, 'elsewhere');
  mkdirSync(elsewhere);
  await copyTree(tree);
  // The copy builds with the project's installed devDependencies; its own dist/ starts empty.
  symlinkSync(path.join(REPO, 'node_modules'), path.join(tree, 'node_modules'));
  packed = await pack(tree, work);
  const install = await npm(['install', '-g', '--prefix', prefix, packed.tarball], elsewhere);
  expect(install.code, install.stderr).toBe(0);
  sim = await createLlamaSwapSimulator({ port: 0, scenario: 'busy' });
}, 2 * NPM_TIMEOUT_MS);

afterAll(async () => {
  await sim?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds the bundle, bin/, README, LICENSE and CHANGELOG: no sources, tests, stories, fixtures, scripts or source maps', () => {
    const built = readdirSync(path.join(tree, 'dist')).filter((f) => f.endsWith('.js'));
    expect(packed.files).toEqual(
      ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/llama-swap-swiftbar.js', 'package.json', ...built.map((f) => `dist/${f}`)].sort(),
    );
    expect(packed.files).toContain('dist/main.js');
    for (const file of packed.files) expect(file).not.toMatch(/^(src|test|scripts)\/|stories|fixtures|\.map$|\.tsx?$/);
  });

  it(`is within the budgets: tarball ≤ 3 MB, installed with its dependencies ≤ 80 MB`, () => {
    expect(packed.size).toBeLessThanOrEqual(TARBALL_BUDGET);
    expect(treeBytes(prefix)).toBeLessThanOrEqual(INSTALLED_BUDGET);
    // Everything but the native chart renderer is inside the bundle.
    expect(readdirSync(path.join(installed(), 'node_modules'))).toEqual(['@resvg']);
  });
});

describe('the installed command, run outside the project', () => {
  it('--help lists the commands and --version prints the package version', async () => {
    const help = await run(bin(), ['--help'], { cwd: elsewhere });
    expect(help.code).toBe(0);
    for (const word of ['install-plugin', 'uninstall-plugin', 'doctor', 'demo', '--version']) expect(help.stdout).toContain(word);
    const version = await run(bin(), ['--version'], { cwd: elsewhere });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('demo runs from the bundle (no devDependency installed) and shows the simulator\'s models', async () => {
    const demo = await run(bin(), ['demo', '--simulator', '--scenario', 'busy', '--seconds', '3'], { cwd: elsewhere, timeoutMs: 60_000 });
    expect(demo.code, demo.stderr).toBe(0);
    expect(DEFAULT_MODELS.some((m) => demo.stdout.includes(m.name ?? m.id))).toBe(true);
  });

  it('install-plugin writes a wrapper that runs the installed package, and under SwiftBar\'s bare environment it streams a menu with the models and charts', async () => {
    const home = path.join(work, 'home');
    const plugins = path.join(work, 'plugins');
    mkdirSync(home);
    const env = { HOME: home, PATH: `${path.join(prefix, 'bin')}:${process.env.PATH ?? ''}`, LLAMA_SWAP_API_PORT: String(sim.port) };
    const install = await run(bin(), ['install-plugin', '--dir', plugins], { cwd: elsewhere, env });
    expect(install.code, install.stderr).toBe(0);
    const wrapper = path.join(plugins, 'llama-swap.streamable.sh');
    const script = readFileSync(wrapper, 'utf8');
    expect(script).toContain(path.join(installed(), 'dist', 'main.js'));
    expect(script).not.toContain(tree);
    expect(script).not.toContain('--import tsx');

    // env -i: only what SwiftBar gives a plugin; the port reaches it through the wrapper alone.
    const child = spawn('env', ['-i', `HOME=${home}`, 'PATH=/usr/bin:/bin', 'SWIFTBAR=1', `SWIFTBAR_PLUGIN_CACHE_PATH=${path.join(work, 'cache')}`, wrapper], {
      cwd: elsewhere,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    try {
      const frame = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame with models and a chart within 90 s; stderr: ${err}`)), 90_000);
        child.on('exit', (code) => reject(new Error(`the plugin exited (${String(code)}): ${err}`)));
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const frames = out.split('\n~~~\n');
          const done = frames.slice(0, -1).find((f) => f.includes('image=') && DEFAULT_MODELS.some((m) => f.includes(m.name ?? m.id)));
          if (done !== undefined) {
            clearTimeout(timer);
            resolve(done);
          }
        });
      });
      expect(frame.split('\n')[0]).toMatch(/\S/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});

describe('a fresh clone', () => {
  it('npm ci builds dist/ (prepare), and npm pack gives the same files as the tarball above (the README\'s path from the repository)', async () => {
    const repo = path.join(work, 'repo');
    cpSync(tree, repo, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
    const git = (args: readonly string[], cwd: string): Promise<Run> => run('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd });
    expect((await git(['init', '-q'], repo)).code).toBe(0);
    expect((await git(['add', '-A'], repo)).code).toBe(0);
    expect((await git(['commit', '-q', '-m', 'tree under test'], repo)).code).toBe(0);
    const clone = path.join(work, 'clone');
    expect((await git(['clone', '-q', repo, clone], work)).code).toBe(0);
    const ci = await npm(['ci'], clone);
    expect(ci.code, ci.stderr).toBe(0);
    expect(existsSync(path.join(clone, 'dist', 'main.js'))).toBe(true);
    const again = await pack(clone, path.join(work, 'clone-pack'));
    // Chunk names carry a hash of the modules' paths, and the tree above links node_modules from
    // elsewhere: the same files, up to that hash.
    const unhashed = (files: readonly string[]): string[] => files.map((f) => f.replace(/-[A-Z0-9]{8}\.js$/, '-#.js')).sort();
    expect(unhashed(again.files)).toEqual(unhashed(packed.files));
    expect(again.size).toBeLessThanOrEqual(TARBALL_BUDGET);
  }, 2 * NPM_TIMEOUT_MS);
});
