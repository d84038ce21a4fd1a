/**
 * Lattice's caller-identity headers, in the formats of the VPC Lattice user guide ("HTTP targets"):
 *   x-amzn-lattice-identity:      Principal=ARN; PrincipalOrgID=o-…; PrincipalOrgPath=…; SessionName=…; Type=AWSIAM
 *   x-amzn-lattice-identity-tags: principal=ARN;principalorgid=o-…;KEY=VALUE;…   (`;` in values escaped as `\;`)
 *   x-amzn-lattice-network:       SourceVpcArn=arn:aws:ec2:REGION:ACCOUNT:vpc/ID
 *   x-amzn-lattice-target:        ServiceArn=…;ServiceNetworkArn=…;TargetGroupArn=…
 * Absent fields are left out. Anonymous callers of an AWS_IAM service get `Type=Anonymous`. Tags
 * named `principal` or `principalorgid` (any case) are left out: they would repeat those fields.
 */
import type { CallerIdentity } from '../iam/types.js';

/**
 * Header values travel as bytes, one per character (latin1): non-ASCII text (IAM tags allow any
 * Unicode letter) is sent as its UTF-8 bytes, which also keeps characters above U+00FF from making
 * the value unsendable.
 */
function utf8Wire(v: string): string {
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0x7f) return Buffer.from(v, 'utf8').toString('latin1');
  return v;
}

function escapeValue(v: string): string {
  return v.indexOf(';') < 0 && v.indexOf('\\') < 0 ? v : v.replace(/\\/g, '\\\\').replace(/;/g, '\\;');
}

export function identityHeader(identity: CallerIdentity): string {
  let h = `Principal=${identity.arn}`;
  if (identity.orgId !== undefined) h += `; PrincipalOrgID=${identity.orgId}`;
  if (identity.orgPaths !== undefined) for (const p of identity.orgPaths) h += `; PrincipalOrgPath=${p}`;
  if (identity.sessionName !== undefined) h += `; SessionName=${identity.sessionName}`;
  return utf8Wire(h + '; Type=AWSIAM');
}

export const ANONYMOUS_IDENTITY = 'Type=Anonymous';

/** A tag key: `=` escaped too (IAM allows it in keys), so that a key cannot end early. */
function escapeKey(k: string): string {
  const e = escapeValue(k);
  return e.indexOf('=') < 0 ? e : e.replace(/=/g, '\\=');
}

/** Keys latticed writes itself: a tag of that name (any case) would be a second, forged field. */
const RESERVED_TAG_KEYS = new Set(['principal', 'principalorgid']);

export function identityTagsHeader(identity: CallerIdentity): string {
  let h = `principal=${escapeValue(identity.arn)}`;
  if (identity.orgId !== undefined) h += `;principalorgid=${escapeValue(identity.orgId)}`;
  for (const k in identity.tags) {
    if (RESERVED_TAG_KEYS.has(k.toLowerCase())) continue;
    h += `;${escapeKey(k)}=${escapeValue(identity.tags[k]!)}`;
  }
  return utf8Wire(h);
}

export function networkHeader(sourceVpcArn: string): string {
  return `SourceVpcArn=${sourceVpcArn}`;
}

export function targetHeader(serviceArn: string, serviceNetworkArn: string, targetGroupArn: string): string {
  return `ServiceArn=${serviceArn};ServiceNetworkArn=${serviceNetworkArn};TargetGroupArn=${targetGroupArn}`;
}
