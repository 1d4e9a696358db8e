/**
 * Builds dist/ once before any test file runs: the e2e suites drive the built bundle through the
 * installed wrapper (what users run), so they must never test a bundle older than src/.
 */
import { buildBundle } from '../scripts/build.js';

export default async function setup(): Promise<void> {
  await buildBundle({ quiet: true });
}
