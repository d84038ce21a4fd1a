/**
 * IP addresses and CIDR prefixes as numbers (IPv4: uint32 in a number; IPv6: bigint), and a prefix
 * table that finds the most specific prefix holding an address with one Map lookup per distinct
 * prefix length. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, what a dual-stack socket reports)
 * are treated as the IPv4 address they carry.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpAddress = { family: 4; value: number } | { family: 6; value: bigint };
export type Cidr = IpAddress & { prefix: number };

function v4(s: string): number {
  let n = 0;
  for (const part of s.split('.')) n = n * 256 + Number(part);
  return n;
}

function v6(s: string): bigint {
  const [head = '', tail] = s.split('::');
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const n = v4(g);
        out.push(Math.floor(n / 65536), n % 65536);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  let n = 0n;
  for (const g of all) n = (n << 16n) | BigInt(g);
  return n;
}

const MAPPED_V4 = 0xffffn << 32n;

/** Dotted-quad IPv4 without leading zeros (what sockets report), or -1; no allocation. */
function fastV4(s: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i === s.length ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255 || ++parts > 4) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return -1; // leading zero: ambiguous (octal in some parsers)
      part = part * 10 + (c - 48);
      if (++digits > 3) return -1;
    } else return -1;
  }
  return parts === 4 ? value : -1;
}

/** Parses an IPv4 or IPv6 address (a `%zone` suffix is ignored); undefined when it is not one. */
export function parseIp(input: string): IpAddress | undefined {
  const quad = fastV4(input);
  if (quad >= 0) return { family: 4, value: quad };
  if (isIPv4(input)) return { family: 4, value: v4(input) };
  const s = input.includes('%') ? input.slice(0, input.indexOf('%')) : input;
  if (!isIPv6(s)) return undefined;
  const value = v6(s);
  if (value >> 32n === 0xffffn) return { family: 4, value: Number(value - MAPPED_V4) };
  return { family: 6, value };
}

function mask4(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function mask6(prefix: number): bigint {
  return prefix === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - prefix)) - 1n);
}

/** Parses `a.b.c.d/n` or `x::/n`; an error message when it is not a CIDR or has host bits set. */
export function parseCidr(s: string, family?: 4 | 6): Cidr | string {
  const slash = s.indexOf('/');
  const ipText = slash < 0 ? s : s.slice(0, slash);
  const lenText = slash < 0 ? '' : s.slice(slash + 1);
  // node:net accepts `fe80::%eth0`; a zone names an interface, not addresses, so a CIDR has none.
  if (ipText.includes('%')) return `"${s}" has a zone id (%…); a CIDR block cannot name an interface`;
  const fam = isIPv4(ipText) ? 4 : isIPv6(ipText) ? 6 : undefined;
  if (fam === undefined || !/^\d{1,3}$/.test(lenText)) return `"${s}" is not a CIDR block such as 10.0.0.0/16 or fd00::/8`;
  if (family !== undefined && fam !== family) return `"${s}" must be an IPv${family} CIDR block`;
  const prefix = Number(lenText);
  if (prefix > (fam === 4 ? 32 : 128)) return `"${s}" has a prefix length above ${fam === 4 ? 32 : 128}`;
  if (fam === 4) {
    const value = v4(ipText);
    const net = (value & mask4(prefix)) >>> 0;
    if (net !== value) return `"${s}" has host bits set (did you mean ${formatV4(net)}/${prefix}?)`;
    return { family: 4, value, prefix };
  }
  const value = v6(ipText);
  if ((value & mask6(prefix)) !== value) return `"${s}" has host bits set`;
  // `::ffff:10.0.0.0/104` is 10.0.0.0/8: addresses are looked up as IPv4 when IPv4-mapped.
  if (prefix >= 96 && value >> 32n === 0xffffn) return { family: 4, value: Number(value - MAPPED_V4), prefix: prefix - 96 };
  return { family: 6, value, prefix };
}

function formatV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function cidrKey(c: Cidr): string {
  return `${c.family}:${c.value.toString(16)}/${c.prefix}`;
}

/** Most-specific-prefix lookup. Built once; per lookup, one Map probe per distinct prefix length. */
export class PrefixTable<T> {
  private readonly v4 = new Map<number, Map<number, T>>();
  private readonly v6 = new Map<number, Map<bigint, T>>();
  /** Longest prefix first, with its mask precomputed. */
  private v4Levels: { mask: number; entries: Map<number, T> }[] = [];
  private v6Levels: { mask: bigint; entries: Map<bigint, T> }[] = [];

  /** Adds a prefix; returns the value already stored for exactly this prefix, if any (and keeps it). */
  add(cidr: Cidr, value: T): T | undefined {
    if (cidr.family === 4) {
      let m = this.v4.get(cidr.prefix);
      if (m === undefined) {
        this.v4.set(cidr.prefix, (m = new Map()));
        this.v4Levels = [...this.v4].sort(([a], [b]) => b - a).map(([len, entries]) => ({ mask: mask4(len), entries }));
      }
      const existing = m.get(cidr.value);
      if (existing === undefined) m.set(cidr.value, value);
      return existing;
    }
    let m = this.v6.get(cidr.prefix);
    if (m === undefined) {
      this.v6.set(cidr.prefix, (m = new Map()));
      this.v6Levels = [...this.v6].sort(([a], [b]) => b - a).map(([len, entries]) => ({ mask: mask6(len), entries }));
    }
    const existing = m.get(cidr.value);
    if (existing === undefined) m.set(cidr.value, value);
    return existing;
  }

  get size(): number {
    let n = 0;
    for (const m of this.v4.values()) n += m.size;
    for (const m of this.v6.values()) n += m.size;
    return n;
  }

  lookupAddress(ip: IpAddress): T | undefined {
    if (ip.family === 4) {
      for (const level of this.v4Levels) {
        const hit = level.entries.get((ip.value & level.mask) >>> 0);
        if (hit !== undefined) return hit;
      }
      return undefined;
    }
    for (const level of this.v6Levels) {
      const hit = level.entries.get(ip.value & level.mask);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  lookup(ip: string): T | undefined {
    const parsed = parseIp(ip);
    return parsed === undefined ? undefined : this.lookupAddress(parsed);
  }
}
