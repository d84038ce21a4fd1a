/**
 * Lattice's caller-identity headers, in the formats of the VPC Lattice user guide ("HTTP targets"):
 *   x-amzn-lattice-identity:      Principal=ARN; PrincipalOrgID=o-…; PrincipalOrgPath=…; SessionName=…; Type=AWSIAM
 *   x-amzn-lattice-identity-tags: principal=ARN;principalorgid=o-…;KEY=VALUE;…   (`;` in values escaped as `\;`)
 *   x-amzn-lattice-network:       SourceVpcArn=arn:aws:ec2:REGION:ACCOUNT:vpc/ID
 *   x-amzn-lattice-target:        ServiceArn=…;ServiceNetworkArn=…;TargetGroupArn=…
 * Absent fields are left out. Anonymous callers of an AWS_IAM service get `Type=Anonymous`.
 */
import type { CallerIdentity } from '../iam/types.js';

function escapeValue(v: string): string {
  return v.indexOf(';') < 0 && v.indexOf('\\') < 0 ? v : v.replace(/\\/g, '\\\\').replace(/;/g, '\\;');
}

export function identityHeader(identity: CallerIdentity): string {
  let h = `Principal=${identity.arn}`;
  if (identity.orgId !== undefined) h += `; PrincipalOrgID=${identity.orgId}`;
  if (identity.orgPaths !== undefined) for (const p of identity.orgPaths) h += `; PrincipalOrgPath=${p}`;
  if (identity.sessionName !== undefined) h += `; SessionName=${identity.sessionName}`;
  return h + '; Type=AWSIAM';
}

export const ANONYMOUS_IDENTITY = 'Type=Anonymous';

export function identityTagsHeader(identity: CallerIdentity): string {
  let h = `principal=${escapeValue(identity.arn)}`;
  if (identity.orgId !== undefined) h += `;principalorgid=${escapeValue(identity.orgId)}`;
  for (const k in identity.tags) h += `;${escapeValue(k)}=${escapeValue(identity.tags[k]!)}`;
  return h;
}

export function networkHeader(sourceVpcArn: string): string {
  return `SourceVpcArn=${sourceVpcArn}`;
}

export function targetHeader(serviceArn: string, serviceNetworkArn: string, targetGroupArn: string): string {
  return `ServiceArn=${serviceArn};ServiceNetworkArn=${serviceNetworkArn};TargetGroupArn=${targetGroupArn}`;
}
