/** Pure: painted node tree → sparkline values keyed by the image each node was given. */
import type { MenuNode } from '../../src/reconciler/nodes.js';
import type { SparklineValues } from './render-menu.js';

/** Every painted sb-sparkline's values, keyed by its base64 image. */
export function sparklineValuesOf(nodes: readonly MenuNode[], out = new Map<string, SparklineValues>()): Map<string, SparklineValues> {
  for (const node of nodes) {
    if (node.kind !== 'element') continue;
    if (node.type === 'sb-sparkline' && node.image !== undefined) {
      const { values, min, max } = node.props;
      out.set(node.image, { values, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
    }
    sparklineValuesOf(node.children, out);
  }
  return out;
}
