/**
 * The intrinsic elements this renderer understands (`sb-` prefix, like Ink's `ink-box`), their host
 * props, and the JSX augmentation so primitives can render them with type checking.
 */
import type { ReactNode } from 'react';
import type {
  ItemProps,
  SparklineProps,
  SubmenuProps,
  TitleProps,
} from './element-props.js';

/** Host props of each intrinsic element (primitive props with React children). */
export type HostElementProps = {
  readonly 'sb-title': Omit<TitleProps, 'children'> & { readonly children?: ReactNode };
  readonly 'sb-item': Omit<ItemProps, 'children'> & { readonly children?: ReactNode };
  readonly 'sb-submenu': SubmenuProps;
  readonly 'sb-separator': { readonly children?: never };
  readonly 'sb-sparkline': Omit<SparklineProps, 'children'> & { readonly children?: ReactNode };
};

/** Every intrinsic element name. */
export type HostType = keyof HostElementProps;

/** The props of any host element. */
export type AnyHostProps = HostElementProps[HostType];

/** Runtime list of host types, used to reject unknown intrinsic names readably. */
export const HOST_TYPES: readonly HostType[] = ['sb-title', 'sb-item', 'sb-submenu', 'sb-separator', 'sb-sparkline'];

/** Type guard for host element names. */
export function isHostType(type: string): type is HostType {
  return (HOST_TYPES as readonly string[]).includes(type);
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'sb-title': HostElementProps['sb-title'] & { readonly key?: React.Key | null };
      'sb-item': HostElementProps['sb-item'] & { readonly key?: React.Key | null };
      'sb-submenu': HostElementProps['sb-submenu'] & { readonly key?: React.Key | null };
      'sb-separator': HostElementProps['sb-separator'] & { readonly key?: React.Key | null };
      'sb-sparkline': HostElementProps['sb-sparkline'] & { readonly key?: React.Key | null };
    }
  }
}
