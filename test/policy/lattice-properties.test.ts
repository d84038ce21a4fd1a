/**
 * Properties of Lattice layering (fast-check), from the rules in the VPC Lattice user guide ("How
 * authorization works"): whatever the layers and the request,
 *  - authorizeLattice is total and deterministic, and a prepared request decides like a raw one;
 *  - adding a Deny statement to any layer never turns a deny into an allow;
 *  - turning a layer's authType from NONE to AWS_IAM never turns a deny into an allow;
 *  - an explicit deny in any applicable policy always decides, and is reported as explicit;
 *  - an allow means every applicable layer allowed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorizeLattice,
  buildRequestContext,
  compilePolicy,
  prepareRequest,
  type AuthType,
  type HttpRequestDescription,
  type LatticeAuthorization,
} from '../../src/policy/index.js';

const SERVICE = 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0';
const ROLES = ['order-service-role', 'reporting-service-role'];

// Statements built from a small vocabulary, so that random ones often match random requests.
const conditionArb = fc.oneof(
  fc.constant(undefined),
  fc.record({ StringEquals: fc.record({ 'vpc-lattice-svcs:RequestMethod': fc.constantFrom('GET', 'POST') }) }),
  fc.record({ StringEquals: fc.record({ 'aws:PrincipalOrgID': fc.constant('o-myorgid') }) }),
  fc.record({ StringLike: fc.record({ 'vpc-lattice-svcs:RequestPath': fc.constantFrom('/api/*', '/admin*') }) }),
  fc.record({ StringNotEqualsIgnoreCase: fc.record({ 'aws:PrincipalType': fc.constant('Anonymous') }) }),
  fc.record({ 'ForAnyValue:StringEquals': fc.record({ 'vpc-lattice-svcs:RequestQueryString/r': fc.constantFrom('eu', 'us') }) }),
);
const statementArb = (resourcePolicy: boolean) =>
  fc
    .record({
      Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      Principal: fc.constantFrom<unknown>('*', { AWS: `arn:aws:iam::123456789012:role/${ROLES[0]}` }, { AWS: '123456789012' }),
      Action: fc.constantFrom('vpc-lattice-svcs:Invoke', 'vpc-lattice-svcs:*', 's3:GetObject'),
      Resource: fc.constantFrom('*', `${SERVICE}/api/*`, `${SERVICE}/admin*`),
      Condition: conditionArb,
    })
    .map(({ Condition, Principal, ...s }) => ({ ...s, ...(resourcePolicy ? { Principal } : {}), ...(Condition === undefined ? {} : { Condition }) }));
const policyArb = (resourcePolicy: boolean) => fc.array(statementArb(resourcePolicy), { minLength: 1, maxLength: 4 });

interface Spec {
  identity: unknown[][] | undefined;
  network: { authType: AuthType; statements: unknown[] | undefined };
  service: { authType: AuthType; statements: unknown[] | undefined };
}
const layerArb = fc.record({ authType: fc.constantFrom<AuthType>('NONE', 'AWS_IAM'), statements: fc.option(policyArb(true), { nil: undefined }) });
const specArb: fc.Arbitrary<Spec> = fc.record({
  identity: fc.option(fc.array(policyArb(false), { maxLength: 2 }), { nil: undefined }),
  network: layerArb,
  service: layerArb,
});

const requestArb: fc.Arbitrary<HttpRequestDescription> = fc.record({
  principal: fc.constantFrom(...ROLES.map((r) => `arn:aws:sts::123456789012:assumed-role/${r}/s1`), 'arn:aws:iam::123456789012:user/ci', 'anonymous'),
  principalOrgId: fc.constantFrom('o-myorgid', 'o-other'),
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom('/api/stock', '/admin/users', '/', '/api/x?r=eu&r=us', '/api/x?r=ap'),
  serviceArn: fc.constant(SERVICE),
});

const doc = (Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
function build(spec: Spec): LatticeAuthorization {
  const a: LatticeAuthorization = { network: { authType: spec.network.authType }, service: { authType: spec.service.authType } };
  if (spec.identity !== undefined) a.identityPolicies = spec.identity.map((s) => compilePolicy(doc(s)));
  if (spec.network.statements !== undefined) a.network!.policy = compilePolicy(doc(spec.network.statements), { kind: 'resource' });
  if (spec.service.statements !== undefined) a.service!.policy = compilePolicy(doc(spec.service.statements), { kind: 'resource' });
  return a;
}
const DENY_ALL = { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' };

describe('Lattice layering properties', () => {
  it('is total and deterministic; prepared and raw requests decide alike', () => {
    fc.assert(
      fc.property(specArb, requestArb, (spec, http) => {
        const auth = build(spec);
        const req = buildRequestContext(http);
        const a = authorizeLattice(auth, req);
        expect(authorizeLattice(auth, req)).toEqual(a);
        expect(authorizeLattice(auth, prepareRequest(req))).toEqual(a);
        expect(authorizeLattice(auth, req, { explain: true }).allowed).toBe(a.allowed);
      }),
      { numRuns: 300 },
    );
  });

  it('adding a Deny statement to any layer never turns a deny into an allow', () => {
    fc.assert(
      fc.property(specArb, requestArb, fc.constantFrom('identity', 'network', 'service'), statementArb(true), (spec, http, where, extra) => {
        const deny = { ...(extra as object), Effect: 'Deny' };
        const before = authorizeLattice(build(spec), buildRequestContext(http)).allowed;
        const more: Spec = structuredClone(spec);
        if (where === 'identity') {
          const { Principal: _p, ...idDeny } = deny as Record<string, unknown>;
          more.identity = [...(more.identity ?? [[idDeny]]).map((p) => [...p, idDeny])];
        } else more[where].statements = [...(more[where].statements ?? []), deny];
        const after = authorizeLattice(build(more), buildRequestContext(http)).allowed;
        expect(before || !after).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('turning a layer from NONE to AWS_IAM never turns a deny into an allow', () => {
    fc.assert(
      fc.property(specArb, requestArb, fc.constantFrom('network', 'service'), (spec, http, where) => {
        fc.pre(spec[where].authType === 'NONE');
        const before = authorizeLattice(build(spec), buildRequestContext(http));
        const on: Spec = structuredClone(spec);
        on[where].authType = 'AWS_IAM';
        const after = authorizeLattice(build(on), buildRequestContext(http));
        // With both layers NONE nothing is evaluated; turning one on only adds checks.
        expect(before.allowed || !after.allowed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a deny-all statement in an applicable layer always decides, as an explicit deny of that layer or an earlier one', () => {
    fc.assert(
      fc.property(specArb, requestArb, fc.constantFrom('network', 'service'), (spec, http, where) => {
        const s: Spec = structuredClone(spec);
        s[where] = { authType: 'AWS_IAM', statements: [...(s[where].statements ?? []), DENY_ALL] };
        const d = authorizeLattice(build(s), buildRequestContext(http));
        expect(d.allowed).toBe(false);
        expect(d.denial).toBe('explicit');
        const order = ['Identity', 'Network', 'Service'];
        expect(order.indexOf(d.layer!)).toBeLessThanOrEqual(order.indexOf(where === 'network' ? 'Network' : 'Service'));
        expect(d.message).toMatch(/ with an explicit deny in an? (identity|network|service)-based policy$/);
      }),
      { numRuns: 300 },
    );
  });

  it('an allow means every applicable policy layer allowed, and none denied explicitly', () => {
    fc.assert(
      fc.property(specArb, requestArb, (spec, http) => {
        const d = authorizeLattice(build(spec), buildRequestContext(http));
        if (!d.allowed) return;
        for (const l of d.layers) expect(l.result.decision).not.toBe('ExplicitDeny');
        for (const layer of ['Network', 'Service'] as const) {
          const entries = d.layers.filter((l) => l.layer === layer);
          for (const e of entries) expect(e.result.decision).toBe('Allow');
        }
        const identity = d.layers.filter((l) => l.layer === 'Identity');
        if (identity.length > 0) expect(identity.some((l) => l.result.decision === 'Allow')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
