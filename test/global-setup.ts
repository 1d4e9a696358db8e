/**
 * Builds dist/ once before any test file runs: the e2e suites drive the built bundle through the
 * installed wrapper (what users run), so they must never test a bundle older than src/.
 */
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../scripts/build.js';
import { bundleIsStale } from '../src/system/swiftbar/swiftbar-install.js';

export default async function setup(): Promise<void> {
  // Only when src/ changed: a build rewrites dist/main.js under any plugin running from it.
  if (bundleIsStale(fileURLToPath(new URL('..', import.meta.url)))) await buildBundle({ quiet: true });
}
