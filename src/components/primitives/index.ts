/** The SwiftBar primitives and their prop types. */
export { Title } from './Title.js';
export { Item } from './Item.js';
export { Submenu } from './Submenu.js';
export { Separator } from './Separator.js';
export { Sparkline } from './Sparkline.js';
export type {
  ActionParams,
  Color,
  CommandAction,
  HexColor,
  ImageSize,
  ItemParams,
  ItemProps,
  LineText,
  NamedColor,
  SeparatorProps,
  SfSymbol,
  SparklineColors,
  SparklineProps,
  SubmenuProps,
  TextParams,
  TitleProps,
} from '../../reconciler/element-props.js';
