/**
 * Properties of the policy core (fast-check). Counterexamples found here are kept as JSON case files
 * in test/policy/cases/ (see cases.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluatePolicy, parsePolicy, PolicyValidationError, prepareRequest, validatePolicy } from '../../src/policy/index.js';
import { BlockList } from 'node:net';
import { cidrContains, parseCidr, parseIp, type Cidr } from '../../src/policy/cidr.js';
import { compileWild, plainPattern } from '../../src/policy/wildcard.js';
import { evaluationRequest, policyDoc, statement } from './arbitraries.js';
import { referenceDecision } from './reference-evaluator.js';

const RUNS = { numRuns: 400 };

/** Valid documents with random damage: a key dropped, renamed, or a value replaced with arbitrary JSON. */
const damaged = fc
  .tuple(policyDoc('resource'), fc.nat(), fc.constantFrom('drop', 'rename', 'replace'), fc.jsonValue())
  .map(([doc, n, how, junk]) => {
    const s = JSON.parse(JSON.stringify(doc)) as { Statement: Record<string, unknown>[] };
    const st = s.Statement[n % s.Statement.length]!;
    const keys = Object.keys(st);
    const k = keys[n % keys.length]!;
    if (how === 'drop') delete st[k];
    else if (how === 'rename') {
      st[k.toLowerCase()] = st[k];
      delete st[k];
    } else st[k] = junk;
    return s;
  });

describe('policy properties', () => {
  it('validation throws only PolicyValidationError, validatePolicy never throws, and what compiles evaluates', () => {
    const input = fc.oneof(fc.jsonValue(), fc.string(), damaged, policyDoc('identity'));
    const kinds = fc.constantFrom('identity', 'resource') as fc.Arbitrary<'identity' | 'resource'>;
    fc.assert(
      fc.property(input, kinds, evaluationRequest, (doc, kind, req) => {
        expect(() => validatePolicy(doc, { kind })).not.toThrow();
        for (const parse of [parsePolicy, compilePolicy]) {
          try {
            parse(doc as object, { kind });
          } catch (e) {
            expect(e).toBeInstanceOf(PolicyValidationError);
            expect((e as PolicyValidationError).issues.length).toBeGreaterThan(0);
            return;
          }
        }
        const c = compilePolicy(doc as object, { kind });
        expect(['Allow', 'ExplicitDeny', 'ImplicitDeny']).toContain(evaluatePolicy(c, req, { explain: true }).decision);
      }),
      { numRuns: 1000 },
    );
  });

  it('validatePolicy and parsePolicy agree: no errors exactly when parsePolicy succeeds', () => {
    fc.assert(
      fc.property(fc.oneof(damaged, policyDoc('resource')), (doc) => {
        const ok = validatePolicy(doc, { kind: 'resource' }).errors.length === 0;
        let parsed = true;
        try {
          parsePolicy(doc, { kind: 'resource' });
        } catch {
          parsed = false;
        }
        expect(parsed).toBe(ok);
      }),
      RUNS,
    );
  });

  it('evaluation is total and deterministic; prepared, raw and explained evaluation agree', () => {
    fc.assert(
      fc.property(policyDoc('resource'), evaluationRequest, (doc, req) => {
        const c = compilePolicy(doc, { kind: 'resource' });
        const a = evaluatePolicy(c, req);
        expect(['Allow', 'ExplicitDeny', 'ImplicitDeny']).toContain(a.decision);
        expect(evaluatePolicy(c, req)).toEqual(a);
        expect(evaluatePolicy(c, prepareRequest(req))).toEqual(a);
        expect(evaluatePolicy(compilePolicy(doc, { kind: 'resource' }), req)).toEqual(a);
        const x = evaluatePolicy(c, req, { explain: true });
        expect({ decision: x.decision, determining: x.determining }).toEqual({ decision: a.decision, determining: a.determining });
        // Every statement without a mismatch is determining when it has the deciding effect.
        const applied = x.trace!.filter((t) => t.mismatch === undefined);
        if (a.decision === 'ImplicitDeny') expect(applied).toEqual([]);
      }),
      RUNS,
    );
  });

  it('adding an explicit Deny statement never turns a Deny into an Allow', () => {
    fc.assert(
      fc.property(policyDoc('resource'), statement('resource', 'Deny'), evaluationRequest, (doc, deny, req) => {
        const before = evaluatePolicy(compilePolicy(doc, { kind: 'resource' }), req).decision;
        const after = evaluatePolicy(compilePolicy({ ...doc, Statement: [...doc.Statement, deny] }, { kind: 'resource' }), req).decision;
        if (before !== 'Allow') expect(after).not.toBe('Allow');
        if (after === 'Allow') expect(before).toBe('Allow');
      }),
      RUNS,
    );
  });

  it('differential: wildcard matching agrees with a regular-expression oracle', () => {
    const toRegex = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    const text = (chars: string) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 12 });
    // Half the strings are derived from the pattern (each * and ? filled in), so matches are common.
    const fill = fc.array(fc.constantFrom('', 'a', 'b', 'ab/', '*'), { minLength: 16, maxLength: 16 });
    const derived = (p: string, f: string[]) => [...p].map((c, i) => (c === '*' ? f[i]! : c === '?' ? (f[i] || 'b')[0]! : c)).join('');
    fc.assert(
      fc.property(text('ab*?/'), text('ab/'), fill, fc.boolean(), (p, random, f, useDerived) => {
        const str = useDerived ? derived(p, f) : random;
        expect(compileWild(plainPattern(p))(str)).toBe(toRegex(p).test(str));
      }),
      { numRuns: 3000 },
    );
  });

  it('differential: CIDR matching agrees with node:net BlockList', () => {
    const v4 = fc.ipV4();
    const v6 = fc.ipV6();
    const block = fc.oneof(
      fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, n]) => ({ a, n, family: 'ipv4' as const })),
      fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, n]) => ({ a, n, family: 'ipv6' as const })),
    );
    fc.assert(
      fc.property(block, fc.oneof(v4, v6), ({ a, n, family }, ip) => {
        const c = parseCidr(`${a}/${n}`) as Cidr;
        const ours = cidrContains(c, parseIp(ip)!);
        const list = new BlockList();
        list.addSubnet(a, n, family);
        const ipFamily = ip.includes(':') ? 'ipv6' : 'ipv4';
        // BlockList does not match IPv4 addresses against IPv6 rules or the reverse, except ::ffff:0:0/96.
        if ((family === 'ipv4') === (ipFamily === 'ipv4')) expect(ours).toBe(list.check(ip, ipFamily));
      }),
      { numRuns: 2000 },
    );
  });

  it('differential: the compiled evaluator agrees with the naive reference evaluator', () => {
    const kind = fc.constantFrom('identity', 'resource') as fc.Arbitrary<'identity' | 'resource'>;
    fc.assert(
      fc.property(
        kind.chain((k) => fc.tuple(fc.constant(k), policyDoc(k))),
        evaluationRequest,
        ([k, doc], req) => {
          expect(evaluatePolicy(compilePolicy(doc, { kind: k }), req).decision).toBe(referenceDecision(doc, req, k));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
