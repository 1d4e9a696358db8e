import { existsSync, utimesSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleIsStale, installPlugin, type PluginInstallDeps } from '../../../src/system/swiftbar/swiftbar-install.js';
import { createRecordingRunner, type RecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

let home: TempHome;
let project: string;
let runner: RecordingRunner;
const NODE = '/opt/node/bin/node';

function deps(): PluginInstallDeps {
  return { runner, fsRoot: home, platform: { name: 'linux', uid: 1000 }, env: {}, execPath: NODE, projectDir: project, version: '0.1.0' };
}

/** Sets a file's modification time to `secondsAgo` before now. */
function age(file: string, secondsAgo: number): void {
  const t = Date.now() / 1000 - secondsAgo;
  utimesSync(file, t, t);
}

beforeEach(() => {
  home = createTempHome();
  project = home.path('checkout');
  home.write('checkout/src/main.tsx', '');
  home.write('checkout/src/system/cli.ts', '');
  home.write('checkout/scripts/build.ts', '');
  home.write('checkout/node_modules/tsx/dist/cli.mjs', '');
  home.write('plugins/.keep', '');
  // The fake build writes dist/main.js, as scripts/build.ts does.
  runner = createRecordingRunner([{ file: NODE, answer: () => (home.write('checkout/dist/main.js', ''), { exitCode: 0 }) }]);
});
afterEach(() => home.remove());

const install = (entry?: string): ReturnType<typeof installPlugin> =>
  installPlugin(deps(), { streaming: true, dir: home.path('plugins'), ...(entry === undefined ? {} : { entry }) });

describe('install-plugin builds the bundle of a source checkout', () => {
  it('builds dist/ with tsx when it is missing, then installs the wrapper pointing at it', async () => {
    expect(bundleIsStale(project)).toBe(true);
    const out = await install();
    expect(out.ok).toBe(true);
    expect(out.message).toContain('built dist/');
    expect(runner.lines()).toEqual([`${NODE} ${project}/node_modules/tsx/dist/cli.mjs ${project}/scripts/build.ts`]);
    expect(existsSync(`${project}/dist/main.js`)).toBe(true);
    expect(bundleIsStale(project)).toBe(false);
  });

  it('leaves a bundle newer than every source alone', async () => {
    for (const f of ['src/main.tsx', 'src/system/cli.ts', 'scripts/build.ts']) age(home.write(`checkout/${f}`, ''), 60);
    home.write('checkout/dist/main.js', '');
    const out = await install();
    expect(out.ok).toBe(true);
    expect(runner.calls).toEqual([]);
  });

  it('rebuilds when a nested source file changed after the bundle was built', async () => {
    age(home.write('checkout/dist/main.js', ''), 60);
    for (const f of ['src/main.tsx', 'scripts/build.ts']) age(home.path('checkout', f), 120);
    home.write('checkout/src/system/cli.ts', 'changed');
    expect(bundleIsStale(project)).toBe(true);
    await install();
    expect(runner.calls).toHaveLength(1);
  });

  it('still installs when the build fails, and says why and what to run', async () => {
    runner.on(NODE, undefined, { exitCode: 1, stderr: 'X [ERROR] Could not resolve "./gone.js"\nmore' });
    const out = await install();
    expect(out.ok).toBe(true);
    expect(out.message).toContain('could not build dist/ (X [ERROR] Could not resolve "./gone.js")');
    expect(out.message).toContain('npm run build');
    expect(existsSync(home.path('plugins', 'llama-swap.streamable.sh'))).toBe(true);
  });

  it('does not build for an explicit --entry, nor outside a source checkout', async () => {
    await install(home.write('elsewhere/main.js', ''));
    expect(runner.calls).toEqual([]);
    project = home.path('not-a-checkout');
    await install();
    expect(runner.calls).toEqual([]);
  });

  it('without tsx installed it does not try, and tells the user to npm install', async () => {
    home.remove();
    home = createTempHome();
    project = home.path('checkout');
    home.write('checkout/src/main.tsx', '');
    home.write('checkout/scripts/build.ts', '');
    home.write('plugins/.keep', '');
    const out = await install();
    expect(out.ok).toBe(true);
    expect(runner.calls).toEqual([]);
    expect(out.message).toContain('run npm install');
  });
});
