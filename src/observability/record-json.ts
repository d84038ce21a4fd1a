/**
 * The access-log line of a record (an object with exactly ACCESS_LOG_FIELDS, in that order, as
 * emptyRecord() makes them): exactly `JSON.stringify(record)`, from a function compiled once from the
 * field list. Field names are quoted at compile time, numbers are printed, and a string
 * of printable ASCII without `"` or `\` (nearly every value: ARNs, ids, paths, addresses) is quoted
 * as is; any other string goes through `JSON.stringify`. Anything but a string or a finite number
 * makes it return undefined, and the caller falls back to `JSON.stringify` of the whole record.
 */
import { ACCESS_LOG_FIELDS, type AccessLogRecord } from './access-log-record.js';

/** A character that JSON.stringify would escape, or one this file does not vouch for. */
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

function compile(fields: readonly string[]): (r: AccessLogRecord) => string | undefined {
  let body = "let v; let out = '{';\n";
  fields.forEach((f, i) => {
    const key = JSON.stringify(JSON.stringify(f) + ':');
    body += `out += ${i === 0 ? key : `',' + ${key}`};\n`;
    body += `v = r[${JSON.stringify(f)}];\n`;
    body += "if (typeof v === 'string') out += NOT_PLAIN.test(v) ? JSON.stringify(v) : '\"' + v + '\"';\n";
    body += "else if (typeof v === 'number' && Number.isFinite(v)) out += v;\nelse return undefined;\n";
  });
  body += "return out + '}';";
  // Generated once, from the record's own field list: static property reads, no per-field loop.
  return new Function('NOT_PLAIN', `return function recordJson(r) {\n${body}\n};`)(NOT_PLAIN) as (r: AccessLogRecord) => string | undefined;
}

export const recordJson = compile(ACCESS_LOG_FIELDS);
