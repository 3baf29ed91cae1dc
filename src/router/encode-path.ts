/**
 * Apache's `enc_path` canonicalisation of the upstream path (`ap_proxy_canonenc_ex` as
 * mod_proxy_http calls it for a reverse proxy): every byte outside the allowed set becomes
 * `%XX` in upper-case hex, including `%` itself, because Apache re-encodes the *decoded* path.
 *
 * Paths are handled as byte strings (one char per byte, 0..255), which is what Apache works on:
 * `%C3%A9` decodes to the two chars `\xC3\xA9` and re-encodes to `%C3%A9`.
 */

/** 1 for the bytes `enc_path` leaves as they are: alnum, `~$-_.+!*'(),;:@&=` and `/`. */
export const PATH_SAFE = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~$-_.+!*'(),;:@&=/") {
  PATH_SAFE[c.charCodeAt(0)] = 1;
}

const HEX = '0123456789ABCDEF';

/** True when `enc_path` would leave every char of `s` (from `start`) unchanged. */
function allSafe(s: string, start: number): boolean {
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || PATH_SAFE[c] !== 1) return false;
  }
  return true;
}

/**
 * Encodes a byte string (`s` from `start`) as Apache's `enc_path` does. Returns the same string
 * when nothing needs encoding, so the common case allocates nothing new.
 */
export function encodePathBytes(s: string, start = 0): string {
  if (allSafe(s, start)) return start === 0 ? s : s.slice(start);
  let out = '';
  let from = start;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && PATH_SAFE[c] === 1) continue;
    out += s.slice(from, i);
    const b = c & 0xff;
    out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    from = i + 1;
  }
  return out + s.slice(from);
}

const utf8 = new TextEncoder();

/** A JavaScript (UTF-16) string as the byte string of its UTF-8 encoding. */
export function toUtf8Bytes(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 128) {
      let out = '';
      for (const b of utf8.encode(s)) out += String.fromCharCode(b);
      return out;
    }
  }
  return s;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * The text a byte string stands for when it is valid UTF-8 (so a RegExp written with `é`
 * matches `%C3%A9`), or undefined when it is not.
 */
export function fromUtf8Bytes(bytes: string): string | undefined {
  let ascii = true;
  for (let i = 0; i < bytes.length && ascii; i++) ascii = bytes.charCodeAt(i) < 128;
  if (ascii) return bytes;
  const buf = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) buf[i] = bytes.charCodeAt(i);
  try {
    return utf8Strict.decode(buf);
  } catch {
    return undefined;
  }
}

/** Encodes text (UTF-16) as `enc_path` encodes its UTF-8 bytes. */
export function encodePathText(s: string): string {
  return encodePathBytes(toUtf8Bytes(s));
}

/**
 * True when `s` holds a raw control character or space (what Apache's `ap_scan_vchar_obstext`
 * stops at): such a query, or a `nocanon` path, is refused with 403.
 */
export function hasControlOrSpace(s: string, start = 0): boolean {
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}
