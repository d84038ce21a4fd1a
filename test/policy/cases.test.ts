/**
 * Policy cases as data (test/policy/cases/*.json): a policy, and either requests with their expected
 * decision (and optionally determining statement indexes and first-statement mismatch), or the
 * expected validation errors. Unknown keys are rejected so that a typo cannot silently weaken a case.
 * Counterexamples found by properties.test.ts are added here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluatePolicy, validatePolicy, type EvaluationRequest, type PolicyIssue } from '../../src/policy/index.js';

interface CaseRequest {
  name: string;
  request: EvaluationRequest;
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  determining?: number[];
  mismatch?: object;
}
interface CaseFile {
  description: string;
  source: string;
  kind: 'identity' | 'resource';
  policy: unknown;
  requests?: CaseRequest[];
  errors?: PolicyIssue[];
}

const FILE_KEYS = new Set(['description', 'source', 'kind', 'policy', 'requests', 'errors']);
const REQUEST_KEYS = new Set(['name', 'request', 'decision', 'determining', 'mismatch']);

function checkKeys(o: object, allowed: Set<string>, where: string): void {
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw new Error(`${where}: unknown key "${k}"`);
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('policy case files', () => {
  it('there are case files', () => expect(files.length).toBeGreaterThan(0));

  for (const file of files) {
    const c = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CaseFile;
    describe(`${file}: ${c.description}`, () => {
      it('is well-formed', () => {
        checkKeys(c, FILE_KEYS, file);
        expect(typeof c.source).toBe('string');
        expect((c.requests === undefined) !== (c.errors === undefined)).toBe(true);
        for (const r of c.requests ?? []) checkKeys(r, REQUEST_KEYS, `${file} ${r.name}`);
      });

      if (c.errors !== undefined) {
        it('gives the expected validation errors', () => {
          expect(validatePolicy(c.policy, { kind: c.kind }).errors).toEqual(c.errors);
        });
      }

      for (const r of c.requests ?? []) {
        it(r.name, () => {
          const compiled = compilePolicy(c.policy as object, { kind: c.kind });
          const result = evaluatePolicy(compiled, r.request, { explain: true });
          expect(result.decision).toBe(r.decision);
          if (r.determining !== undefined) expect(result.determining.map((s) => s.index)).toEqual(r.determining);
          if (r.mismatch !== undefined) expect(result.trace?.[0]?.mismatch).toEqual(r.mismatch);
        });
      }
    });
  }
});
