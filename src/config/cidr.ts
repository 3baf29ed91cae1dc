/** An address block: 16 bytes (IPv4 as IPv4-mapped IPv6) and a prefix length over those 128 bits. */
export interface Cidr {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

/** 16 bytes of an IPv4 or IPv6 address (IPv4 mapped into ::ffff:0:0/96), or undefined. */
export function parseIp(input: string): Uint8Array | undefined {
  const s = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  const v4 = parseIpv4(s);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (!s.includes(':')) return undefined;
  let tail: number[] = [];
  let head = s.replace(/%.*$/, '');
  const lastColon = head.lastIndexOf(':');
  const maybeV4 = parseIpv4(head.slice(lastColon + 1));
  if (maybeV4) {
    tail = maybeV4;
    head = `${head.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const all = [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const n = Number.parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  }
  if (tail.length) bytes.set(tail, 12);
  return bytes;
}

/** Parses `10.0.0.0/8`, `::1`, `127.0.0.1` (a single address is a /32 or /128). */
export function parseCidr(input: string): Cidr | undefined {
  const [addr, len, extra] = input.trim().split('/');
  if (extra !== undefined || !addr) return undefined;
  const bytes = parseIp(addr);
  if (!bytes) return undefined;
  const isV4 = parseIpv4(addr) !== undefined;
  const max = isV4 ? 32 : 128;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return undefined;
  const n = len === undefined ? max : Number(len);
  if (n > max) return undefined;
  return { bytes, prefix: isV4 ? n + 96 : n };
}

/** Whether an address (as Node reports it, IPv4-mapped forms included) lies in a block. */
export function cidrContains(block: Cidr, address: string): boolean {
  const bytes = parseIp(address);
  if (!bytes) return false;
  let bits = block.prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (block.bytes[i]! & mask)) return false;
  }
  return true;
}
