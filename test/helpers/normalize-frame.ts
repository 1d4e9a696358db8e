/**
 * Replaces embedded PNGs (`image=`/`templateImage=` base64, also `A,B` pairs) by
 * `«png WxH sha1:xxxxxxxx»`, so snapshots stay small and independent of resvg's exact bytes
 * while still showing the pixel size and changing when the picture changes.
 */
import { createHash } from 'node:crypto';
import { pngSize } from '../../src/reconciler/sparkline/png.js';

const IMAGE_PARAM = /(^|\s)(image|templateImage)=([A-Za-z0-9+/=,]+)/g;

/** `«png WxH sha1:xxxxxxxx»` for a base64 PNG, or undefined when it is not one. */
export function describePng(base64: string): string | undefined {
  const bytes = Buffer.from(base64, 'base64');
  const size = pngSize(bytes);
  if (!size) return undefined;
  const sha = createHash('sha1').update(bytes).digest('hex').slice(0, 8);
  return `«png ${size.width}x${size.height} sha1:${sha}»`;
}

/** The frame text with every embedded PNG replaced by its description; other text untouched. */
export function normalizeFrame(text: string): string {
  return text.replace(IMAGE_PARAM, (whole, lead: string, key: string, value: string) => {
    const parts = value.split(',').map((part) => describePng(part));
    if (parts.some((p) => p === undefined)) return whole;
    return `${lead}${key}=${parts.join(',')}`;
  });
}
