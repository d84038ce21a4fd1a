/**
 * TypeScript view of the configuration file (schemas/latticed-config.schema.json). Field names are the
 * vpc-lattice 2022-11-30 API's (camelCase), EC2's for vpcs/securityGroups and IAM's for roles/users, so
 * that the management APIs can later write the same model. Keep in step with the schema.
 */
import type { AuthType } from '../policy/index.js';

/** An IAM policy document, as an object or as JSON text. */
export type PolicyDocument = Record<string, unknown> | string;
export type TagMap = Record<string, string>;
export interface IamTag { Key: string; Value: string }
/** Secrets are always references; inline secrets are rejected. */
export type SecretRef = { env: string; file?: undefined } | { file: string; env?: undefined };

export interface LatticedConfig {
  $schema?: string;
  region: string;
  node?: NodeConfig;
  organizations?: OrganizationConfig[];
  accounts: AccountConfig[];
  roles?: RoleConfig[];
  users?: UserConfig[];
  vpcs?: VpcConfig[];
  securityGroups?: SecurityGroupConfig[];
  serviceNetworks?: ServiceNetworkConfig[];
  services?: ServiceConfig[];
  targetGroups?: TargetGroupConfig[];
}

export interface NodeConfig {
  listenAddress?: string;
  workers?: number;
  stateDir?: string;
  accessLog?: { file?: string; stdout?: boolean; bufferBytes?: number };
  verifiedSignatureCacheSize?: number;
  allowPathParameters?: boolean;
  http1FastPath?: boolean;
  limits?: { maxHeaderBytes?: number; maxHeaderCount?: number; maxRequestIdBytes?: number };
  timeouts?: {
    requestTimeoutSeconds?: number;
    headersTimeoutSeconds?: number;
    idleTimeoutSeconds?: number;
    upstreamConnectTimeoutSeconds?: number;
    shutdownGraceSeconds?: number;
  };
}

export interface OrganizationConfig { id: string; rootId?: string; managementAccountId?: string }
export interface AccountConfig { id: string; name?: string; organizationId?: string; orgPath?: string }

export interface RoleConfig {
  roleName: string;
  accountId: string;
  path?: string;
  roleId?: string;
  description?: string;
  tags?: IamTag[];
  policies?: Record<string, PolicyDocument>;
  maxSessionDuration?: number;
}

export interface AccessKeyConfig {
  accessKeyId: string;
  secretAccessKey: SecretRef;
  status?: 'Active' | 'Inactive';
}

export interface UserConfig {
  userName: string;
  accountId: string;
  path?: string;
  userId?: string;
  tags?: IamTag[];
  policies?: Record<string, PolicyDocument>;
  accessKeys?: AccessKeyConfig[];
}

export interface VpcConfig { vpcId: string; ownerId: string; cidrBlocks: string[]; tags?: IamTag[] }

export interface IpPermission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  ipRanges?: { cidrIp: string; description?: string }[];
  ipv6Ranges?: { cidrIpv6: string; description?: string }[];
  userIdGroupPairs?: { groupId: string; userId?: string; description?: string }[];
}

export interface SecurityGroupConfig {
  groupId: string;
  groupName?: string;
  description?: string;
  vpcId: string;
  /** latticed extension: source CIDRs of the members of this group (for userIdGroupPairs). */
  members?: string[];
  ipPermissions?: IpPermission[];
  tags?: IamTag[];
}

export interface VpcAssociationConfig { vpcIdentifier: string; id?: string; securityGroupIds?: string[]; tags?: TagMap }
export interface ServiceAssociationConfig { serviceIdentifier: string; id?: string; tags?: TagMap }

export interface ServiceNetworkConfig {
  name: string;
  id?: string;
  accountId?: string;
  authType?: AuthType;
  authPolicy?: PolicyDocument;
  tags?: TagMap;
  vpcAssociations?: VpcAssociationConfig[];
  serviceAssociations?: ServiceAssociationConfig[];
}

export interface WeightedTargetGroupConfig { targetGroupIdentifier: string; weight?: number }
export type RuleActionConfig =
  | { forward: { targetGroups: WeightedTargetGroupConfig[] }; fixedResponse?: undefined }
  | { fixedResponse: { statusCode: number }; forward?: undefined };

export interface PathMatchConfig { match: { exact?: string; prefix?: string }; caseSensitive?: boolean }
export interface HeaderMatchConfig {
  name: string;
  match: { exact?: string; prefix?: string; contains?: string };
  caseSensitive?: boolean;
}
export interface RuleMatchConfig {
  httpMatch: { method?: string; pathMatch?: PathMatchConfig; headerMatches?: HeaderMatchConfig[] };
}

export interface RuleConfig {
  name?: string;
  id?: string;
  priority: number;
  match: RuleMatchConfig;
  action: RuleActionConfig;
  tags?: TagMap;
}

export interface ListenerConfig {
  name?: string;
  id?: string;
  protocol: 'HTTP' | 'HTTPS';
  port?: number;
  defaultAction: RuleActionConfig;
  rules?: RuleConfig[];
  tags?: TagMap;
}

export interface ServiceConfig {
  name: string;
  id?: string;
  accountId?: string;
  authType?: AuthType;
  authPolicy?: PolicyDocument;
  customDomainName?: string;
  /** latticed extension standing for certificateArn. Paths relative to the configuration file. */
  certificate?: { certFile: string; keyFile: string };
  listeners?: ListenerConfig[];
  tags?: TagMap;
}

export interface HealthCheckInput {
  enabled?: boolean;
  protocol?: 'HTTP' | 'HTTPS';
  protocolVersion?: 'HTTP1' | 'HTTP2';
  port?: number;
  path?: string;
  healthCheckIntervalSeconds?: number;
  healthCheckTimeoutSeconds?: number;
  healthyThresholdCount?: number;
  unhealthyThresholdCount?: number;
  matcher?: { httpCode: string };
}

export interface TargetGroupConfig {
  name: string;
  id?: string;
  accountId?: string;
  type: 'IP' | 'INSTANCE';
  config: {
    port: number;
    protocol: 'HTTP' | 'HTTPS';
    protocolVersion?: 'HTTP1' | 'HTTP2' | 'GRPC';
    vpcIdentifier?: string;
    healthCheck?: HealthCheckInput;
  };
  targets?: { id: string; port?: number; address?: string }[];
  tags?: TagMap;
}
