/**
 * IPv4/IPv6 addresses and CIDR blocks as four 32-bit words (IPv4 as the IPv4-mapped IPv6 address),
 * so that one bit comparison serves both families. Parsed once; matching allocates nothing.
 */
import { isIP } from 'node:net';
import { q } from './quote.js';

export type IpWords = Uint32Array; // length 4

export interface Cidr {
  readonly words: IpWords;
  /** Prefix length in the 128-bit space. */
  readonly bits: number;
  readonly text: string;
}

function parseV4(s: string, out: IpWords): void {
  const o = s.split('.');
  out[0] = 0;
  out[1] = 0;
  out[2] = 0xffff;
  out[3] = ((+o[0]! << 24) | (+o[1]! << 16) | (+o[2]! << 8) | +o[3]!) >>> 0;
}

function parseV6(s: string, out: IpWords): void {
  let head = s;
  let v4tail: string | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) >= 0) {
    v4tail = s.slice(lastColon + 1);
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const groups = new Array<number>(8).fill(0);
  const dbl = head.indexOf('::');
  const toNums = (x: string) => (x === '' ? [] : x.split(':').map((g) => parseInt(g, 16)));
  if (dbl >= 0) {
    const left = toNums(head.slice(0, dbl));
    const right = toNums(head.slice(dbl + 2));
    left.forEach((g, i) => (groups[i] = g));
    right.forEach((g, i) => (groups[8 - right.length + i] = g));
  } else {
    toNums(head).forEach((g, i) => (groups[i] = g));
  }
  for (let i = 0; i < 4; i++) out[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  if (v4tail !== null) {
    const w = new Uint32Array(4);
    parseV4(v4tail, w);
    out[3] = w[3]!;
  }
}

/** Parses an IP address (v4, v6, v4-mapped v6; a `%zone` is ignored). null when not an address. */
export function parseIp(s: string): IpWords | null {
  const pct = s.indexOf('%');
  const addr = pct >= 0 ? s.slice(0, pct) : s;
  const family = isIP(addr);
  if (family === 0) return null;
  const out = new Uint32Array(4);
  if (family === 4) parseV4(addr, out);
  else parseV6(addr, out);
  return out;
}

/** Parses `addr/len` or a bare address (a /32 or /128). Returns an error message instead when invalid. */
export function parseCidr(s: string): Cidr | string {
  const slash = s.indexOf('/');
  const addr = slash >= 0 ? s.slice(0, slash) : s;
  const family = isIP(addr);
  if (family === 0) return `invalid CIDR ${q(s)}: ${q(addr)} is not an IPv4 or IPv6 address`;
  const max = family === 4 ? 32 : 128;
  let len = max;
  if (slash >= 0) {
    const t = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(t) || +t > max) return `invalid CIDR ${q(s)}: prefix length must be 0-${max}`;
    len = +t;
  }
  const words = parseIp(addr)!;
  const bits = family === 4 ? 96 + len : len;
  // Mask away host bits so that 10.1.2.3/8 means 10.0.0.0/8, as AWS does.
  for (let i = 0; i < 4; i++) words[i] = (words[i]! & maskWord(bits, i)) >>> 0;
  return { words, bits, text: s };
}

function maskWord(bits: number, word: number): number {
  const b = bits - word * 32;
  if (b >= 32) return 0xffffffff;
  if (b <= 0) return 0;
  return (0xffffffff << (32 - b)) >>> 0;
}

export function cidrContains(c: Cidr, ip: IpWords): boolean {
  // An IPv4 address (held IPv4-mapped) is in IPv4 blocks only, and in IPv6 blocks within
  // ::ffff:0:0/96: `::/0` means every IPv6 address, as in AWS (and as the security groups read it).
  if (c.bits < 96 && ip[0] === 0 && ip[1] === 0 && ip[2] === 0xffff) return false;
  for (let i = 0; i < 4; i++) {
    const m = maskWord(c.bits, i);
    if (m === 0) return true;
    if (((ip[i]! & m) >>> 0) !== c.words[i]) return false;
  }
  return true;
}
