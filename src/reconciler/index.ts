/** Public surface of the SwiftBar renderer. */
export { createMenuRoot, errorFrame, ERROR_TITLE, type MenuRoot, type MenuRootOptions, type MenuRootStats } from './root.js';
export { renderToFrame, renderToString, type RenderedFrame, type RenderOptions } from './render-to-string.js';
export {
  allItems,
  findItem,
  parseFrame,
  parseLine,
  splitFrames,
  unescapeTitle,
  type ParsedFrame,
  type ParsedItem,
  type ParsedNode,
  type ParsedSeparator,
} from './parse.js';
export { serializeFrame, FALLBACK_TITLE } from './serialize.js';
export { decodedValue, encodeValue, escapeLabel, visibleLabel } from './escape.js';
export { colorValue } from './params.js';
export type { Appearance } from './paint.js';
export type { ElementNode, MenuNode, RootNode, TextNode } from './nodes.js';
export type { HostType, HostElementProps } from './host-elements.js';
