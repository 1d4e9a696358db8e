/**
 * One frame's text from an element (Ink's renderToString pattern): render synchronously, paint
 * sparklines, serialise, tear down. Render errors are rethrown after teardown.
 */
import type { ReactElement } from 'react';
import { createFiberRoot, renderSync } from './container.js';
import { createRootNode, type MenuNode } from './nodes.js';
import { paint, type Appearance } from './paint.js';
import { serializeFrame } from './serialize.js';

/** Options for one-off rendering. */
export type RenderOptions = {
  /** Picks each sparkline's stroke. @default 'light' */
  readonly appearance?: Appearance;
};

/** A rendered frame plus the painted top-level nodes (the preview reads sparkline values there). */
export type RenderedFrame = { readonly text: string; readonly nodes: readonly MenuNode[] };

/** Renders to text and nodes; throws the first render error. */
export async function renderToFrame(element: ReactElement, options: RenderOptions = {}): Promise<RenderedFrame> {
  const container = createRootNode();
  const errors: unknown[] = [];
  const root = createFiberRoot(container, { onUncaughtError: (error) => errors.push(error) });
  const teardown = (): void => renderSync(root, null);
  try {
    renderSync(root, element);
  } catch (error) {
    errors.push(error);
  }
  if (errors.length > 0) {
    teardown();
    throw errors[0];
  }
  const nodes = [...container.children];
  try {
    await paint(nodes, options.appearance ?? 'light');
    return { text: serializeFrame(nodes), nodes };
  } finally {
    teardown();
  }
}

/** One frame's SwiftBar text (no `~~~`). */
export async function renderToString(element: ReactElement, options: RenderOptions = {}): Promise<string> {
  return (await renderToFrame(element, options)).text;
}
