import type { ReactElement } from 'react';
import type {} from '../../reconciler/host-elements.js';
import type { SeparatorProps } from '../../reconciler/element-props.js';

/** A separator line at the current submenu depth. */
export function Separator(_props: SeparatorProps = {}): ReactElement {
  return <sb-separator />;
}
