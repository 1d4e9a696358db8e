import type { ReactElement } from 'react';
import type {} from '../../reconciler/host-elements.js';
import type { ItemProps } from '../../reconciler/element-props.js';

/** One dropdown line of text; every SwiftBar parameter is a typed prop (emojize and symbolize off by default). */
export function Item(props: ItemProps): ReactElement {
  return <sb-item {...props} />;
}
