/**
 * The e2e configuration: the order-inventory example's identities and policies (read from
 * examples/order-inventory/policies, so the tests exercise the shipped documents), on free ports,
 * plus what the scenarios need: an IAM user for curl, a public path for the tampered-signature
 * case, a gRPC service, and VPCs that are refused (security group, not associated).
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './build.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-west-2';
export const USER_KEY_ID = 'AKIAE2ETESTUSER00001';
export const USER_SECRET = 'e2e/user/secret/0123456789abcdefghijklmnopq';
export const USER_SECRET_ENV = 'LATTICED_E2E_CI_SECRET';

/** Source addresses of the scenarios' VPCs. */
export const SOURCES = {
  allowed: '127.0.0.1', // vpc-…01: associated, its security group allows the listeners
  wrongPort: '127.0.2.1', // vpc-…02: associated, its security group allows another port only
  unassociated: '127.0.3.1', // vpc-…03: in no service network
  nowhere: '127.0.4.1', // in no VPC at all
};

const policy = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(projectRoot, 'examples/order-inventory/policies', name), 'utf8'));

export interface TestPorts {
  http: number;
  grpc: number;
  upstream: number;
  grpcUpstream: number;
}

/** Anonymous callers may GET /public/* (on both layers): the path the tampered signature must still fail on. */
const publicStatement = {
  Sid: 'AnonymousPublic',
  Effect: 'Allow',
  Principal: '*',
  Action: 'vpc-lattice-svcs:Invoke',
  Resource: '*',
  Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' }, StringLike: { 'vpc-lattice-svcs:RequestPath': '/public/*' } },
};

function withStatement(doc: Record<string, unknown>, extra: object): Record<string, unknown> {
  return { ...doc, Statement: [...(doc.Statement as object[]), extra] };
}

/**
 * `variant` changes a tag and a statement id: each variant compiles to a new snapshot (new hash,
 * recompiled policies) that decides every request the same way.
 */
export function testConfig(ports: TestPorts, variant = 0): Record<string, unknown> {
  const invoke = { 'invoke-lattice': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] } };
  const vpc = (n: number, cidr: string) => ({ vpcId: `vpc-0e2e0000000000${String(n).padStart(3, '0')}`, ownerId: ACCOUNT, cidrBlocks: [cidr] });
  const forward = (tg: string) => ({ forward: { targetGroups: [{ targetGroupIdentifier: tg }] } });
  return {
    region: REGION,
    organizations: [{ id: 'o-myorgid' }],
    accounts: [{ id: ACCOUNT, organizationId: 'o-myorgid', orgPath: 'o-myorgid/r-ab12/ou-ab12-11111111/' }],
    roles: [
      { roleName: 'order-service-role', accountId: ACCOUNT, tags: [{ Key: 'team', Value: 'orders' }], policies: invoke },
      { roleName: 'reporting-service-role', accountId: ACCOUNT, policies: invoke },
    ],
    users: [
      {
        userName: 'ci',
        accountId: ACCOUNT,
        policies: invoke,
        accessKeys: [{ accessKeyId: USER_KEY_ID, secretAccessKey: { env: USER_SECRET_ENV } }],
      },
    ],
    vpcs: [vpc(1, '127.0.0.0/24'), vpc(2, '127.0.2.0/24'), vpc(3, '127.0.3.0/24')],
    securityGroups: [
      {
        groupId: 'sg-0e2e0000000000001',
        vpcId: 'vpc-0e2e0000000000001',
        ipPermissions: [{ ipProtocol: 'tcp', fromPort: Math.min(ports.http, ports.grpc), toPort: Math.max(ports.http, ports.grpc), ipRanges: [{ cidrIp: '127.0.0.0/24' }] }],
      },
      {
        groupId: 'sg-0e2e0000000000002',
        vpcId: 'vpc-0e2e0000000000002',
        ipPermissions: [{ ipProtocol: 'tcp', fromPort: 1, toPort: 1, ipRanges: [{ cidrIp: '127.0.2.0/24' }] }],
      },
    ],
    serviceNetworks: [
      {
        name: 'shop',
        authType: 'AWS_IAM',
        authPolicy: withStatement(policy('shop-network.json'), publicStatement),
        tags: { variant: String(variant) },
        vpcAssociations: [
          { vpcIdentifier: 'vpc-0e2e0000000000001', securityGroupIds: ['sg-0e2e0000000000001'] },
          { vpcIdentifier: 'vpc-0e2e0000000000002', securityGroupIds: ['sg-0e2e0000000000002'] },
        ],
        serviceAssociations: [{ serviceIdentifier: 'inventory-service' }, { serviceIdentifier: 'inventory-grpc' }],
      },
    ],
    services: [
      {
        name: 'inventory-service',
        customDomainName: 'inventory.shop.internal',
        authType: 'AWS_IAM',
        authPolicy: withStatement(
          withStatement(policy('inventory-service.json'), publicStatement),
          // The IAM user `ci` may read stock too (the curl --aws-sigv4 case).
          { Sid: `CiReadsStock${variant}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/ci` }, Action: 'vpc-lattice-svcs:Invoke', Resource: '*', Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' }, StringLike: { 'vpc-lattice-svcs:RequestPath': '/api/stock*' } } },
        ),
        listeners: [{ protocol: 'HTTP', port: ports.http, defaultAction: forward('inventory-tg') }],
      },
      {
        name: 'inventory-grpc',
        customDomainName: 'grpc.shop.internal',
        authType: 'AWS_IAM',
        authPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OrderServiceGetsStock',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/order-service-role` },
              Action: 'vpc-lattice-svcs:Invoke',
              Resource: '*',
              Condition: { StringEquals: { 'vpc-lattice-svcs:RequestPath': '/inventory.Inventory/GetStock' } },
            },
          ],
        },
        listeners: [{ protocol: 'HTTP', port: ports.grpc, defaultAction: forward('inventory-grpc-tg') }],
      },
    ],
    targetGroups: [
      {
        name: 'inventory-tg',
        type: 'IP',
        config: { port: ports.upstream, protocol: 'HTTP', healthCheck: { path: '/healthz' } },
        targets: [{ id: '127.0.0.1' }],
      },
      {
        name: 'inventory-grpc-tg',
        type: 'IP',
        config: { port: ports.grpcUpstream, protocol: 'HTTP', protocolVersion: 'GRPC', healthCheck: { enabled: false } },
        targets: [{ id: '127.0.0.1' }],
      },
    ],
    node: { listenAddress: '127.0.0.1', timeouts: { shutdownGraceSeconds: 5 } },
  };
}

export function writeConfig(file: string, config: Record<string, unknown>): void {
  // Write-then-rename, as editors do, so the watcher never reads half a file.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(config, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}
