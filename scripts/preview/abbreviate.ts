/**
 * `--raw` without `--full`: each base64 PNG in `image=` / `templateImage=` shortened to its first
 * characters and what it is, so the SwiftBar text stays readable.
 */
import { pngSize } from '../../src/reconciler/sparkline/png.js';

/** Base64 runs this long or longer are abbreviated (a 1x1 PNG is ~90 characters). */
const MIN_RUN = 64;

/** `iVBORw0KGgo…[png 240x40, 1.4 KB]` for one base64 PNG. */
export function abbreviatePng(base64: string): string {
  const size = pngSize(Buffer.from(base64, 'base64'));
  const kb = (base64.length / 1024).toFixed(1);
  return `${base64.slice(0, 12)}…[${size ? `png ${size.width}x${size.height}` : 'data'}, ${kb} KB base64]`;
}

/** The frame text with every long base64 image value abbreviated (pairs `a,b` too). */
export function abbreviateImages(text: string): string {
  return text.replace(/\b(image|templateImage)=([A-Za-z0-9+/=,]+)/g, (whole, key: string, value: string) =>
    value.length < MIN_RUN ? whole : `${key}=${value.split(',').map((v) => (v.length < MIN_RUN ? v : abbreviatePng(v))).join(',')}`,
  );
}
