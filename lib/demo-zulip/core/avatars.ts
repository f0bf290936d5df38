// Avatar URLs as Zulip builds them (zerver/lib/avatar.py, docs/zulip.md §f) and the images the
// demo serves for uploaded avatars: a small solid-colour PNG per user, made with zlib.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

// Hashing is most of the cost of formatting 50,000 users; the inputs repeat on every request.
const md5Cache = new Map<string, string>();
const md5 = (text: string) => {
  let hex = md5Cache.get(text);
  if (hex === undefined) {
    hex = createHash('md5').update(text).digest('hex');
    if (md5Cache.size > 200_000) md5Cache.clear();
    md5Cache.set(text, hex);
  }
  return hex;
};
const hashCache = new Map<string, string>();

/** `https://secure.gravatar.com/avatar/{md5}?d=identicon[&s=500]&version=N`. */
export function gravatarUrl(email: string, version: number, medium = false): string {
  return `https://secure.gravatar.com/avatar/${md5(email.toLowerCase())}?d=identicon${medium ? '&s=500' : ''}&version=${version}`;
}

/**
 * Zulip's `user_avatar_hash`: before 10.0 sha1 of a server secret salt and the user id; from 10.0
 * (`version` given) sha256 of the id, the avatar's version and the salt, cut to 40 hex digits, so
 * each new picture has a new file name. Either way the path is unguessable.
 */
export function uploadedAvatarHash(salt: string, userId: number, version: number | null = null): string {
  const input = version === null ? `${salt}${userId}` : `${userId}:${version}:${salt}`;
  let hex = hashCache.get(input);
  if (hex === undefined) {
    hex = version === null ? createHash('sha1').update(input).digest('hex') : createHash('sha256').update(input).digest('hex').slice(0, 40);
    if (hashCache.size > 200_000) hashCache.clear();
    hashCache.set(input, hex);
  }
  return hex;
}

/** Root-relative path of an uploaded avatar, e.g. `/user_avatars/2/ab12….png` (medium: `…-medium.png`). */
export function uploadedAvatarPath(realmId: number, hash: string, medium = false): string {
  return `/user_avatars/${realmId}/${hash}${medium ? '-medium' : ''}.png`;
}

// --- PNG ---------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A valid `size`×`size` RGB PNG of one colour. */
export function solidPng(size: number, rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  // compression, filter and interlace methods stay 0
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A pleasant, stable colour per avatar hash (HSL with fixed saturation and lightness). */
export function colourFor(hash: string): [number, number, number] {
  const hue = parseInt(hash.slice(0, 4), 16) % 360;
  const s = 0.55;
  const l = 0.55;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
