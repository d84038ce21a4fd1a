/**
 * Stable identifiers in AWS's formats. A generated id is a pure function of what names the resource
 * (its kind, owning account and name, and its parent's id), so it survives restarts and reorderings of
 * the file; an explicit `id` in the file overrides it. See docs/configuration.md "Identifiers".
 */
import { createHash } from 'node:crypto';

export type LatticeIdPrefix = 'sn' | 'svc' | 'listener' | 'rule' | 'tg' | 'snva' | 'snsa';

function digest(parts: readonly string[]): Buffer {
  // NUL separators: no two different part lists hash the same input.
  return createHash('sha256').update(['latticed/v1', ...parts].join('\0')).digest();
}

/** `svc-0` + 16 hex digits: 17 characters of `[0-9a-z]`, like AWS's own `svc-0a1b2c…` ids. */
export function latticeId(prefix: LatticeIdPrefix, ...parts: string[]): string {
  return `${prefix}-0${digest([prefix, ...parts]).toString('hex').slice(0, 16)}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** IAM unique ids: `AROA`/`AIDA` + 17 base32 characters, as IAM's own. */
export function iamUniqueId(prefix: 'AROA' | 'AIDA', accountId: string, name: string): string {
  const bytes = digest([prefix, accountId, name]);
  let out = prefix;
  for (let i = 0; i < 17; i++) out += BASE32[(bytes[i] ?? 0) & 31];
  return out;
}

/** The ARN partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export interface ArnScope {
  region: string;
  accountId: string;
}

export const arns = {
  serviceNetwork: (s: ArnScope, id: string) => `arn:${partitionOf(s.region)}:vpc-lattice:${s.region}:${s.accountId}:servicenetwork/${id}`,
  service: (s: ArnScope, id: string) => `arn:${partitionOf(s.region)}:vpc-lattice:${s.region}:${s.accountId}:service/${id}`,
  listener: (serviceArn: string, id: string) => `${serviceArn}/listener/${id}`,
  rule: (listenerArn: string, id: string) => `${listenerArn}/rule/${id}`,
  targetGroup: (s: ArnScope, id: string) => `arn:${partitionOf(s.region)}:vpc-lattice:${s.region}:${s.accountId}:targetgroup/${id}`,
  vpcAssociation: (s: ArnScope, id: string) =>
    `arn:${partitionOf(s.region)}:vpc-lattice:${s.region}:${s.accountId}:servicenetworkvpcassociation/${id}`,
  serviceAssociation: (s: ArnScope, id: string) =>
    `arn:${partitionOf(s.region)}:vpc-lattice:${s.region}:${s.accountId}:servicenetworkserviceassociation/${id}`,
  vpc: (s: ArnScope, vpcId: string) => `arn:${partitionOf(s.region)}:ec2:${s.region}:${s.accountId}:vpc/${vpcId}`,
  role: (region: string, accountId: string, path: string, name: string) => `arn:${partitionOf(region)}:iam::${accountId}:role${path}${name}`,
  user: (region: string, accountId: string, path: string, name: string) => `arn:${partitionOf(region)}:iam::${accountId}:user${path}${name}`,
};

/**
 * The DNS name Lattice generates for a service: `NAME-ID.7d67968.vpc-lattice-svcs.REGION.on.aws`, where
 * ID is the service id without its `svc-` prefix (e.g. `billing-0a1b2c3d4e5f60718.7d67968.…`).
 */
export function serviceDnsName(name: string, serviceId: string, region: string): string {
  return `${name}-${serviceId.slice(4)}.7d67968.vpc-lattice-svcs.${region}.on.aws`;
}
