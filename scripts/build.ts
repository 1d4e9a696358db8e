/**
 * Bundles src/main.tsx into dist/ with esbuild so the plugin starts without compiling
 * TypeScript. Code splitting keeps React, satori and resvg out of the action commands' path:
 * main.tsx loads them with dynamic import() only when it renders a menu.
 *
 *   npx tsx scripts/build.ts [--outdir dist] [--quiet]   (npm run build; `npm ci` runs it as `prepare`,
 *                                                         `npm pack` as `prepack`)
 */
import { build, type Metafile } from 'esbuild';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type BuildOptions = {
  readonly quiet?: boolean;
  /** Default `<project>/dist`. The folder must sit inside the project so node_modules resolve. */
  readonly outdir?: string;
  /** Packages left in node_modules. @default EXTERNAL_PACKAGES */
  readonly external?: readonly string[];
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Only the native addon (resvg) and the macOS-only optional fsevents stay in node_modules: bundled,
 * satori (with its yoga wasm) imports in ~110 ms instead of ~230 ms and systeminformation in
 * ~28 ms instead of ~40 ms (no per-file resolution, no CommonJS lexer; measured on the 2-core box).
 */
export const EXTERNAL_PACKAGES = ['@resvg/resvg-js', 'fsevents'] as const;

/** The CommonJS module scope an ESM chunk lacks; `__lss_` names cannot collide with bundled code. */
export const CJS_SCOPE_BANNER = [
  "import { createRequire as __lss_createRequire } from 'node:module';",
  "import { fileURLToPath as __lss_fileURLToPath } from 'node:url';",
  "import { dirname as __lss_dirname } from 'node:path';",
  'const require = __lss_createRequire(import.meta.url);',
  'const __filename = __lss_fileURLToPath(import.meta.url);',
  'const __dirname = __lss_dirname(__filename);',
].join(' ');

/** Lists the files of the last two builds, so older ones can go. */
const OUTPUTS_FILE = '.build-outputs.json';

/**
 * npm honours an .npmignore inside a folder that package.json's `files` names: it keeps the
 * previous build's chunks and every source map (they hold the sources) out of `npm pack`, so a
 * package carries exactly this build's JavaScript.
 */
const PACK_IGNORE_FILE = '.npmignore';

/** The text of dist/.npmignore: source maps, the build record and the files of older builds. */
export function packIgnore(older: readonly string[]): string {
  return ['*.map', OUTPUTS_FILE, ...older.filter((name) => !name.endsWith('.map'))].map((line) => `${line}\n`).join('');
}

/**
 * Removes what neither this build nor the one before wrote. Not the folder at once: a plugin
 * started from the previous build (SwiftBar's, or a test's) still imports its hashed chunks lazily.
 */
async function pruneOldOutputs(outdir: string, metafile: Metafile): Promise<void> {
  const current = Object.keys(metafile.outputs).map((f) => path.basename(f));
  const record = path.join(outdir, OUTPUTS_FILE);
  let previous: string[] = [];
  try {
    previous = (JSON.parse(await readFile(record, 'utf8')) as { current?: string[] }).current ?? [];
  } catch {
    // First build here, or an unreadable record: keep everything this time.
  }
  const keep = new Set([...current, ...previous, OUTPUTS_FILE, PACK_IGNORE_FILE]);
  if (previous.length > 0) {
    for (const name of await readdir(outdir)) if (!keep.has(name)) await rm(path.join(outdir, name), { force: true, recursive: true });
  }
  await writeFile(record, JSON.stringify({ current }));
  const older = (await readdir(outdir)).filter((name) => !current.includes(name) && name !== OUTPUTS_FILE && name !== PACK_IGNORE_FILE);
  await writeFile(path.join(outdir, PACK_IGNORE_FILE), packIgnore(older));
}

/** Builds the bundle into `outdir` (the previous build's chunks stay for running plugins) and returns esbuild's metafile. */
export async function buildBundle(options: BuildOptions = {}): Promise<Metafile> {
  const outdir = options.outdir ?? path.join(root, 'dist');
  const result = await build({
    absWorkingDir: root,
    // draw-child: the short-lived process that draws charts for the streaming plugin.
    entryPoints: { main: 'src/main.tsx', 'draw-child': 'src/reconciler/sparkline/draw-child.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: [...(options.external ?? EXTERNAL_PACKAGES)],
    jsx: 'automatic',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS dependencies bundled into ESM still expect the CommonJS module scope: require()
    // for node builtins, and __filename/__dirname (each chunk gets its own, which is what they mean).
    banner: { js: CJS_SCOPE_BANNER },
    logLevel: options.quiet ? 'silent' : 'warning',
  });
  await pruneOldOutputs(outdir, result.metafile);
  if (!options.quiet) {
    const outputs = Object.entries(result.metafile.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, meta]) => `${path.relative(root, path.resolve(root, file))} ${(meta.bytes / 1024).toFixed(0)} KB`);
    console.log(`built ${outputs.length} files:\n  ${outputs.join('\n  ')}`);
  }
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const at = process.argv.indexOf('--outdir');
  const outdir = at >= 0 ? process.argv[at + 1] : undefined;
  const quiet = process.argv.includes('--quiet');
  const ext = process.argv.indexOf('--external');
  const external = ext >= 0 ? (process.argv[ext + 1] ?? '').split(',').filter((p) => p !== '') : undefined;
  await buildBundle({ quiet, ...(outdir === undefined ? {} : { outdir: path.resolve(outdir) }), ...(external === undefined ? {} : { external }) });
}
