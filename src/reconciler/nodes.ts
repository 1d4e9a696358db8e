/**
 * Plain data node model the host config mutates (Ink's dom.ts analogue). Nodes are mutable on
 * purpose: React's mutation mode edits them in place; everything downstream only reads them.
 */
import type { AnyHostProps, HostElementProps, HostType } from './host-elements.js';

/** A text run inside a Title, Item or Sparkline. */
export type TextNode = {
  readonly kind: 'text';
  text: string;
  hidden: boolean;
  parent: ElementNode | null;
};

type ElementOf<T extends HostType> = {
  readonly kind: 'element';
  readonly type: T;
  props: HostElementProps[T];
  children: MenuNode[];
  hidden: boolean;
  parent: ElementNode | RootNode | null;
  /** Base64 PNG given by the paint stage (sb-sparkline only). */
  image: string | undefined;
};

/** One host element; `type` discriminates its props. */
export type ElementNode = { readonly [T in HostType]: ElementOf<T> }[HostType];

/** Anything that can be a child. */
export type MenuNode = ElementNode | TextNode;

/** The container: top-level nodes plus the commit hook the root listens to. */
export type RootNode = {
  readonly kind: 'root';
  children: MenuNode[];
  onCommit: () => void;
};

/** A parent of nodes. */
export type ParentNode = ElementNode | RootNode;

/** Creates a container. */
export function createRootNode(onCommit: () => void = () => undefined): RootNode {
  return { kind: 'root', children: [], onCommit };
}

/** Creates an element node. */
export function createElementNode(type: HostType, props: AnyHostProps): ElementNode {
  return { kind: 'element', type, props, children: [], hidden: false, parent: null, image: undefined } as ElementNode;
}

/** Creates a text node. */
export function createTextNode(text: string): TextNode {
  return { kind: 'text', text, hidden: false, parent: null };
}

function detach(child: MenuNode): void {
  const parent = child.parent;
  if (parent === null) return;
  const at = parent.children.indexOf(child);
  if (at >= 0) parent.children.splice(at, 1);
  child.parent = null;
}

function setParent(child: MenuNode, parent: ParentNode): void {
  if (child.kind === 'text') {
    // Text only ever lives under elements; the host context rejects text at the root.
    child.parent = parent.kind === 'root' ? null : parent;
  } else {
    child.parent = parent;
  }
}

/** Appends (or moves to the end). */
export function appendChild(parent: ParentNode, child: MenuNode): void {
  detach(child);
  parent.children.push(child);
  setParent(child, parent);
}

/** Inserts before `before` (or moves there). */
export function insertBefore(parent: ParentNode, child: MenuNode, before: MenuNode): void {
  detach(child);
  const at = parent.children.indexOf(before);
  if (at < 0) parent.children.push(child);
  else parent.children.splice(at, 0, child);
  setParent(child, parent);
}

/** Removes a child. */
export function removeChild(parent: ParentNode, child: MenuNode): void {
  const at = parent.children.indexOf(child);
  if (at >= 0) parent.children.splice(at, 1);
  child.parent = null;
}

/** Replaces an element's props (React calls commitUpdate whenever the props object changed). */
export function setProps(node: ElementNode, props: AnyHostProps): void {
  (node as { props: AnyHostProps }).props = props;
}

/** Concatenated visible text of an element's text children (numbers already stringified by React). */
export function textOf(node: ElementNode): string {
  let out = '';
  for (const child of node.children) {
    if (child.kind === 'text' && !child.hidden) out += child.text;
  }
  return out;
}
