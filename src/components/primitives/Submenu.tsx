import type { ReactElement } from 'react';
import type {} from '../../reconciler/host-elements.js';
import type { SubmenuProps } from '../../reconciler/element-props.js';

/** A line whose children open as a nested menu, at any depth. */
export function Submenu(props: SubmenuProps): ReactElement {
  return <sb-submenu {...props} />;
}
