/** `latticed policy validate` and `latticed policy simulate`, run as the real binary. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, latticed, ROLE_SESSION, SERVICE, tempFiles } from './policy-helpers.js';

const NETWORK = path.join(EXAMPLE, 'shop-network.json');
const INVENTORY = path.join(EXAMPLE, 'inventory-service.json');
const stock = { principal: ROLE_SESSION, principalOrgId: 'o-myorgid', method: 'GET', path: '/api/stock/1', serviceArn: SERVICE };

describe('latticed policy validate', () => {
  const dir = tempFiles({
    'bad.json': {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' },
        { Sid: 'B', Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*', Condition: { StringEqualz: { 'aws:PrincipalOrgID': 'o-x' } } },
      ],
    },
    'never.json': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: [], Resource: '*' }] },
    'identity.json': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] },
    'broken.json': '{"Version": ',
  });
  const f = (n: string) => path.join(dir, n);

  it('prints each error as FILE: JSONPATH: reason and exits 1', () => {
    const r = latticed(['policy', 'validate', f('bad.json')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${f('bad.json')}: $.Statement[1].Condition: unknown operator "StringEqualz"\n`);
  });
  it('exits 0 for valid files and says so', () => {
    const r = latticed(['policy', 'validate', NETWORK, INVENTORY]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${NETWORK}: valid\n${INVENTORY}: valid\n`);
  });
  it('checks every file even after a bad one', () => {
    const r = latticed(['policy', 'validate', f('broken.json'), f('missing.json'), NETWORK]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${f('broken.json')}: \\$: not valid JSON`, 'm'));
    expect(r.stdout).toContain(`${f('missing.json')}: cannot read: ENOENT`);
    expect(r.stdout).toContain(`${NETWORK}: valid`);
  });
  it('prints warnings, which fail only with --strict', () => {
    const r = latticed(['policy', 'validate', f('never.json')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/never\.json: \$\.Statement\[0\]\.Action: warning: .*can never match/);
    expect(latticed(['policy', 'validate', '--strict', f('never.json')]).status).toBe(1);
  });
  it('auth policies need a Principal; --kind identity validates identity policies', () => {
    const r = latticed(['policy', 'validate', f('identity.json')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Principal');
    expect(latticed(['policy', 'validate', '--kind', 'identity', f('identity.json')]).status).toBe(0);
  });
});

describe('latticed policy simulate --request', () => {
  const layers = ['--network-policy', NETWORK, '--service-policy', INVENTORY, '--skip-identity'];

  it('prints the decision, deciding layer and statement, and each layer\'s explanation', () => {
    const r = latticed(['policy', 'simulate', ...layers, '--request', JSON.stringify(stock)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Decision: Allow (Service layer, statement 0 ("OrderServiceReadsStock"))');
    expect(r.stdout).toContain(`Network (${NETWORK}):`);
  });
  it('a deny names the layer, AWS\'s message and the failing condition', () => {
    const r = latticed(['policy', 'simulate', ...layers, '--request', JSON.stringify({ ...stock, method: 'POST' })]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Decision: Deny (Service layer)');
    expect(r.stdout).toContain(
      `Message:  User: ${ROLE_SESSION} is not authorized to perform: vpc-lattice-svcs:Invoke on resource: ${SERVICE}/api/stock/1 because no service-based policy allows the vpc-lattice-svcs:Invoke action`,
    );
    expect(r.stdout).toContain('Condition StringEquals on vpc-lattice-svcs:RequestMethod did not match');
  });
  it('--json prints the result as JSON', () => {
    const r = latticed(['policy', 'simulate', ...layers, '--json', '--request', JSON.stringify({ ...stock, principal: 'anonymous' })]);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ decision: 'Deny', allowed: false, layer: 'Network', denial: 'implicit' });
    expect(j.layers.map((l: { layer: string }) => l.layer)).toEqual(['Network', 'Service']);
  });
  it('reads the request from @FILE', () => {
    const dir = tempFiles({ 'req.json': stock });
    const r = latticed(['policy', 'simulate', ...layers, '--json', '--request', `@${path.join(dir, 'req.json')}`]);
    expect(JSON.parse(r.stdout).decision).toBe('Allow');
  });
  it('without --identity-policy an authenticated caller is denied by the Identity layer; with one it passes', () => {
    const noId = latticed(['policy', 'simulate', '--network-policy', NETWORK, '--json', '--request', JSON.stringify(stock)]);
    expect(JSON.parse(noId.stdout)).toMatchObject({ allowed: false, layer: 'Identity' });
    const dir = tempFiles({ 'id.json': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] } });
    const withId = latticed(['policy', 'simulate', '--network-policy', NETWORK, '--identity-policy', path.join(dir, 'id.json'), '--json', '--request', JSON.stringify(stock)]);
    expect(JSON.parse(withId.stdout)).toMatchObject({ allowed: true, layer: 'Network' });
  });
  it('--service-auth-type AWS_IAM without a policy denies; NONE layers are skipped', () => {
    const r = latticed(['policy', 'simulate', '--service-auth-type', 'AWS_IAM', '--json', '--request', JSON.stringify({ ...stock, principal: 'anonymous' })]);
    expect(JSON.parse(r.stdout)).toMatchObject({ allowed: false, layer: 'Service', layers: [{ layer: 'Service', noPolicy: true }] });
    const open = latticed(['policy', 'simulate', '--json', '--request', JSON.stringify(stock)]);
    expect(JSON.parse(open.stdout)).toEqual({ decision: 'Allow', allowed: true, layers: [] });
  });
  it('the raw IAM form is checked against a single policy', () => {
    const req = {
      principal: ROLE_SESSION,
      action: 'vpc-lattice-svcs:Invoke',
      resource: `${SERVICE}/api/stock`,
      context: { 'vpc-lattice-svcs:RequestMethod': 'GET', 'vpc-lattice-svcs:RequestPath': '/api/stock', 'aws:PrincipalOrgID': 'o-myorgid' },
    };
    const r = latticed(['policy', 'simulate', '--policy', INVENTORY, '--json', '--request', JSON.stringify(req)]);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'Allow', determining: [{ index: 0, sid: 'OrderServiceReadsStock' }] });
    const denied = latticed(['policy', 'simulate', '--policy', INVENTORY, '--json', '--request', JSON.stringify({ ...req, context: {} })]);
    expect(JSON.parse(denied.stdout).decision).toBe('ImplicitDeny');
    const ambiguous = latticed(['policy', 'simulate', ...layers, '--request', JSON.stringify(req)]);
    expect(ambiguous.status).toBe(1);
    expect(ambiguous.stderr).toContain('exactly one policy');
  });
  it('a bad request names each field at fault and exits 1', () => {
    const r = latticed(['policy', 'simulate', ...layers, '--request', JSON.stringify({ ...stock, methd: 'GET', path: 'api', port: 70000 })]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--request: $: unknown field "methd"');
    expect(r.stderr).toContain('--request: $.path: must match pattern "^/"');
    expect(r.stderr).toContain('--request: $.port:');
  });
  it('an invalid policy file is reported as FILE: JSONPATH: reason', () => {
    const dir = tempFiles({ 'p.json': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }] } });
    const r = latticed(['policy', 'simulate', '--service-policy', path.join(dir, 'p.json'), '--request', JSON.stringify(stock)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${path.join(dir, 'p.json')}: \\$\\.Statement\\[0\\]\\.Condition`, 'm'));
  });
  it('needs exactly one of --request and --cases', () => {
    expect(latticed(['policy', 'simulate']).status).toBe(1);
  });
});

describe('latticed policy simulate --cases', () => {
  const cases = [
    { name: 'stock read', ...stock, expected: 'Allow' },
    { name: 'write', ...stock, method: 'PUT', expected: 'Service' },
    { name: 'anonymous', ...stock, principal: 'anonymous', expected: 'Network' },
    { name: 'no expectation', ...stock, path: '/api/orders' },
    { name: 'raw form rejected here', action: 'x:y', resource: '*' },
  ];
  const layers = ['--network-policy', NETWORK, '--service-policy', INVENTORY, '--skip-identity'];

  it('prints one JSON result per line, checks "expected", and exits 1 on any failure', () => {
    const dir = tempFiles({ 'cases.jsonl': cases.map((c) => JSON.stringify(c)).join('\n') + '\n\n{oops\n' });
    const r = latticed(['policy', 'simulate', ...layers, '--cases', path.join(dir, 'cases.jsonl')]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ line: 1, name: 'stock read', decision: 'Allow', expected: 'Allow', ok: true });
    expect(lines[1]).toMatchObject({ line: 2, decision: 'Deny', layer: 'Service', ok: true });
    expect(lines[2]).toMatchObject({ line: 3, decision: 'Deny', layer: 'Network', ok: true });
    expect(lines[3]).toMatchObject({ line: 4, decision: 'Deny', layer: 'Service' });
    expect(lines[3].ok).toBeUndefined();
    expect(lines[4].error[0]).toContain(':5: $: a raw IAM request');
    expect(lines[5]).toMatchObject({ line: 7 });
    expect(lines[5].error[0]).toContain('not valid JSON');
  });
  it('exits 0 when every expectation holds; a mismatch exits 1', () => {
    const good = tempFiles({ 'c.jsonl': cases.slice(0, 4).map((c) => JSON.stringify(c)).join('\n') });
    expect(latticed(['policy', 'simulate', ...layers, '--cases', path.join(good, 'c.jsonl')]).status).toBe(0);
    const bad = tempFiles({ 'c.jsonl': JSON.stringify({ ...stock, method: 'PUT', expected: 'Allow' }) });
    const r = latticed(['policy', 'simulate', ...layers, '--cases', path.join(bad, 'c.jsonl')]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, expected: 'Allow', decision: 'Deny' });
  });
  it('--service-arn fills requests that leave serviceArn out', () => {
    const { serviceArn: _s, ...noArn } = stock;
    const dir = tempFiles({ 'c.jsonl': JSON.stringify({ ...noArn, expected: 'Allow' }) });
    const r = latticed(['policy', 'simulate', ...layers, '--service-arn', SERVICE, '--cases', path.join(dir, 'c.jsonl')]);
    expect(r.status).toBe(0);
  });
});
