/**
 * Small PNG helpers: CRC-32, header size, and the pHYs splice that makes SwiftBar draw a 2x
 * image at its intended point size (spec §7: a PNG without pHYs is 72 dpi, 1 px = 1 pt).
 */

export type PngSize = { readonly width: number; readonly height: number };

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** 144 dpi in pixels per metre, as PNG stores it. */
export const PHYS_144_DPI_PX_PER_M = 5669;

let crcTable: Uint32Array | undefined;

function table(): Uint32Array {
  if (crcTable) return crcTable;
  crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  return crcTable;
}

/** CRC-32 (ISO-HDLC, as PNG uses); own code because node:zlib's crc32 needs Node >= 20.15. */
export function crc32(bytes: Uint8Array): number {
  const t = table();
  let c = 0xffffffff;
  for (const b of bytes) c = (t[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One complete PNG chunk: length, type, data, CRC over type + data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** The 21-byte pHYs chunk for 144 dpi (5669 px/m both ways, unit metre). */
export function physChunk(pxPerMetre = PHYS_144_DPI_PX_PER_M): Buffer {
  const data = Buffer.alloc(9);
  data.writeUInt32BE(pxPerMetre, 0);
  data.writeUInt32BE(pxPerMetre, 4);
  data.writeUInt8(1, 8);
  return pngChunk('pHYs', data);
}

/** True when the bytes start with the PNG signature and an IHDR chunk. */
export function isPng(png: Uint8Array): boolean {
  return png.length >= 33 && Buffer.from(png.subarray(0, 8)).equals(SIGNATURE) && Buffer.from(png.subarray(12, 16)).toString('latin1') === 'IHDR';
}

/** Pixel width and height from the IHDR chunk, or undefined when this is not a PNG. */
export function pngSize(png: Uint8Array): PngSize | undefined {
  if (!isPng(png)) return undefined;
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Lists chunk types in order (stops at a truncated chunk). */
export function chunkTypes(png: Uint8Array): string[] {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  for (let at = 8; at + 8 <= b.length; ) {
    const len = b.readUInt32BE(at);
    types.push(b.toString('latin1', at + 4, at + 8));
    at += len + 12;
  }
  return types;
}

/** Inserts a 144 dpi pHYs chunk right after IHDR (byte 33) unless the PNG already has one. */
export function withPhys144(png: Buffer): Buffer {
  if (!isPng(png) || chunkTypes(png).includes('pHYs')) return png;
  return Buffer.concat([png.subarray(0, 33), physChunk(), png.subarray(33)]);
}
