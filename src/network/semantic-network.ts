/** Semantic checks of the network part: VPCs, security groups, service networks and their associations. */
import type { IpPermission, LatticedConfig } from './config-types.js';
import { cidrKey, parseCidr } from './ip-prefix.js';
import type { Issues } from './issues.js';
import type { Model } from './model.js';
import { serviceAssociationId, vpcAssociationId } from './model.js';

function checkCidr(issues: Issues, s: string, path: string, family?: 4 | 6): void {
  const c = parseCidr(s, family);
  if (typeof c === 'string') issues.add(path, c);
}

function checkPermission(issues: Issues, p: IpPermission, path: string, groups: Map<string, { members?: string[] }>): void {
  const proto = p.ipProtocol;
  const all = proto === '-1';
  if (!all && (proto === 'tcp' || proto === 'udp' || proto === '6' || proto === '17')) {
    if (p.fromPort === undefined) issues.add(`${path}.fromPort`, `fromPort is required for ipProtocol ${proto}`);
    if (p.toPort === undefined) issues.add(`${path}.toPort`, `toPort is required for ipProtocol ${proto}`);
    if (p.fromPort !== undefined && p.toPort !== undefined) {
      if (p.fromPort < 0) issues.add(`${path}.fromPort`, 'must be a port from 0 to 65535');
      if (p.toPort < 0) issues.add(`${path}.toPort`, 'must be a port from 0 to 65535');
      if (p.fromPort > p.toPort) issues.add(`${path}.toPort`, `toPort ${p.toPort} is below fromPort ${p.fromPort}`);
    }
  }
  const sources = (p.ipRanges?.length ?? 0) + (p.ipv6Ranges?.length ?? 0) + (p.userIdGroupPairs?.length ?? 0);
  if (sources === 0) issues.add(path, 'a rule needs at least one source in ipRanges, ipv6Ranges or userIdGroupPairs');
  p.ipRanges?.forEach((r, k) => checkCidr(issues, r.cidrIp, `${path}.ipRanges[${k}].cidrIp`, 4));
  p.ipv6Ranges?.forEach((r, k) => checkCidr(issues, r.cidrIpv6, `${path}.ipv6Ranges[${k}].cidrIpv6`, 6));
  p.userIdGroupPairs?.forEach((g, k) => {
    const at = `${path}.userIdGroupPairs[${k}].groupId`;
    const ref = groups.get(g.groupId);
    if (ref === undefined) issues.add(at, `security group "${g.groupId}" is not defined in securityGroups`);
    else if ((ref.members ?? []).length === 0)
      issues.add(at, `security group "${g.groupId}" is used as a source but has no members, so it would match no address`);
  });
}

export function checkNetwork(config: LatticedConfig, model: Model, issues: Issues): void {
  const accountIds = new Set(config.accounts.map((a) => a.id));
  const vpcs = config.vpcs ?? [];
  const vpcIds = new Set(vpcs.map((v) => v.vpcId));
  issues.unique(vpcs, (v) => v.vpcId, (_, i) => `$.vpcs[${i}].vpcId`, 'vpcId');

  // A source address must resolve to one VPC: the same prefix in two VPCs is ambiguous.
  const prefixes = vpcs.flatMap((v, i) =>
    v.cidrBlocks.map((c, j) => ({ c, path: `$.vpcs[${i}].cidrBlocks[${j}]` })),
  );
  const parsed: { key: string; path: string }[] = [];
  for (const p of prefixes) {
    const c = parseCidr(p.c);
    if (typeof c === 'string') issues.add(p.path, c);
    else parsed.push({ key: cidrKey(c), path: p.path });
  }
  issues.unique(parsed, (p) => p.key, (p) => p.path, 'CIDR block');
  vpcs.forEach((v, i) => {
    if (!accountIds.has(v.ownerId)) issues.add(`$.vpcs[${i}].ownerId`, `account "${v.ownerId}" is not defined in accounts`);
  });

  const sgs = config.securityGroups ?? [];
  issues.unique(sgs, (g) => g.groupId, (_, i) => `$.securityGroups[${i}].groupId`, 'groupId');
  const groups = new Map(sgs.map((g) => [g.groupId, g]));
  sgs.forEach((g, i) => {
    const path = `$.securityGroups[${i}]`;
    if (!vpcIds.has(g.vpcId)) issues.add(`${path}.vpcId`, `VPC "${g.vpcId}" is not defined in vpcs`);
    g.members?.forEach((m, j) => checkCidr(issues, m, `${path}.members[${j}]`));
    g.ipPermissions?.forEach((p, j) => checkPermission(issues, p, `${path}.ipPermissions[${j}]`, groups));
  });

  issues.unique(model.serviceNetworks, (n) => n.cfg.name, (n) => `${n.path}.name`, 'service network name');
  issues.uniqueIds(model.serviceNetworks, 'service network id');
  const vpcOwner = new Map<string, string>();
  const associationIds: { id: string; path: string; cfg: { id?: string | undefined } }[] = [];
  for (const sn of model.serviceNetworks) {
    const { cfg, path } = sn;
    if (cfg.accountId !== undefined && !accountIds.has(cfg.accountId))
      issues.add(`${path}.accountId`, `account "${cfg.accountId}" is not defined in accounts`);
    if (cfg.authPolicy !== undefined) issues.policy(cfg.authPolicy, `${path}.authPolicy`, 'resource');
    cfg.vpcAssociations?.forEach((a, j) => {
      const at = `${path}.vpcAssociations[${j}]`;
      associationIds.push({ id: vpcAssociationId(sn, a.vpcIdentifier, a.id), path: at, cfg: a });
      if (!vpcIds.has(a.vpcIdentifier)) issues.add(`${at}.vpcIdentifier`, `VPC "${a.vpcIdentifier}" is not defined in vpcs`);
      const other = vpcOwner.get(a.vpcIdentifier);
      if (other !== undefined)
        issues.add(`${at}.vpcIdentifier`, `VPC "${a.vpcIdentifier}" is already associated at ${other}; a VPC belongs to at most one service network`);
      else vpcOwner.set(a.vpcIdentifier, `${at}.vpcIdentifier`);
      a.securityGroupIds?.forEach((g, k) => {
        const sg = groups.get(g);
        if (sg === undefined) issues.add(`${at}.securityGroupIds[${k}]`, `security group "${g}" is not defined in securityGroups`);
        else if (sg.vpcId !== a.vpcIdentifier)
          issues.add(`${at}.securityGroupIds[${k}]`, `security group "${g}" belongs to ${sg.vpcId}, not to the associated VPC ${a.vpcIdentifier}`);
      });
    });
    const seen = new Map<string, string>();
    cfg.serviceAssociations?.forEach((a, j) => {
      const at = `${path}.serviceAssociations[${j}]`;
      const svc = model.serviceByIdentifier(a.serviceIdentifier);
      if (svc === undefined) {
        issues.add(`${at}.serviceIdentifier`, `service "${a.serviceIdentifier}" is not defined in services (by name, id or ARN)`);
        return;
      }
      associationIds.push({ id: serviceAssociationId(sn, svc.id, a.id), path: at, cfg: a });
      const dup = seen.get(svc.cfg.name);
      if (dup !== undefined) issues.add(`${at}.serviceIdentifier`, `service "${svc.cfg.name}" is already associated at ${dup}`);
      else seen.set(svc.cfg.name, `${at}.serviceIdentifier`);
    });
  }
  issues.uniqueIds(associationIds, 'association id');
}
