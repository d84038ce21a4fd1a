/**
 * buildRequestContext, against AWS's documentation:
 *  - VPC Lattice user guide, auth-policies, "Resource format" (`<serviceARN>/<path>`) and "Condition keys
 *    that can be used in auth policies" (Port 80; RequestMethod GET; RequestHeader/content-type:
 *    application/json; RequestQueryString/quux: [corge, grault]; ServiceNetworkArn; ServiceArn;
 *    SourceVpc vpc-1a2b3c4d; SourceVpcOwnerAccount 123456789012);
 *  - IAM user guide, "AWS global condition context keys" and "Policy variables: request information"
 *    (aws:userid is `account` for the root user, `account:caller-specified-name` for federated users,
 *    `anonymous` for anonymous callers; aws:username only for IAM users; aws:PrincipalArn is the role ARN
 *    for a role session; aws:PrincipalType Account / User / FederatedUser / AssumedRole / Anonymous).
 */
import { describe, expect, it } from 'vitest';
import { buildRequestContext, evaluatePolicy, compilePolicy, type HttpRequestDescription } from '../../src/policy/index.js';

const SERVICE = 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0';
const base: HttpRequestDescription = { method: 'GET', path: '/rates', serviceArn: SERVICE };

describe('buildRequestContext: the Lattice keys', () => {
  const r = buildRequestContext({
    ...base,
    principal: 'arn:aws:sts::123456789012:assumed-role/rates-client/s1',
    path: '/rates/eu?quux=corge&quux=grault&plain&sp=a+b%2Fc',
    headers: { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'], Authorization: 'AWS4-HMAC-SHA256 Credential=…', 'x-amz-security-token': 'tok' },
    port: 80,
    serviceNetworkArn: 'arn:aws:vpc-lattice:us-west-2:123456789012:servicenetwork/sn-0123456789abcdef0',
    sourceVpc: 'vpc-1a2b3c4d',
    sourceVpcOwnerAccount: '123456789012',
  });

  it('action is vpc-lattice-svcs:Invoke and the resource is the service ARN plus the path, without the query', () => {
    expect(r.action).toBe('vpc-lattice-svcs:Invoke');
    expect(r.resource).toBe(`${SERVICE}/rates/eu`);
    expect(r.resourceAccount).toBe('123456789012');
  });
  it('sets RequestMethod, RequestPath, Port, ServiceArn, ServiceNetworkArn, SourceVpc, SourceVpcOwnerAccount', () => {
    expect(r.context).toMatchObject({
      'vpc-lattice-svcs:RequestMethod': 'GET',
      'vpc-lattice-svcs:RequestPath': '/rates/eu',
      'vpc-lattice-svcs:Port': '80',
      'vpc-lattice-svcs:ServiceArn': SERVICE,
      'vpc-lattice-svcs:ServiceNetworkArn': 'arn:aws:vpc-lattice:us-west-2:123456789012:servicenetwork/sn-0123456789abcdef0',
      'vpc-lattice-svcs:SourceVpc': 'vpc-1a2b3c4d',
      'vpc-lattice-svcs:SourceVpcOwnerAccount': '123456789012',
    });
  });
  it('query keys are multi-valued and form-decoded; a key without a value is the empty string', () => {
    expect(r.context['vpc-lattice-svcs:RequestQueryString/quux']).toEqual(['corge', 'grault']);
    expect(r.context['vpc-lattice-svcs:RequestQueryString/plain']).toBe('');
    expect(r.context['vpc-lattice-svcs:RequestQueryString/sp']).toBe('a b/c');
  });
  it('headers by lower-case name; a repeated header joined with ", "; credential headers left out', () => {
    expect(r.context['vpc-lattice-svcs:RequestHeader/content-type']).toBe('application/json');
    expect(r.context['vpc-lattice-svcs:RequestHeader/x-multi']).toBe('a, b');
    expect(r.context['vpc-lattice-svcs:RequestHeader/authorization']).toBeUndefined();
    expect(r.context['vpc-lattice-svcs:RequestHeader/x-amz-security-token']).toBeUndefined();
  });
  it('a header condition matches whatever case the policy writes the key in', () => {
    const p = compilePolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'vpc-lattice-svcs:RequestHeader/Content-Type': 'application/json' } } }] },
      { kind: 'resource' },
    );
    expect(evaluatePolicy(p, r).decision).toBe('Allow');
  });
  it('an explicit query map replaces parsing the path', () => {
    const q = buildRequestContext({ ...base, path: '/r?a=1', query: { b: ['2', '3'] } });
    expect(q.context['vpc-lattice-svcs:RequestQueryString/a']).toBeUndefined();
    expect(q.context['vpc-lattice-svcs:RequestQueryString/b']).toEqual(['2', '3']);
  });
  it('a malformed escape stays literal rather than failing', () => {
    expect(buildRequestContext({ ...base, path: '/r?k=%E0%A4%A' }).context['vpc-lattice-svcs:RequestQueryString/k']).toBe('%E0%A4%A');
  });
  it('the root path gives the service ARN with a trailing slash, as in AWS messages', () => {
    expect(buildRequestContext({ ...base, path: '/' }).resource).toBe(`${SERVICE}/`);
  });
});

describe('buildRequestContext: the principal keys', () => {
  it('assumed-role session: PrincipalArn is the role ARN, type AssumedRole, session name, no username', () => {
    const r = buildRequestContext({
      ...base,
      principal: 'arn:aws:sts::123456789012:assumed-role/order-service-role/s1',
      principalOrgId: 'o-myorgid',
      principalOrgPaths: ['o-myorgid/r-ab12/ou-ab12-11111111/'],
      principalTags: { team: 'orders' },
      userId: 'AROAEXAMPLEROLEID:s1',
      sourceIdentity: 'alice',
    });
    expect(r.principal).toBe('arn:aws:sts::123456789012:assumed-role/order-service-role/s1');
    expect(r.context).toMatchObject({
      'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/order-service-role',
      'aws:PrincipalAccount': '123456789012',
      'aws:PrincipalType': 'AssumedRole',
      'aws:PrincipalOrgID': 'o-myorgid',
      'aws:PrincipalOrgPaths': ['o-myorgid/r-ab12/ou-ab12-11111111/'],
      'aws:PrincipalTag/team': 'orders',
      'aws:PrincipalIsAWSService': 'false',
      'aws:userid': 'AROAEXAMPLEROLEID:s1',
      'aws:RoleSessionName': 's1',
      'aws:SourceIdentity': 'alice',
    });
    expect(r.context['aws:username']).toBeUndefined();
  });
  it('a role path, when known, goes into aws:PrincipalArn', () => {
    const r = buildRequestContext({ ...base, principal: 'arn:aws:sts::123456789012:assumed-role/r/s', principalRoleArn: 'arn:aws:iam::123456789012:role/team/r' });
    expect(r.context['aws:PrincipalArn']).toBe('arn:aws:iam::123456789012:role/team/r');
  });
  it('aws:userid of a role session is left out when the role ID is not known', () => {
    const r = buildRequestContext({ ...base, principal: 'arn:aws:sts::123456789012:assumed-role/r/s' });
    expect('aws:userid' in r.context).toBe(false);
  });
  it('IAM user: aws:username is the user name (without path), type User', () => {
    const r = buildRequestContext({ ...base, principal: 'arn:aws:iam::123456789012:user/division/ci', userId: 'AIDAEXAMPLE' });
    expect(r.context).toMatchObject({ 'aws:username': 'ci', 'aws:userid': 'AIDAEXAMPLE', 'aws:PrincipalType': 'User', 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/division/ci' });
  });
  it('root: type Account, aws:userid the account ID', () => {
    const r = buildRequestContext({ ...base, principal: 'arn:aws:iam::123456789012:root' });
    expect(r.context).toMatchObject({ 'aws:PrincipalType': 'Account', 'aws:userid': '123456789012' });
  });
  it('federated user: type FederatedUser, aws:userid account:name', () => {
    const r = buildRequestContext({ ...base, principal: 'arn:aws:sts::123456789012:federated-user/Bob' });
    expect(r.context).toMatchObject({ 'aws:PrincipalType': 'FederatedUser', 'aws:userid': '123456789012:Bob' });
  });
  it('anonymous: type Anonymous, aws:userid "anonymous", and no principal keys even when some are supplied', () => {
    for (const principal of ['anonymous', 'Anonymous', '', undefined]) {
      const d: HttpRequestDescription = { ...base, principalOrgId: 'o-myorgid', principalTags: { team: 'x' } };
      if (principal !== undefined) d.principal = principal;
      const r = buildRequestContext(d);
      expect(r.principal).toBe('anonymous');
      expect(r.context['aws:PrincipalType']).toBe('Anonymous');
      expect(r.context['aws:userid']).toBe('anonymous');
      for (const k of ['aws:PrincipalOrgID', 'aws:PrincipalTag/team', 'aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalIsAWSService'])
        expect(r.context[k]).toBeUndefined();
    }
  });
});

describe('buildRequestContext: network, transport, time and resource keys', () => {
  it('aws:SourceIp, aws:SecureTransport, aws:ResourceTag/*', () => {
    const r = buildRequestContext({ ...base, sourceIp: '10.0.0.7', secureTransport: true, resourceTags: { Environment: 'Gamma' } });
    expect(r.context).toMatchObject({ 'aws:SourceIp': '10.0.0.7', 'aws:SecureTransport': 'true', 'aws:ResourceTag/Environment': 'Gamma' });
    expect(buildRequestContext(base).context['aws:SecureTransport']).toBeUndefined();
  });
  it('aws:CurrentTime is ISO 8601 to the second in UTC and aws:EpochTime the seconds, from any time form', () => {
    for (const time of ['2026-11-29T06:12:07.250Z', Date.UTC(2026, 10, 29, 6, 12, 7, 250), new Date('2026-11-29T07:12:07+01:00')]) {
      const r = buildRequestContext({ ...base, time });
      expect(r.context['aws:CurrentTime']).toBe('2026-11-29T06:12:07Z');
      expect(r.context['aws:EpochTime']).toBe('1795932727');
    }
  });
  it('defaults the time to now', () => {
    const before = Math.floor(Date.now() / 1000);
    const epoch = Number(buildRequestContext(base).context['aws:EpochTime']);
    expect(epoch).toBeGreaterThanOrEqual(before);
    expect(epoch).toBeLessThanOrEqual(before + 1);
  });
  it('an unreadable time leaves both time keys out (date conditions then fail closed)', () => {
    const r = buildRequestContext({ ...base, time: 'yesterday' });
    expect(r.context['aws:CurrentTime']).toBeUndefined();
    expect(r.context['aws:EpochTime']).toBeUndefined();
  });
  it('a DateLessThan condition on aws:CurrentTime sees the request time', () => {
    const p = compilePolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } } }] },
      { kind: 'resource' },
    );
    expect(evaluatePolicy(p, buildRequestContext({ ...base, time: '2026-12-31T23:59:59Z' })).decision).toBe('Allow');
    expect(evaluatePolicy(p, buildRequestContext({ ...base, time: '2027-01-01T00:00:00Z' })).decision).toBe('ImplicitDeny');
  });
});
