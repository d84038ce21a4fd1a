import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS, emptyRecord, type AccessLogRecord } from '../../src/observability/index.js';
import { recordJson } from '../../src/observability/record-json.js';

/** Any string: ASCII, quotes, backslashes, controls, non-ASCII, lone surrogates. */
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('-', '"', '\\', '\u2028', '\ud800', 'a\u0000b', 'é€😀', 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123'));
const value = fc.oneof(text, fc.integer(), fc.double(), fc.constant(0));

describe('recordJson', () => {
  it('is exactly JSON.stringify of any record, or declines', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: ACCESS_LOG_FIELDS.length, maxLength: ACCESS_LOG_FIELDS.length }), (values) => {
        const r = emptyRecord() as unknown as Record<string, unknown>;
        ACCESS_LOG_FIELDS.forEach((f, i) => (r[f] = values[i]));
        const line = recordJson(r as unknown as AccessLogRecord);
        const finite = values.every((v) => typeof v === 'string' || Number.isFinite(v));
        if (finite) expect(line).toBe(JSON.stringify(r));
        else expect(line).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('declines a record with a missing or non-scalar field (JSON.stringify then writes it)', () => {
    const r = emptyRecord() as unknown as Record<string, unknown>;
    r.requestPath = undefined;
    expect(recordJson(r as unknown as AccessLogRecord)).toBeUndefined();
    r.requestPath = { nested: true };
    expect(recordJson(r as unknown as AccessLogRecord)).toBeUndefined();
    expect(recordJson(emptyRecord())).toBe(JSON.stringify(emptyRecord()));
  });
});
