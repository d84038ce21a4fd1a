import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr, parseIp, PrefixTable } from '../../src/network/index.js';

function table(entries: [string, string][]): PrefixTable<string> {
  const t = new PrefixTable<string>();
  for (const [c, v] of entries) {
    const cidr = parseCidr(c);
    if (typeof cidr === 'string') throw new Error(cidr);
    t.add(cidr, v);
  }
  return t;
}

describe('IP prefixes', () => {
  it('parses IPv4, IPv6 (compressed, embedded IPv4, zone ids), and maps ::ffff:a.b.c.d to IPv4', () => {
    expect(parseIp('10.1.2.3')).toEqual({ family: 4, value: 0x0a010203 });
    expect(parseIp('::ffff:10.1.2.3')).toEqual({ family: 4, value: 0x0a010203 });
    expect(parseIp('::FFFF:0a01:0203')).toEqual({ family: 4, value: 0x0a010203 });
    expect(parseIp('fe80::1%eth0')).toEqual({ family: 6, value: (0xfe80n << 112n) | 1n });
    expect(parseIp('::')).toEqual({ family: 6, value: 0n });
    expect(parseIp('1:2:3:4:5:6:1.2.3.4')).toEqual({ family: 6, value: 0x0001000200030004000500060102_0304n });
    expect(parseIp('10.1.2')).toBeUndefined();
    expect(parseIp('not-an-ip')).toBeUndefined();
  });

  it('finds the most specific prefix', () => {
    const t = table([
      ['10.0.0.0/8', 'wide'],
      ['10.1.0.0/16', 'narrow'],
      ['10.1.2.3/32', 'host'],
      ['0.0.0.0/0', 'any'],
      ['fd00::/8', 'v6-wide'],
      ['fd00:1::/32', 'v6-narrow'],
    ]);
    expect(t.lookup('10.1.2.3')).toBe('host');
    expect(t.lookup('10.1.9.9')).toBe('narrow');
    expect(t.lookup('10.200.0.1')).toBe('wide');
    expect(t.lookup('192.168.0.1')).toBe('any');
    expect(t.lookup('::ffff:10.1.2.3')).toBe('host');
    expect(t.lookup('fd00:1::5')).toBe('v6-narrow');
    expect(t.lookup('fd00:2::5')).toBe('v6-wide');
    expect(t.lookup('2001:db8::1')).toBeUndefined();
    expect(t.lookup('garbage')).toBeUndefined();
  });

  it('an IPv4-mapped IPv6 CIDR covers the IPv4 addresses it maps', () => {
    expect(parseCidr('::ffff:10.0.0.0/104')).toEqual({ family: 4, value: 0x0a000000, prefix: 8 });
    const t = table([['::ffff:10.0.0.0/104', 'mapped']]);
    expect(t.lookup('10.1.2.3')).toBe('mapped');
    expect(t.lookup('::ffff:10.1.2.3')).toBe('mapped');
    expect(t.lookup('11.0.0.1')).toBeUndefined();
  });

  it('reports an exact duplicate prefix and keeps the first value', () => {
    const t = new PrefixTable<string>();
    const c = parseCidr('10.0.0.0/8');
    if (typeof c === 'string') throw new Error(c);
    expect(t.add(c, 'a')).toBeUndefined();
    expect(t.add(c, 'b')).toBe('a');
    expect(t.lookup('10.9.9.9')).toBe('a');
  });

  it('accepts exactly the addresses node:net accepts (property)', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('', '00', '01', '007', 'x', '1 '));
    const dotted = fc.array(octet, { minLength: 1, maxLength: 6 }).map((p) => p.join('.'));
    fc.assert(
      fc.property(fc.oneof(dotted, fc.string(), fc.ipV6()), (s) => {
        expect(parseIp(s) !== undefined).toBe(isIP(s.includes('%') ? s.slice(0, s.indexOf('%')) : s) !== 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with node:net BlockList on membership (property)', () => {
    const v4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }));
    const addr = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    fc.assert(
      fc.property(fc.array(v4, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 20 }), (nets, probes) => {
        const t = new PrefixTable<true>();
        const bl = new BlockList();
        for (const [n, len] of nets) {
          const net = len === 0 ? 0 : (n & ((0xffffffff << (32 - len)) >>> 0)) >>> 0;
          const c = parseCidr(`${addr(net)}/${len}`);
          if (typeof c === 'string') throw new Error(c);
          t.add(c, true);
          bl.addSubnet(addr(net), len, 'ipv4');
        }
        for (const p of probes) expect(t.lookup(addr(p)) === true).toBe(bl.check(addr(p), 'ipv4'));
      }),
      { numRuns: 200 },
    );
  });
});
