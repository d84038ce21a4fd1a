import { describe, expect, it } from 'vitest';
import type { SecurityGroupConfig } from '../../src/network/index.js';
import { compileIngress } from '../../src/network/security-groups.js';

const groups = (list: SecurityGroupConfig[]) => new Map(list.map((g) => [g.groupId, g]));

describe('security groups (allowsIngress)', () => {
  const web: SecurityGroupConfig = {
    groupId: 'sg-00000001',
    vpcId: 'vpc-00000001',
    ipPermissions: [
      { ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIp: '10.0.1.0/24' }] },
      { ipProtocol: 'tcp', fromPort: 8000, toPort: 8999, ipv6Ranges: [{ cidrIpv6: 'fd00::/16' }] },
      { ipProtocol: 'udp', fromPort: 53, toPort: 53, ipRanges: [{ cidrIp: '0.0.0.0/0' }] },
    ],
  };
  const clients: SecurityGroupConfig = { groupId: 'sg-00000002', vpcId: 'vpc-00000001', members: ['10.0.7.0/28', 'fd07::/64'] };
  const fromClients: SecurityGroupConfig = {
    groupId: 'sg-00000003',
    vpcId: 'vpc-00000001',
    ipPermissions: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, userIdGroupPairs: [{ groupId: 'sg-00000002' }] }],
  };
  const everything: SecurityGroupConfig = { groupId: 'sg-00000004', vpcId: 'vpc-00000001', ipPermissions: [{ ipProtocol: '-1', ipRanges: [{ cidrIp: '10.9.0.0/16' }] }] };
  const empty: SecurityGroupConfig = { groupId: 'sg-00000005', vpcId: 'vpc-00000001' };
  const all = groups([web, clients, fromClients, everything, empty]);

  it('allows a CIDR source on the rule\'s port only', () => {
    const allows = compileIngress(['sg-00000001'], all);
    expect(allows('10.0.1.7', 80)).toBe(true);
    expect(allows('10.0.1.7', 81)).toBe(false);
    expect(allows('10.0.2.7', 80)).toBe(false);
    expect(allows('::ffff:10.0.1.7', 80)).toBe(true);
  });

  it('port ranges are inclusive, IPv6 sources match ipv6Ranges', () => {
    const allows = compileIngress(['sg-00000001'], all);
    expect(allows('fd00:1::1', 8000)).toBe(true);
    expect(allows('fd00:1::1', 8999)).toBe(true);
    expect(allows('fd00:1::1', 9000)).toBe(false);
    expect(allows('fd01::1', 8080)).toBe(false);
  });

  it('a udp rule never allows a TCP connection', () => {
    expect(compileIngress(['sg-00000001'], all)('192.0.2.1', 53)).toBe(false);
  });

  it('a source security group stands for its members', () => {
    const allows = compileIngress(['sg-00000003'], all);
    expect(allows('10.0.7.1', 443)).toBe(true);
    expect(allows('10.0.7.16', 443)).toBe(false);
    expect(allows('fd07::abcd', 443)).toBe(true);
    expect(allows('10.0.7.1', 80)).toBe(false);
  });

  it('ipProtocol -1 allows every port', () => {
    const allows = compileIngress(['sg-00000004'], all);
    expect(allows('10.9.3.3', 1)).toBe(true);
    expect(allows('10.9.3.3', 65535)).toBe(true);
    expect(allows('10.8.3.3', 1)).toBe(false);
  });

  it('several groups: any rule of any group allows', () => {
    const allows = compileIngress(['sg-00000001', 'sg-00000004'], all);
    expect(allows('10.0.1.7', 80)).toBe(true);
    expect(allows('10.9.0.1', 22)).toBe(true);
    expect(allows('10.0.1.7', 22)).toBe(false);
  });

  it('a group with no ingress rules allows nothing; no groups at all allows the VPC (as Lattice)', () => {
    expect(compileIngress(['sg-00000005'], all)('10.0.1.7', 80)).toBe(false);
    expect(compileIngress([], all)('10.0.1.7', 80)).toBe(true);
  });

  it('an unparsable source address is refused', () => {
    expect(compileIngress(['sg-00000004'], all)('bogus', 80)).toBe(false);
  });
});
