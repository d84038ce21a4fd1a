import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS, emptyRecord, type AccessLogRecord } from '../../src/observability/index.js';
import { createRecordEncoder, encodeRecord, NO_ROOM, NOT_SCALAR } from '../../src/observability/record-bytes.js';

/** Any string: ASCII, quotes, backslashes, controls, non-ASCII, lone surrogates. */
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('-', '"', '\\', '\u2028', '\ud800', 'a\u0000b', 'é€😀', '\x7f', 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123'));
const value = fc.oneof(text, fc.integer(), fc.double(), fc.constant(0), fc.constant(-0));
const SENTINEL = 0xa5;

function recordOf(values: unknown[]): AccessLogRecord {
  const r = emptyRecord() as unknown as Record<string, unknown>;
  ACCESS_LOG_FIELDS.forEach((f, i) => (r[f] = values[i]));
  return r as unknown as AccessLogRecord;
}

describe('encodeRecord', () => {
  it("writes exactly JSON.stringify's UTF-8 bytes for any record of strings and finite numbers, or declines", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: ACCESS_LOG_FIELDS.length, maxLength: ACCESS_LOG_FIELDS.length }), fc.nat(64), (values, at) => {
        const r = recordOf(values);
        const b = Buffer.alloc(at + 200_000, SENTINEL);
        const end = encodeRecord(r, b, at, b.length);
        if (!values.every((v) => typeof v === 'string' || Number.isFinite(v))) {
          expect(end).toBe(NOT_SCALAR);
          return;
        }
        const expected = Buffer.from(JSON.stringify(r), 'utf8');
        expect(end).toBe(at + expected.length);
        expect(b.subarray(at, end).equals(expected)).toBe(true);
        // Nothing before `at` is touched.
        expect(b.subarray(0, at).every((x) => x === SENTINEL)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never writes at or past its limit, and says when the record does not fit', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: ACCESS_LOG_FIELDS.length, maxLength: ACCESS_LOG_FIELDS.length }), fc.double({ min: 0, max: 1.2, noNaN: true }), (values, share) => {
        const r = recordOf(values);
        const size = Buffer.byteLength(JSON.stringify(r));
        const limit = Math.floor(size * share);
        const b = Buffer.alloc(limit + 64, SENTINEL);
        const end = encodeRecord(r, b, 0, limit);
        expect(b.subarray(limit).every((x) => x === SENTINEL)).toBe(true);
        expect(end).toBe(limit >= size ? size : NO_ROOM);
      }),
      { numRuns: 1000 },
    );
  });

  it('declines a record with a missing or non-scalar field (JSON.stringify then writes it)', () => {
    const b = Buffer.alloc(8192);
    const r = emptyRecord() as unknown as Record<string, unknown>;
    r.requestPath = undefined;
    expect(encodeRecord(r as unknown as AccessLogRecord, b, 0, b.length)).toBe(NOT_SCALAR);
    r.requestPath = { nested: true };
    expect(encodeRecord(r as unknown as AccessLogRecord, b, 0, b.length)).toBe(NOT_SCALAR);
    r.requestPath = Number.POSITIVE_INFINITY;
    expect(encodeRecord(r as unknown as AccessLogRecord, b, 0, b.length)).toBe(NOT_SCALAR);
    const end = encodeRecord(emptyRecord(), b, 0, b.length);
    expect(b.toString('utf8', 0, end)).toBe(JSON.stringify(emptyRecord()));
  });
});

describe('createRecordEncoder (fields shared with the last record copied from its bytes)', () => {
  // Few distinct values, so that consecutive records share many fields, in runs of every length.
  const pooled = fc.oneof(fc.constantFrom('-', 'GET', 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123', 'é€😀', '"q"', 200, 0, -0, 1.5), value);
  const step = fc.record({
    values: fc.array(pooled, { minLength: ACCESS_LOG_FIELDS.length, maxLength: ACCESS_LOG_FIELDS.length }),
    // What the sink does between records: go on, switch to a new buffer, or leave a gap.
    next: fc.constantFrom('append', 'append', 'append', 'new-buffer', 'gap'),
    // Sometimes a limit too small for the record.
    tight: fc.boolean(),
  });

  it("writes exactly JSON.stringify's bytes for every record of a sequence, whatever the last one was", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const encode = createRecordEncoder();
        let b = Buffer.alloc(200_000, SENTINEL);
        let at = 0;
        for (const { values, next, tight } of steps) {
          if (next === 'new-buffer') {
            b = Buffer.alloc(200_000, SENTINEL);
            at = 0;
          } else if (next === 'gap') at += 3;
          const r = recordOf(values);
          const scalar = values.every((v) => typeof v === 'string' || Number.isFinite(v));
          const expected = scalar ? Buffer.from(JSON.stringify(r), 'utf8') : undefined;
          const limit = tight && expected !== undefined ? at + Math.floor(expected.length / 2) : b.length;
          const past = Buffer.from(b.subarray(limit, limit + 4096));
          const end = encode(r, b, at, limit);
          if (expected === undefined) {
            expect(end).toBe(NOT_SCALAR);
            continue;
          }
          if (tight) {
            expect(end).toBe(NO_ROOM);
            // Nothing at or past the limit is touched; the next record goes where this one failed.
            expect(b.subarray(limit, limit + 4096).equals(past)).toBe(true);
            continue;
          }
          expect(end).toBe(at + expected.length);
          expect(b.subarray(at, end).equals(expected)).toBe(true);
          b[end] = 0x0a;
          at = end + 1;
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('encodes in full, not from stale bytes, when asked to write over the last record', () => {
    const encode = createRecordEncoder();
    const b = Buffer.alloc(8192);
    const a = recordOf(ACCESS_LOG_FIELDS.map((_, i) => `value-${i}`));
    const end = encode(a, b, 0, b.length);
    b.fill(0x20, 0, end);
    const again = encode(a, b, 0, b.length);
    expect(b.toString('utf8', 0, again)).toBe(JSON.stringify(a));
  });
});
