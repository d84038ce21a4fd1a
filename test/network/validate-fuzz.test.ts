import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/network/index.js';
import { validConfig } from './helpers.js';

/** Every [parent, key] pair inside a value, to mutate one at a time. */
function slots(v: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (v !== null && typeof v === 'object')
    for (const k of Object.keys(v)) {
      out.push([v as Record<string, unknown>, k]);
      slots((v as Record<string, unknown>)[k], out);
    }
  return out;
}

describe('validateConfig is total', () => {
  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(Array.isArray(validateConfig(v))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('never throws when any field of a valid file is replaced by anything, and reports a path for each issue', () => {
    const count = slots(validConfig()).length;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: count - 1 }), fc.anything(), (i, value) => {
        const c = validConfig();
        const [parent, key] = slots(c)[i]!;
        parent[key] = value;
        for (const issue of validateConfig(c)) expect(issue.path).toMatch(/^\$/);
      }),
      { numRuns: 200 },
    );
  });
});
