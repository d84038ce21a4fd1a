/** IpAddress / NotIpAddress: IPv4 and IPv6 CIDRs, parsed once; the request's address is parsed once per request. */
import { cidrContains, parseCidr, type Cidr } from '../cidr.js';
import type { OperatorDef, ValueTest } from './types.js';

function compile(values: readonly string[]): ValueTest {
  const cidrs = values.map(parseCidr).filter((c): c is Cidr => typeof c !== 'string');
  return (v, req) => {
    const ip = req.ip(v);
    if (ip === null) return false;
    for (const c of cidrs) if (cidrContains(c, ip)) return true;
    return false;
  };
}

function check(v: string): string | null {
  const c = parseCidr(v);
  return typeof c === 'string' ? c : null;
}

export const ipOperators: OperatorDef[] = [
  { name: 'IpAddress', negated: false, variables: false, check, compile },
  { name: 'NotIpAddress', negated: true, variables: false, check, compile },
];
