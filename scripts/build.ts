/**
 * Bundles src/main.tsx into dist/ with esbuild so the plugin starts without compiling
 * TypeScript. Code splitting keeps React, satori and resvg out of the action commands' path:
 * main.tsx loads them with dynamic import() only when it renders a menu.
 */
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');

// Native addons and wasm-carrying packages stay in node_modules; everything else is bundled.
const external = ['@resvg/resvg-js', 'satori', 'systeminformation', 'fsevents'];

export async function buildBundle(options: { readonly quiet?: boolean } = {}): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'src/main.tsx' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    jsx: 'automatic',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS dependencies bundled into ESM still call require() for node builtins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: options.quiet ? 'silent' : 'warning',
  });
  if (!options.quiet) {
    const outputs = Object.entries(result.metafile.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, meta]) => `${path.relative(root, file)} ${(meta.bytes / 1024).toFixed(0)} KB`);
    console.log(`built ${outputs.length} files:\n  ${outputs.join('\n  ')}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildBundle();
}
