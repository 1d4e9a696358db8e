import type { ReactElement } from 'react';
import type {} from '../../reconciler/host-elements.js';
import type { SparklineProps } from '../../reconciler/element-props.js';

/** An item whose image is a chart drawn from `values` (kept on the node for previews). */
export function Sparkline(props: SparklineProps): ReactElement {
  return <sb-sparkline {...props} />;
}
