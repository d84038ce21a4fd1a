/**
 * Lattice layering, as AWS documents it in the VPC Lattice user guide, "Control access to VPC Lattice
 * services using auth policies" → "How authorization works":
 *  - identity-based policies must allow ("If there is no explicit allow statement, AWS does not authorize");
 *  - then the service network's auth policy when its auth type is AWS_IAM ("If an auth policy is
 *    enabled, but there is no explicit allow statement, AWS does not authorize the request. If there is
 *    an explicit allow statement, or the auth type is NONE, the code continues");
 *  - then the service's auth policy, likewise;
 *  - "An explicit deny in any policy overrides any allows."
 * Messages: AWS's AccessDeniedException text as returned by Lattice (e.g. "User: anonymous is not
 * authorized to perform: vpc-lattice-svcs:Invoke on resource: arn:…/ because no network-based policy
 * allows the vpc-lattice-svcs:Invoke action").
 */
import { describe, expect, it } from 'vitest';
import {
  authorizeLattice,
  buildRequestContext,
  compilePolicy,
  latticeDenyMessage,
  type AuthType,
  type CompiledPolicy,
  type Layer,
  type LatticeAuthorization,
} from '../../src/policy/index.js';

const SERVICE = 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0';
const CALLER = 'arn:aws:sts::123456789012:assumed-role/order-service-role/s1';

function resource(sid: string, effect: 'Allow' | 'Deny', condition?: object): CompiledPolicy {
  const st: Record<string, unknown> = { Sid: sid, Effect: effect, Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' };
  if (condition !== undefined) st.Condition = condition;
  return compilePolicy({ Version: '2012-10-17', Statement: [st] }, { kind: 'resource' });
}
function identity(sid: string, effect: 'Allow' | 'Deny', condition?: object): CompiledPolicy {
  const st: Record<string, unknown> = { Sid: sid, Effect: effect, Action: 'vpc-lattice-svcs:Invoke', Resource: '*' };
  if (condition !== undefined) st.Condition = condition;
  return compilePolicy({ Version: '2012-10-17', Statement: [st] });
}
/** A condition no request here satisfies: the policy then denies implicitly. */
const NEVER = { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'TRACE' } };

type Verdict = 'allow' | 'implicit' | 'explicit';
const verdicts: Verdict[] = ['allow', 'implicit', 'explicit'];

function resourcePolicy(layer: string, v: Verdict): CompiledPolicy {
  // A policy that allows and, for "explicit", also denies: the deny must win over its own allow.
  if (v === 'allow') return resource(`${layer}Allow`, 'Allow');
  if (v === 'implicit') return resource(`${layer}Never`, 'Allow', NEVER);
  return compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: `${layer}Allow`, Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Sid: `${layer}Deny`, Effect: 'Deny', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' },
      ],
    },
    { kind: 'resource' },
  );
}

function identityPolicies(v: Verdict | 'none' | 'absent'): CompiledPolicy[] | undefined {
  if (v === 'absent') return undefined;
  if (v === 'none') return [];
  if (v === 'allow') return [identity('IdAllow', 'Allow')];
  if (v === 'implicit') return [identity('IdNever', 'Allow', NEVER)];
  return [identity('IdAllow', 'Allow'), identity('IdDeny', 'Deny')];
}

interface LayerCase {
  authType: AuthType;
  policy: Verdict | 'absent';
}
const layerCases: LayerCase[] = [];
for (const authType of ['NONE', 'AWS_IAM'] as const) {
  layerCases.push({ authType, policy: 'absent' });
  for (const v of verdicts) layerCases.push({ authType, policy: v });
}
const label = (c: LayerCase) => `${c.authType}/${c.policy}`;

/**
 * The documented rules, written as the guide states them, step by step, to check every combination
 * (the explicit rows below pin the important ones with their exact messages).
 */
function documented(id: Verdict | 'none' | 'absent', anonymous: boolean, net: LayerCase, svc: LayerCase): { allowed: boolean; layer?: Layer; explicit?: boolean } {
  const netOn = net.authType === 'AWS_IAM';
  const svcOn = svc.authType === 'AWS_IAM';
  if (!netOn && !svcOn) return { allowed: true };
  const idOn = !anonymous;
  if (idOn && id === 'explicit') return { allowed: false, layer: 'Identity', explicit: true };
  if (netOn && net.policy === 'explicit') return { allowed: false, layer: 'Network', explicit: true };
  if (svcOn && svc.policy === 'explicit') return { allowed: false, layer: 'Service', explicit: true };
  if (idOn && id !== 'allow') return { allowed: false, layer: 'Identity', explicit: false };
  if (netOn && net.policy !== 'allow') return { allowed: false, layer: 'Network', explicit: false };
  if (svcOn && svc.policy !== 'allow') return { allowed: false, layer: 'Service', explicit: false };
  return { allowed: true, layer: svcOn ? 'Service' : 'Network' };
}

function config(id: Verdict | 'none' | 'absent', net: LayerCase, svc: LayerCase): LatticeAuthorization {
  const a: LatticeAuthorization = { network: { authType: net.authType }, service: { authType: svc.authType } };
  const ids = identityPolicies(id);
  if (ids !== undefined) a.identityPolicies = ids;
  if (net.policy !== 'absent') a.network!.policy = resourcePolicy('Net', net.policy);
  if (svc.policy !== 'absent') a.service!.policy = resourcePolicy('Svc', svc.policy);
  return a;
}

describe('authorizeLattice: authType × policy present/absent × allow/implicit/explicit deny, per layer', () => {
  const idCases = ['absent', 'none', ...verdicts] as const;
  for (const anonymous of [false, true]) {
    for (const id of idCases) {
      if (anonymous && id !== 'absent') continue; // anonymous callers have no identity policies
      for (const net of layerCases) {
        for (const svc of layerCases) {
          const name = `${anonymous ? 'anonymous' : `identity ${id}`}, network ${label(net)}, service ${label(svc)}`;
          it(name, () => {
            const req = buildRequestContext({ principal: anonymous ? 'anonymous' : CALLER, method: 'GET', path: '/x', serviceArn: SERVICE });
            const got = authorizeLattice(config(id, net, svc), req);
            const want = documented(id, anonymous, net, svc);
            expect(got.allowed).toBe(want.allowed);
            expect(got.layer).toBe(want.layer);
            if (want.allowed) {
              expect(got.message).toBeUndefined();
              return;
            }
            expect(got.denial).toBe(want.explicit ? 'explicit' : 'implicit');
            expect(got.message).toBe(
              latticeDenyMessage(anonymous ? 'anonymous' : CALLER, 'vpc-lattice-svcs:Invoke', `${SERVICE}/x`, want.layer!, want.explicit!),
            );
            // An explicit deny names the Deny statement that decided.
            if (want.explicit) expect(got.statement?.sid).toMatch(/Deny$/);
          });
        }
      }
    }
  }
});

describe('authorizeLattice: pinned rows', () => {
  const anon = buildRequestContext({ principal: 'anonymous', method: 'GET', path: '/', serviceArn: SERVICE });
  const caller = buildRequestContext({ principal: CALLER, method: 'GET', path: '/api/stock', serviceArn: SERVICE });

  it('both layers NONE: allowed without evaluating anything, even with deny-all policies attached', () => {
    const d = authorizeLattice(
      { network: { authType: 'NONE', policy: resourcePolicy('Net', 'explicit') }, service: { authType: 'NONE', policy: resourcePolicy('Svc', 'explicit') } },
      anon,
    );
    expect(d).toMatchObject({ allowed: true, layers: [] });
    expect(d.layer).toBeUndefined();
  });

  it('AWS_IAM network without a policy denies an anonymous caller with the network-based message', () => {
    const d = authorizeLattice({ network: { authType: 'AWS_IAM' }, service: { authType: 'NONE' } }, anon);
    expect(d.allowed).toBe(false);
    expect(d.layer).toBe('Network');
    expect(d.message).toBe(
      'User: anonymous is not authorized to perform: vpc-lattice-svcs:Invoke on resource: ' +
        'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0/ because no network-based policy allows the vpc-lattice-svcs:Invoke action',
    );
  });

  it('an authenticated caller without identity policies is denied by the Identity layer', () => {
    const d = authorizeLattice({ service: { authType: 'AWS_IAM', policy: resourcePolicy('Svc', 'allow') } }, caller);
    expect(d.layer).toBe('Identity');
    expect(d.message).toBe(
      `User: ${CALLER} is not authorized to perform: vpc-lattice-svcs:Invoke on resource: ${SERVICE}/api/stock because no identity-based policy allows the vpc-lattice-svcs:Invoke action`,
    );
  });

  it('skipIdentity evaluates the auth policies alone', () => {
    const d = authorizeLattice({ skipIdentity: true, service: { authType: 'AWS_IAM', policy: resourcePolicy('Svc', 'allow') } }, caller);
    expect(d).toMatchObject({ allowed: true, layer: 'Service', statement: { index: 0, sid: 'SvcAllow' } });
  });

  it('explicit deny in the service policy outranks an implicit deny at the network (explicit deny anywhere wins)', () => {
    const d = authorizeLattice(
      {
        identityPolicies: [identity('IdAllow', 'Allow')],
        network: { authType: 'AWS_IAM', policy: resourcePolicy('Net', 'implicit') },
        service: { authType: 'AWS_IAM', policy: resourcePolicy('Svc', 'explicit') },
      },
      caller,
    );
    expect(d).toMatchObject({ allowed: false, layer: 'Service', denial: 'explicit', statement: { index: 1, sid: 'SvcDeny' } });
    expect(d.message).toBe(
      `User: ${CALLER} is not authorized to perform: vpc-lattice-svcs:Invoke on resource: ${SERVICE}/api/stock with an explicit deny in a service-based policy`,
    );
  });

  it('explicit deny in an identity policy uses AWS\'s "an identity-based policy" wording', () => {
    const d = authorizeLattice(
      { identityPolicies: [identity('IdDeny', 'Deny')], service: { authType: 'AWS_IAM', policy: resourcePolicy('Svc', 'allow') } },
      caller,
    );
    expect(d.message).toMatch(/ with an explicit deny in an identity-based policy$/);
  });

  it('one allowing identity policy among several is enough; results list every policy evaluated, in order', () => {
    const d = authorizeLattice(
      {
        identityPolicies: [identity('IdNever', 'Allow', NEVER), identity('IdAllow', 'Allow')],
        network: { authType: 'AWS_IAM', policy: resourcePolicy('Net', 'allow') },
        service: { authType: 'NONE' },
      },
      caller,
    );
    expect(d).toMatchObject({ allowed: true, layer: 'Network', statement: { sid: 'NetAllow' } });
    expect(d.layers.map((l) => [l.layer, l.result.decision, l.policyIndex])).toEqual([
      ['Identity', 'ImplicitDeny', 0],
      ['Identity', 'Allow', 1],
      ['Network', 'Allow', undefined],
    ]);
  });

  it('explain: a denying layer says which condition failed', () => {
    const d = authorizeLattice(
      { skipIdentity: true, service: { authType: 'AWS_IAM', policy: resourcePolicy('Svc', 'implicit') } },
      caller,
      { explain: true },
    );
    expect(d.layers[0]!.result.trace).toEqual([
      { index: 0, sid: 'SvcNever', effect: 'Allow', mismatch: { element: 'Condition', operator: 'StringEquals', key: 'vpc-lattice-svcs:RequestMethod' } },
    ]);
  });
});
