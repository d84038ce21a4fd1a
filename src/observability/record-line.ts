/**
 * One access-log record as one JSON line, byte-identical to `JSON.stringify(record) + '\n'` but
 * about 2-3x cheaper: the 41 keys are pre-quoted once, and most values (ARNs, ids, `-`) need no
 * escaping, so each is emitted with a single regex test instead of the generic serializer's walk.
 */
import { ABSENT, ACCESS_LOG_FIELDS, type AccessLogRecord } from './access-log-record.js';

/** Characters JSON.stringify escapes: quote, backslash, controls, and lone surrogates (checked below). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

const PREFIXES = ACCESS_LOG_FIELDS.map((k, i) => (i === 0 ? '{' : ',') + JSON.stringify(k) + ':');
/** Most fields of most records are absent: their whole `,"key":"-"` is one constant. */
const ABSENT_PARTS = PREFIXES.map((p) => p + '"' + ABSENT + '"');

function value(v: unknown): string | undefined {
  if (typeof v === 'string') return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : '"' + v + '"';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return JSON.stringify(v); // undefined (field omitted), booleans, objects: whatever JSON.stringify says
}

export function recordLine(record: AccessLogRecord): string {
  // Records come from emptyRecord(), so their keys are ACCESS_LOG_FIELDS in this order (the type admits no others).
  let out = '';
  let first = true;
  const r = record as unknown as Record<string, unknown>;
  for (let i = 0; i < ACCESS_LOG_FIELDS.length; i++) {
    const raw = r[ACCESS_LOG_FIELDS[i]!];
    if (raw === ABSENT && !first) {
      out += ABSENT_PARTS[i]!;
      continue;
    }
    const v = value(raw);
    if (v === undefined) continue;
    const prefix = PREFIXES[i]!;
    out += first ? '{' + prefix.slice(1) : prefix;
    out += v;
    first = false;
  }
  return first ? '{}\n' : out + '}\n';
}
