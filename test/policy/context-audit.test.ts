/**
 * Audit regressions for the Lattice request context: values of query keys (and raw context keys)
 * that differ only in case must not hide each other, and building the context must stay linear in
 * the size of the query, however many times a key repeats.
 */
import { describe, expect, it } from 'vitest';
import { authorizeLattice, buildRequestContext, compilePolicy, evaluatePolicy, prepareRequest } from '../../src/policy/index.js';

const SERVICE = 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0';
const QS = 'vpc-lattice-svcs:RequestQueryString/';

const policy = (extra: Record<string, unknown>) =>
  compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'All', Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' },
        { Sid: 'Guard', Effect: 'Deny', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*', Condition: extra },
      ],
    },
    { kind: 'resource' },
  );
const denyAdmin = policy({ StringEquals: { [`${QS}admin`]: 'true' } });
const decide = (path: string) =>
  authorizeLattice({ service: { authType: 'AWS_IAM', policy: denyAdmin } }, buildRequestContext({ method: 'GET', path, serviceArn: SERVICE }));

describe('query keys that differ only in case', () => {
  it.each(['/x?admin=true&Admin=false', '/x?Admin=false&admin=true', '/x?ADMIN=true&admin=false', '/x?admin=false&admin=true', '/x?%61dmin=true&%41dmin=x'])(
    'a Deny on RequestQueryString/admin = true sees every spelling: %s',
    (path) => {
      const d = decide(path);
      expect(d.allowed).toBe(false);
      expect(d.denial).toBe('explicit');
    },
  );
  it('are merged into one multi-valued key, in request order', () => {
    const r = buildRequestContext({ method: 'GET', path: '/x?admin=true&Admin=false&ADMIN=x', serviceArn: SERVICE });
    expect(r.context[`${QS}admin`]).toEqual(['true', 'false', 'x']);
  });
  it('ForAllValues allow-lists check the values of every spelling', () => {
    const p = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*',
            Condition: { 'ForAllValues:StringEquals': { [`${QS}region`]: ['eu'] }, Null: { [`${QS}region`]: 'false' } },
          },
        ],
      },
      { kind: 'resource' },
    );
    const r = buildRequestContext({ method: 'GET', path: '/x?Region=us&region=eu', serviceArn: SERVICE });
    expect(evaluatePolicy(p, r).decision).toBe('ImplicitDeny');
  });
  it('an explicit query map merges the same way', () => {
    const r = buildRequestContext({ method: 'GET', path: '/x', query: { Admin: ['true'], admin: 'false' }, serviceArn: SERVICE });
    expect(evaluatePolicy(denyAdmin, r).decision).toBe('ExplicitDeny');
  });
});

describe('raw context keys that differ only in case', () => {
  it('keep every value rather than the last spelling', () => {
    const req = prepareRequest({
      principal: 'anonymous',
      action: 'vpc-lattice-svcs:Invoke',
      resource: `${SERVICE}/x`,
      context: { [`${QS}admin`]: 'true', [`${QS}Admin`]: 'false', [`${QS}ADMIN`]: ['a', 'b'] },
    });
    expect(req.context.get(`${QS}admin`.toLowerCase())).toEqual(['true', 'false', 'a', 'b']);
    expect(evaluatePolicy(denyAdmin, req).decision).toBe('ExplicitDeny');
  });
  it('header names differing only in case in a description are one header, joined', () => {
    const r = buildRequestContext({ method: 'GET', path: '/x', headers: { 'X-Role': 'admin', 'x-role': 'reader' }, serviceArn: SERVICE });
    expect(r.context['vpc-lattice-svcs:RequestHeader/x-role']).toBe('admin, reader');
  });
});

describe('a query with many repeated keys', () => {
  it('is parsed in linear time (32 000 values of one key, a 64 KiB request line)', () => {
    const path = '/x?' + Array(32_000).fill('a').join('&') + '&admin=true';
    const t = performance.now();
    const r = buildRequestContext({ method: 'GET', path, serviceArn: SERVICE });
    const ms = performance.now() - t;
    expect((r.context[`${QS}a`] as readonly string[]).length).toBe(32_000);
    expect(evaluatePolicy(denyAdmin, r).decision).toBe('ExplicitDeny');
    // Quadratic copying took about 8 s here; linear parsing takes a few ms.
    expect(ms).toBeLessThan(500);
  });
  it('alternating spellings of one key stay linear too', () => {
    const path = '/x?' + Array.from({ length: 16_000 }, (_, i) => (i % 2 ? 'a=1' : 'A=1')).join('&');
    const t = performance.now();
    const req = prepareRequest(buildRequestContext({ method: 'GET', path, serviceArn: SERVICE }));
    expect((req.context.get(`${QS}a`.toLowerCase()) as readonly string[]).length).toBe(16_000);
    expect(performance.now() - t).toBeLessThan(500);
  });
});

describe("a raw ';' in the query", () => {
  it.each(['/x?x=1;admin=true', '/x?admin=false;admin=true', '/x?a;admin=true&b=2'])(
    'shows the pairs Rack 2 and older Python read at ";" too: %s',
    (path) => {
      expect(decide(path).denial).toBe('explicit');
    },
  );
  it('keeps the &-separated reading as well', () => {
    const r = buildRequestContext({ method: 'GET', path: '/x?x=1;admin=true&y=2', serviceArn: SERVICE });
    expect(r.context[`${QS}x`]).toEqual(['1;admin=true', '1']);
    expect(r.context[`${QS}admin`]).toBe('true');
    expect(r.context[`${QS}y`]).toBe('2');
  });
  it('an encoded %3B is not a separator', () => {
    const r = buildRequestContext({ method: 'GET', path: '/x?x=1%3Badmin=true', serviceArn: SERVICE });
    expect(r.context[`${QS}x`]).toBe('1;admin=true');
    expect(r.context[`${QS}admin`]).toBeUndefined();
  });
  it('many ; separators stay linear', () => {
    const path = '/x?' + Array(32_000).fill('a').join(';');
    const t = performance.now();
    const r = buildRequestContext({ method: 'GET', path, serviceArn: SERVICE });
    expect((r.context[`${QS}a`] as readonly string[]).length).toBe(32_000);
    expect(performance.now() - t).toBeLessThan(500);
  });
});

describe("the cookbook's advice on Deny conditions over repeated query keys", () => {
  const unless = (op: string) => policy({ [op]: { [`${QS}mode`]: 'safe' } });
  const d = (p: ReturnType<typeof policy>, path: string) => evaluatePolicy(p, buildRequestContext({ method: 'GET', path, serviceArn: SERVICE })).decision;
  it('a plain StringNotEquals is passed by adding the allowed value', () => {
    expect(d(unless('StringNotEquals'), '/x?mode=safe&mode=evil')).toBe('Allow');
  });
  it('ForAnyValue:StringNotEquals denies as soon as one value differs, and only then', () => {
    const p = unless('ForAnyValue:StringNotEquals');
    expect(d(p, '/x?mode=safe&mode=evil')).toBe('ExplicitDeny');
    expect(d(p, '/x?mode=evil')).toBe('ExplicitDeny');
    expect(d(p, '/x?mode=safe')).toBe('Allow');
    expect(d(p, '/x')).toBe('Allow'); // a missing key needs its own Null: true deny
  });
});
