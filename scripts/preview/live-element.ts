/**
 * Runs a React element in a streaming menu root in this process and draws its frames live
 * (what `--live` does for an element factory; `drawLive` alone serves a child plugin's stdout).
 */
import { PassThrough } from 'node:stream';
import type { ReactElement } from 'react';
import { createMenuRoot } from '../../src/reconciler/root.js';
import type { Appearance } from './colors.js';
import { drawLive, framesFromStream, type LiveOptions } from './live.js';

export type LiveElementOptions = LiveOptions & { readonly appearance: Appearance };

/** Mounts `factory()` and redraws every frame until `signal` aborts; then unmounts. */
export async function runLiveElement(factory: () => ReactElement, options: LiveElementOptions, signal?: AbortSignal): Promise<void> {
  const stdout = new PassThrough();
  const root = createMenuRoot({ stdout, mode: 'stream', appearance: options.appearance, onFatal: () => stdout.end() });
  const stop = (): void => {
    root.unmount();
    stdout.end();
  };
  signal?.addEventListener('abort', stop, { once: true });
  root.render(factory());
  await drawLive(framesFromStream(stdout), options);
}
