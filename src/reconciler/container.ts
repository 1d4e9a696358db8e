/**
 * Creates a React root over a RootNode with real error callbacks (createContainer's positional
 * arguments named in one place, since the typings and the 0.34 runtime disagree on the arity).
 */
import type { ReactNode } from 'react';
import { ConcurrentRoot } from 'react-reconciler/constants.js';
import type { RootNode } from './nodes.js';
import { reconciler } from './reconciler.js';

/** Error callbacks for one root. */
export type ContainerCallbacks = {
  readonly onUncaughtError: (error: unknown) => void;
  readonly onCaughtError?: (error: unknown) => void;
  readonly onRecoverableError?: (error: unknown) => void;
};

/** The reconciler's opaque root handle. */
export type FiberRoot = ReturnType<typeof reconciler.createContainer>;

/** createContainer with named arguments. */
export function createFiberRoot(container: RootNode, callbacks: ContainerCallbacks): FiberRoot {
  return reconciler.createContainer(
    container,
    ConcurrentRoot, // tag: 0.31+ make every root concurrent whatever the tag (architecture §1)
    null, // hydrationCallbacks
    false, // isStrictMode
    null, // concurrentUpdatesByDefaultOverride
    '', // identifierPrefix (useId)
    callbacks.onUncaughtError,
    callbacks.onCaughtError ?? (() => undefined), // an error boundary already handled it
    callbacks.onRecoverableError ?? (() => undefined), // React recovered by itself
    () => undefined, // onDefaultTransitionIndicator (0.33+); there is no pending UI to show
    null, // transitionCallbacks: only in @types 0.34.1; the 0.34 runtime takes 10 arguments and ignores it
  );
}

/** Renders synchronously and flushes (Ink's one-shot pattern). */
export function renderSync(root: FiberRoot, element: ReactNode): void {
  reconciler.updateContainerSync(element, root, null, null);
  reconciler.flushSyncWork();
}
