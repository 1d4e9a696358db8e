import type { ReactElement } from 'react';
import type {} from '../../reconciler/host-elements.js';
import type { TitleProps } from '../../reconciler/element-props.js';

/** A menu-bar title line; several Titles cycle every 5 s in SwiftBar. */
export function Title(props: TitleProps): ReactElement {
  return <sb-title {...props} />;
}
