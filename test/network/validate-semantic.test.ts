import { describe, expect, it } from 'vitest';
import { issuesAfter } from './helpers.js';

const fixed404 = { fixedResponse: { statusCode: 404 } };

describe('validateConfig: references', () => {
  it('reports dangling references at the referring field', () => {
    expect(
      issuesAfter((c) => {
        c.accounts[0]!.organizationId = 'o-otherorg';
        c.roles![1]!.accountId = '999999999999';
        c.securityGroups![0]!.vpcId = 'vpc-99999999';
        c.serviceNetworks![0]!.vpcAssociations![0]!.vpcIdentifier = 'vpc-88888888';
        c.serviceNetworks![0]!.serviceAssociations![1]!.serviceIdentifier = 'no-such-service';
        (c.services![1]!.listeners![0]!.defaultAction as any).forward.targetGroups[0].targetGroupIdentifier = 'no-such-tg';
      }),
    ).toEqual([
      '$.accounts[0].organizationId: organization "o-otherorg" is not defined in organizations',
      '$.accounts[0].orgPath: orgPath must start with the account\'s organization id "o-otherorg/"',
      '$.roles[1].accountId: account "999999999999" is not defined in accounts',
      '$.securityGroups[0].vpcId: VPC "vpc-99999999" is not defined in vpcs',
      '$.serviceNetworks[0].vpcAssociations[0].vpcIdentifier: VPC "vpc-88888888" is not defined in vpcs',
      '$.serviceNetworks[0].vpcAssociations[0].securityGroupIds[0]: security group "sg-0a1b2c3d" belongs to vpc-99999999, not to the associated VPC vpc-88888888',
      '$.serviceNetworks[0].serviceAssociations[1].serviceIdentifier: service "no-such-service" is not defined in services (by name, id or ARN)',
      '$.services[1].listeners[0].defaultAction.forward.targetGroups[0].targetGroupIdentifier: target group "no-such-tg" is not defined in targetGroups (by name, id or ARN)',
    ]);
  });

  it('resolves identifiers given as names, ids or ARNs', async () => {
    const { buildModel } = await import('../../src/network/model.js');
    const { validConfig } = await import('./helpers.js');
    const model = buildModel(validConfig());
    const inv = model.services[0]!;
    const tg = model.targetGroups[1]!;
    expect(
      issuesAfter((c) => {
        c.serviceNetworks![0]!.serviceAssociations = [{ serviceIdentifier: inv.id }, { serviceIdentifier: model.services[1]!.arn }];
        (c.services![1]!.listeners![0]!.defaultAction as any).forward.targetGroups[0].targetGroupIdentifier = tg.arn;
        (c.services![0]!.listeners![0]!.defaultAction as any).forward.targetGroups[0].targetGroupIdentifier = model.targetGroups[0]!.id;
      }),
    ).toEqual([]);
  });

  it('a security group used as a source must exist and have members', () => {
    expect(
      issuesAfter((c) => {
        c.securityGroups!.push({ groupId: 'sg-0e0e0e0e', vpcId: 'vpc-0a1b2c3d' });
        c.securityGroups![0]!.ipPermissions!.push(
          { ipProtocol: 'tcp', fromPort: 1, toPort: 2, userIdGroupPairs: [{ groupId: 'sg-0e0e0e0e' }] },
          { ipProtocol: 'tcp', fromPort: 1, toPort: 2, userIdGroupPairs: [{ groupId: 'sg-0f0f0f0f' }] },
        );
      }),
    ).toEqual([
      '$.securityGroups[0].ipPermissions[1].userIdGroupPairs[0].groupId: security group "sg-0e0e0e0e" is used as a source but has no members, so it would match no address',
      '$.securityGroups[0].ipPermissions[2].userIdGroupPairs[0].groupId: security group "sg-0f0f0f0f" is not defined in securityGroups',
    ]);
  });
});

describe('validateConfig: Lattice rules', () => {
  it('a VPC belongs to at most one service network', () => {
    expect(
      issuesAfter((c) => c.serviceNetworks!.push({ name: 'other', vpcAssociations: [{ vpcIdentifier: 'vpc-0a1b2c3d' }] })),
    ).toEqual([
      '$.serviceNetworks[1].vpcAssociations[0].vpcIdentifier: VPC "vpc-0a1b2c3d" is already associated at $.serviceNetworks[0].vpcAssociations[0].vpcIdentifier; a VPC belongs to at most one service network',
    ]);
  });

  it('a port serves one protocol across all services', () => {
    expect(
      issuesAfter((c) => {
        c.services![1]!.listeners![0]!.protocol = 'HTTPS';
        c.services![1]!.certificate = { certFile: 'c.pem', keyFile: 'k.pem' };
      }),
    ).toEqual([
      '$.services[1].listeners[0].protocol: port 8080 is HTTPS here but HTTP at $.services[0].listeners[0]; a port serves one protocol',
    ]);
  });

  it('an HTTPS listener needs the service certificate', () => {
    expect(issuesAfter((c) => (c.services![1]!.listeners![0] = { protocol: 'HTTPS', defaultAction: fixed404 }))).toEqual([
      '$.services[1].certificate: is required: listener $.services[1].listeners[0] is HTTPS (give certFile and keyFile)',
    ]);
  });

  it('listener names and ports, rule names and priorities are unique (generated ids do not add noise)', () => {
    expect(
      issuesAfter((c) => {
        const l = c.services![0]!.listeners!;
        l.push({ name: 'http-8080', protocol: 'HTTP', port: 8080, defaultAction: fixed404 });
        l[0]!.rules = [
          { name: 'a-rule', priority: 5, match: { httpMatch: { method: 'GET' } }, action: fixed404 },
          { name: 'a-rule', priority: 5, match: { httpMatch: { method: 'PUT' } }, action: fixed404 },
        ];
      }),
    ).toEqual([
      '$.services[0].listeners[1].name: duplicate listener name "http-8080" (also at $.services[0].listeners[0].name)',
      '$.services[0].listeners[1].port: duplicate listener port "8080" (also at $.services[0].listeners[0].port)',
      '$.services[0].listeners[0].rules[1].name: duplicate rule name "a-rule" (also at $.services[0].listeners[0].rules[0].name)',
      '$.services[0].listeners[0].rules[1].priority: duplicate rule priority "5" (also at $.services[0].listeners[0].rules[0].priority)',
    ]);
  });

  it('an explicit id may not clash with another id', async () => {
    const { buildModel } = await import('../../src/network/model.js');
    const { validConfig } = await import('./helpers.js');
    const generated = buildModel(validConfig()).services[0]!.id;
    expect(issuesAfter((c) => (c.services![1]!.id = generated))).toEqual([
      `$.services[1].id: duplicate service id "${generated}" (also at $.services[0].id)`,
    ]);
  });

  it('names and host names are unique (host names case-insensitively)', () => {
    expect(
      issuesAfter((c) => {
        c.services![1]!.customDomainName = 'shop.example.internal';
        c.services![0]!.customDomainName = 'SHOP.example.internal';
        c.targetGroups![1]!.name = 'inventory-tg';
        c.vpcs![1]!.vpcId = 'vpc-0a1b2c3d';
      }),
    ).toEqual([
      '$.vpcs[1].vpcId: duplicate vpcId "vpc-0a1b2c3d" (also at $.vpcs[0].vpcId)',
      // order-tg no longer exists: the reference to it dangles.
      '$.services[1].listeners[0].defaultAction.forward.targetGroups[0].targetGroupIdentifier: target group "order-tg" is not defined in targetGroups (by name, id or ARN)',
      '$.targetGroups[1].name: duplicate target group name "inventory-tg" (also at $.targetGroups[0].name)',
      '$.services[1].customDomainName: host name "shop.example.internal" is already used at $.services[0].customDomainName',
    ]);
  });

  it('forward actions: weights required for several groups, not all zero, no duplicates', () => {
    expect(
      issuesAfter((c) => {
        (c.services![0]!.listeners![0]!.defaultAction as any).forward.targetGroups = [
          { targetGroupIdentifier: 'inventory-tg', weight: 0 },
          { targetGroupIdentifier: 'order-tg' },
          { targetGroupIdentifier: 'inventory-tg', weight: 0 },
        ];
        (c.services![1]!.listeners![0]!.defaultAction as any).forward.targetGroups = [{ targetGroupIdentifier: 'order-tg', weight: 0 }];
      }),
    ).toEqual([
      '$.services[0].listeners[0].defaultAction.forward.targetGroups[2].targetGroupIdentifier: duplicate target group in this forward action "inventory-tg" (also at $.services[0].listeners[0].defaultAction.forward.targetGroups[0].targetGroupIdentifier)',
      '$.services[0].listeners[0].defaultAction.forward.targetGroups[1].weight: weight is required when a forward action has more than one target group',
      '$.services[1].listeners[0].defaultAction.forward.targetGroups: every weight is 0: the action could never forward a request',
    ]);
  });

  it('CIDRs must be valid, of the right family, without host bits, and not shared by two VPCs', () => {
    expect(
      issuesAfter((c) => {
        c.vpcs![0]!.cidrBlocks = ['127.0.1.0/24', '10.0.0.1/16', 'fd00::/8'];
        c.vpcs![1]!.cidrBlocks = ['127.0.1.0/24', 'nonsense'];
        c.securityGroups![0]!.ipPermissions![0]!.ipRanges = [{ cidrIp: 'fd00::/8' }];
        c.securityGroups![0]!.ipPermissions![0]!.ipv6Ranges = [{ cidrIpv6: '10.0.0.0/8' }];
      }),
    ).toEqual([
      '$.vpcs[0].cidrBlocks[1]: "10.0.0.1/16" has host bits set (did you mean 10.0.0.0/16?)',
      '$.vpcs[1].cidrBlocks[1]: "nonsense" is not a CIDR block such as 10.0.0.0/16 or fd00::/8',
      '$.vpcs[1].cidrBlocks[0]: duplicate CIDR block "4:7f000100/24" (also at $.vpcs[0].cidrBlocks[0])',
      '$.securityGroups[0].ipPermissions[0].ipRanges[0].cidrIp: "fd00::/8" must be an IPv4 CIDR block',
      '$.securityGroups[0].ipPermissions[0].ipv6Ranges[0].cidrIpv6: "10.0.0.0/8" must be an IPv6 CIDR block',
    ]);
  });

  it('security-group rules: tcp needs ports in order, and at least one source', () => {
    expect(
      issuesAfter((c) => {
        c.securityGroups![0]!.ipPermissions = [
          { ipProtocol: 'tcp', fromPort: 9000, toPort: 8000, ipRanges: [{ cidrIp: '0.0.0.0/0' }] },
          { ipProtocol: 'tcp', ipRanges: [{ cidrIp: '0.0.0.0/0' }] },
          { ipProtocol: '-1' },
        ];
      }),
    ).toEqual([
      '$.securityGroups[0].ipPermissions[0].toPort: toPort 8000 is below fromPort 9000',
      '$.securityGroups[0].ipPermissions[1].fromPort: fromPort is required for ipProtocol tcp',
      '$.securityGroups[0].ipPermissions[1].toPort: toPort is required for ipProtocol tcp',
      '$.securityGroups[0].ipPermissions[2]: a rule needs at least one source in ipRanges, ipv6Ranges or userIdGroupPairs',
    ]);
  });

  it('targets: IP targets are addresses, INSTANCE targets need an address, no duplicates; health-check ranges', () => {
    expect(
      issuesAfter((c) => {
        c.targetGroups![0]!.targets = [{ id: 'i-0123456789abcdef0' }, { id: '127.0.0.1', port: 9001 }, { id: '127.0.0.1' }];
        c.targetGroups![1]!.type = 'INSTANCE';
        c.targetGroups![1]!.targets = [{ id: 'i-0123456789abcdef0' }];
        c.targetGroups![1]!.config.healthCheck = { healthCheckIntervalSeconds: 3, healthyThresholdCount: 0 };
      }),
    ).toEqual([
      '$.targetGroups[0].targets[0].id: "i-0123456789abcdef0" is not an IP address (type IP targets are addresses)',
      '$.targetGroups[0].targets[2]: duplicate target (id:port) "127.0.0.1:9001" (also at $.targetGroups[0].targets[1])',
      '$.targetGroups[1].config.healthCheck.healthCheckIntervalSeconds: must be 0 (the default) or from 5 to 300',
      '$.targetGroups[1].targets[0].address: is required for INSTANCE targets: the IP or host name to connect to',
    ]);
  });

  it('GRPC target groups with health checks on must name the health-check protocol version', () => {
    expect(
      issuesAfter((c) => {
        c.targetGroups![1]!.config.protocolVersion = 'GRPC';
        c.targetGroups![1]!.config.healthCheck = { enabled: true };
      }),
    ).toEqual(['$.targetGroups[1].config.healthCheck.protocolVersion: is required when health checks are enabled on a GRPC target group (HTTP1 or HTTP2)']);
  });

  it('validates auth policies and identity policies through src/policy, with paths into the file', () => {
    const issues = issuesAfter((c) => {
      (c.services![0]!.authPolicy as any).Statement[0].Condition = { StringEquals: 5 };
      (c.serviceNetworks![0]!.authPolicy as any).Statement.push({ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' });
      (c.roles![0]!.policies!['invoke-lattice'] as any).Statement[0].Principal = '*';
    });
    expect(issues.map((i) => i.slice(0, i.indexOf(': ')))).toEqual([
      "$.roles[0].policies['invoke-lattice'].Statement[0].Principal",
      '$.serviceNetworks[0].authPolicy.Statement[1]',
      '$.services[0].authPolicy.Statement[0].Condition.StringEquals',
    ]);
  });

  it('orgPath must match the organization and its root', () => {
    expect(
      issuesAfter((c) => {
        c.organizations![0]!.rootId = 'r-zz99';
      }),
    ).toEqual(['$.accounts[0].orgPath: orgPath names root "r-ab12" but organization o-myorgid has root "r-zz99"']);
  });

  it('node.listenAddress must be an IP address', () => {
    expect(issuesAfter((c) => (c.node!.listenAddress = 'localhost'))).toEqual(['$.node.listenAddress: "localhost" is not an IP address']);
  });

  it('access key ids are unique across users', () => {
    expect(
      issuesAfter((c) => c.users!.push({ userName: 'ci2', accountId: '123456789012', accessKeys: [{ ...c.users![0]!.accessKeys![0]! }] })),
    ).toEqual(['$.users[1].accessKeys[0].accessKeyId: duplicate accessKeyId "AKIAIOSFODNN7EXAMPLE" (also at $.users[0].accessKeys[0].accessKeyId)']);
  });
});
