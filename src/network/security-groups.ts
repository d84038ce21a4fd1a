/**
 * L3/L4: compiles the security groups of one VPC association into `allowsIngress(sourceIp, port)`.
 * EC2 semantics: rules only allow (no deny rules); a connection is allowed when any rule of any group
 * allows TCP from the source to the port. Sources are CIDRs (ipRanges, ipv6Ranges) or other security
 * groups (userIdGroupPairs), whose addresses are that group's `members` CIDRs (a latticed extension:
 * there are no instances here to carry the group). An association without security groups allows
 * every address of its VPC, as in Lattice.
 */
import type { IpPermission, SecurityGroupConfig } from './config-types.js';
import { parseCidr, parseIp, PrefixTable, type Cidr } from './ip-prefix.js';

interface PortRangeRule {
  from: number;
  to: number;
  sources: PrefixTable<true>;
}

export type IngressCheck = (sourceIp: string, port: number) => boolean;

const TCP = new Set(['tcp', '6', '-1']);

function ruleSources(p: IpPermission, groups: ReadonlyMap<string, SecurityGroupConfig>): Cidr[] {
  const texts = [
    ...(p.ipRanges ?? []).map((r) => r.cidrIp),
    ...(p.ipv6Ranges ?? []).map((r) => r.cidrIpv6),
    ...(p.userIdGroupPairs ?? []).flatMap((g) => groups.get(g.groupId)?.members ?? []),
  ];
  const out: Cidr[] = [];
  for (const t of texts) {
    const c = parseCidr(t);
    if (typeof c !== 'string') out.push(c);
  }
  return out;
}

export function compileIngress(
  groupIds: readonly string[],
  groups: ReadonlyMap<string, SecurityGroupConfig>,
): IngressCheck {
  if (groupIds.length === 0) return () => true;
  const byRange = new Map<string, PortRangeRule>();
  for (const id of groupIds) {
    for (const p of groups.get(id)?.ipPermissions ?? []) {
      if (!TCP.has(p.ipProtocol)) continue; // udp/icmp rules never allow a TCP connection
      const all = p.ipProtocol === '-1' || (p.fromPort === -1 && p.toPort === -1);
      const from = all ? 0 : (p.fromPort ?? 0);
      const to = all ? 65535 : (p.toPort ?? -1);
      const key = `${from}-${to}`;
      let rule = byRange.get(key);
      if (rule === undefined) byRange.set(key, (rule = { from, to, sources: new PrefixTable() }));
      for (const c of ruleSources(p, groups)) rule.sources.add(c, true);
    }
  }
  const rules = [...byRange.values()].filter((r) => r.sources.size > 0);
  if (rules.length === 0) return () => false;
  return (sourceIp, port) => {
    const ip = parseIp(sourceIp);
    if (ip === undefined) return false;
    for (const r of rules) if (port >= r.from && port <= r.to && r.sources.lookupAddress(ip) === true) return true;
    return false;
  };
}
