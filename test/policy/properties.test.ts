/**
 * Properties of the policy core (fast-check). Counterexamples found here are kept as JSON case files
 * in test/policy/cases/ (see cases.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluatePolicy, parsePolicy, PolicyValidationError, prepareRequest, validatePolicy } from '../../src/policy/index.js';
import { evaluationRequest, policyDoc, statement } from './arbitraries.js';

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
  it('validation throws only PolicyValidationError, and validatePolicy never throws', () => {
    const input = fc.oneof(fc.jsonValue(), fc.string(), damaged, policyDoc('identity'));
    fc.assert(
      fc.property(input, fc.constantFrom('identity', 'resource') as fc.Arbitrary<'identity' | 'resource'>, (doc, kind) => {
        expect(() => validatePolicy(doc, { kind })).not.toThrow();
        try {
          parsePolicy(doc as object, { kind });
        } catch (e) {
          expect(e).toBeInstanceOf(PolicyValidationError);
          expect((e as PolicyValidationError).issues.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
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
});
