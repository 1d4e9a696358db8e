/**
 * Pure: painted node tree → one SwiftBar frame (no stream separator). Title lines first, then `---`
 * and the body with one `--` per submenu level; separators are `---` with the same prefix.
 *
 * Structure rules (SwiftBar's buildMenuTree, spec §3): depth only grows one level at a time, and a
 * deeper line can never follow a separator (a separator's next line in document order is a sibling
 * or an ancestor's sibling). A `<Submenu dropdown={false}>` is written without its children:
 * SwiftBar would otherwise hang them under the previous visible item or lose them after a separator.
 *
 * Clicks: with `clickToken` (the root passes it where clicks reach the plugin's stdin), a line
 * with `onClick` is written with `stdin=<token>`; otherwise it keeps its `bash` command.
 */
import { encodeValue, escapeLabel } from './escape.js';
import { textOf, type ElementNode, type MenuNode, type RootNode } from './nodes.js';
import { paramsOf, type ParamProps } from './params.js';

/** Title used when the tree has no <Title>: a frame must never start with `---`. */
export const FALLBACK_TITLE = '…';

/** Gives a clickable line its token; absent: clicks stay `bash=` commands. */
export type ClickTokenizer = (props: ParamProps, text: string) => string;

/** How a frame is written. */
export type SerializeOptions = {
  readonly clickToken?: ClickTokenizer;
};

function line(depth: number, text: string, props: ParamProps, options: SerializeOptions, image?: string): string {
  const token = props.onClick !== undefined && options.clickToken !== undefined ? options.clickToken(props, text) : undefined;
  const params = paramsOf(props, image, token).map((p) => `${p.key}=${encodeValue(p.value)}`);
  const title = escapeLabel(text, { ansi: props.ansi === true });
  const glue = props.trim === false ? '| ' : ' | ';
  const out = '--'.repeat(depth) + title + (params.length > 0 ? glue + params.join(' ') : '');
  // An exactly empty line is dropped by SwiftBar; a space keeps a blank item in place.
  return out === '' ? ' ' : out;
}

function writeBody(node: ElementNode, depth: number, out: string[], options: SerializeOptions): void {
  switch (node.type) {
    case 'sb-separator':
      out.push(`${'--'.repeat(depth)}---`);
      return;
    case 'sb-item':
      out.push(line(depth, textOf(node), node.props, options));
      return;
    case 'sb-sparkline':
      out.push(line(depth, textOf(node), node.props, options, node.image));
      return;
    case 'sb-submenu':
      out.push(line(depth, String(node.props.label), node.props, options));
      if (node.props.dropdown === false) return;
      for (const child of visibleElements(node.children)) writeBody(child, depth + 1, out, options);
      return;
    case 'sb-title':
      // The host config rejects titles below the top level; nothing to write here.
      return;
  }
}

function visibleElements(nodes: readonly MenuNode[]): ElementNode[] {
  return nodes.filter((n): n is ElementNode => n.kind === 'element' && !n.hidden);
}

/** Serialises the top-level nodes (or a container) into one frame ending in a newline. */
export function serializeFrame(tree: RootNode | readonly MenuNode[], options: SerializeOptions = {}): string {
  const nodes = 'kind' in tree ? tree.children : tree;
  const header: string[] = [];
  const body: string[] = [];
  for (const node of visibleElements(nodes)) {
    if (node.type === 'sb-title') header.push(line(0, textOf(node), node.props, options));
    else writeBody(node, 0, body, options);
  }
  if (header.length === 0) header.push(FALLBACK_TITLE);
  const lines = body.length > 0 ? [...header, '---', ...body] : header;
  return `${lines.join('\n')}\n`;
}
