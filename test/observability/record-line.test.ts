import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS, emptyRecord, type AccessLogRecord } from '../../src/observability/index.js';
import { recordLine } from '../../src/observability/record-line.js';

describe('recordLine', () => {
  it('is JSON.stringify(record) + newline for an empty record', () => {
    const r = emptyRecord();
    expect(recordLine(r)).toBe(JSON.stringify(r) + '\n');
  });

  it('matches JSON.stringify byte for byte on arbitrary field values', () => {
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u2028', '\ud800', '\udc00x', '😀', 'a"b\\c\n'),
      fc.integer(),
      fc.double(),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...ACCESS_LOG_FIELDS), value), { maxLength: 20 }), (sets) => {
        const r = emptyRecord() as unknown as Record<string, unknown>;
        for (const [k, v] of sets) r[k] = v;
        const line = recordLine(r as unknown as AccessLogRecord);
        expect(line).toBe(JSON.stringify(r) + '\n');
      }),
      { numRuns: 2000 },
    );
  });
});
