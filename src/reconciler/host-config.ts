/**
 * React 19 mutation host config (react-reconciler 0.34). Small and boring: every node method
 * calls nodes.ts; the host context only exists to reject impossible trees with readable errors.
 */
import { createContext } from 'react';
import type { HostConfig } from 'react-reconciler';
import { DefaultEventPriority, NoEventPriority } from 'react-reconciler/constants.js';
import { isHostType, type AnyHostProps, type HostType } from './host-elements.js';
import {
  appendChild,
  createElementNode,
  createTextNode,
  insertBefore,
  removeChild,
  setProps,
  type ElementNode,
  type RootNode,
  type TextNode,
} from './nodes.js';

/** Where in the menu a node is being created. */
export type HostContext = 'root' | 'submenu' | 'title' | 'item' | 'sparkline' | 'separator';

/** The generics of our host config, named once (r3f habit). */
export type HostTypes = {
  readonly type: HostType;
  readonly props: AnyHostProps;
  readonly container: RootNode;
  readonly instance: ElementNode;
  readonly textInstance: TextNode;
  readonly context: HostContext;
};

type Config = HostConfig<
  HostType, AnyHostProps, RootNode, ElementNode, TextNode,
  never, never, never, never, ElementNode | TextNode, HostContext,
  never, ReturnType<typeof setTimeout>, -1, null, null, null, never, never, never
>;

const COMPONENT_NAME: Readonly<Record<HostType, string>> = {
  'sb-title': '<Title>',
  'sb-item': '<Item>',
  'sb-submenu': '<Submenu>',
  'sb-separator': '<Separator>',
  'sb-sparkline': '<Sparkline>',
};

const CONTEXT_OF: Readonly<Record<HostType, HostContext>> = {
  'sb-title': 'title',
  'sb-item': 'item',
  'sb-submenu': 'submenu',
  'sb-separator': 'separator',
  'sb-sparkline': 'sparkline',
};

const PLACE: Readonly<Record<HostContext, string>> = {
  root: 'at the top level of the menu',
  submenu: 'directly inside <Submenu> (its own text goes in label=)',
  title: 'inside <Title>, which holds text only',
  item: 'inside <Item>, which holds text only (use <Submenu label=…> to nest items)',
  sparkline: 'inside <Sparkline>, which holds text only',
  separator: 'inside <Separator>, which takes no children',
};

function checkElement(type: string, context: HostContext): HostType {
  if (!isHostType(type)) {
    throw new Error(`Unknown element <${type}>: this renderer only draws <Title>, <Item>, <Submenu>, <Separator> and <Sparkline>.`);
  }
  if (context !== 'root' && context !== 'submenu') {
    throw new Error(`${COMPONENT_NAME[type]} cannot be placed ${PLACE[context]}.`);
  }
  if (type === 'sb-title' && context === 'submenu') {
    throw new Error('<Title> must be at the top level of the menu, not inside <Submenu> (titles are menu-bar lines).');
  }
  return type;
}

function checkText(text: string, context: HostContext): void {
  if (context === 'title' || context === 'item' || context === 'sparkline') return;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  throw new Error(`Text ${JSON.stringify(shown)} cannot be placed ${PLACE[context]}; wrap it in <Item> or <Title>.`);
}

let currentUpdatePriority: number = NoEventPriority;

/** The host config; `resetAfterCommit` tells the container a commit finished. */
export const hostConfig: Config = {
  rendererPackageName: 'llama-swap-swiftbar',
  rendererVersion: '0.1.0',
  extraDevToolsConfig: null,
  supportsMutation: true,
  supportsPersistence: false,
  supportsHydration: false,
  isPrimaryRenderer: true,
  warnsIfNotActing: false,

  // Node methods: one line each into nodes.ts.
  createInstance: (type, props, _root, context) => createElementNode(checkElement(type, context), props),
  createTextInstance: (text, _root, context) => (checkText(text, context), createTextNode(text)),
  appendInitialChild: (parent, child) => appendChild(parent, child),
  appendChild: (parent, child) => appendChild(parent, child),
  appendChildToContainer: (container, child) => appendChild(container, child),
  insertBefore: (parent, child, before) => insertBefore(parent, child, before),
  insertInContainerBefore: (container, child, before) => insertBefore(container, child, before),
  removeChild: (parent, child) => removeChild(parent, child),
  removeChildFromContainer: (container, child) => removeChild(container, child),
  commitUpdate: (node, _type, _prev, next) => setProps(node, next),
  commitTextUpdate: (node, _old, text) => void (node.text = text),
  finalizeInitialChildren: () => false,
  shouldSetTextContent: () => false,
  clearContainer: (container) => void container.children.splice(0),
  hideInstance: (node) => void (node.hidden = true),
  unhideInstance: (node) => void (node.hidden = false),
  hideTextInstance: (node) => void (node.hidden = true),
  unhideTextInstance: (node) => void (node.hidden = false),
  detachDeletedInstance: () => undefined,
  resetTextContent: () => undefined,

  // Context and commit.
  getRootHostContext: () => 'root',
  getChildHostContext: (_parent, type) => CONTEXT_OF[type] ?? 'root',
  getPublicInstance: (node) => node,
  prepareForCommit: () => null,
  resetAfterCommit: (container) => container.onCommit(),
  preparePortalMount: () => undefined,

  // Timers.
  scheduleTimeout: (fn, delay) => setTimeout(fn, delay),
  cancelTimeout: (id) => clearTimeout(id),
  noTimeout: -1,
  supportsMicrotasks: true,
  scheduleMicrotask: (fn) => queueMicrotask(() => void fn()),

  // Priorities: 0.31+ read this trio (the README's getCurrentEventPriority is stale).
  setCurrentUpdatePriority: (priority) => void (currentUpdatePriority = priority),
  getCurrentUpdatePriority: () => currentUpdatePriority,
  resolveUpdatePriority: () => (currentUpdatePriority === NoEventPriority ? DefaultEventPriority : currentUpdatePriority),

  // DOM-only hooks (focus, scopes, instance lookup): nothing to do for a text menu.
  getInstanceFromNode: () => null,
  beforeActiveInstanceBlur: () => undefined,
  afterActiveInstanceBlur: () => undefined,
  prepareScopeUpdate: () => undefined,
  getInstanceFromScope: () => null,

  // Transitions and forms (facebook/react#26722, #28804, #26025, #31528, #31008).
  NotPendingTransition: null,
  HostTransitionContext: createContext<null>(null),
  resetFormInstance: () => undefined,
  requestPostPaintCallback: () => undefined,
  shouldAttemptEagerTransition: () => false,
  trackSchedulerEvent: () => undefined,
  resolveEventType: () => null,
  resolveEventTimeStamp: () => -1.1,

  // Suspensey commits: we never suspend a commit (images are painted after commit).
  maySuspendCommit: () => false,
  maySuspendCommitOnUpdate: () => false,
  maySuspendCommitInSyncRender: () => false,
  preloadInstance: () => true,
  startSuspendingCommit: () => null,
  suspendInstance: () => undefined,
  // Required by 0.34: without it the first startTransition update throws a TypeError.
  suspendOnActiveViewTransition: () => undefined,
  waitForCommitToBeReady: () => null,
  getSuspendedCommitReason: () => null,
  bindToConsole: (method, args) => {
    const log = (console as unknown as Record<string, (...a: unknown[]) => void>)[method] ?? console.log;
    return log.bind(console, ...(args as unknown[]));
  },
};
