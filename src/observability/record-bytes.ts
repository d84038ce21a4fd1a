/**
 * The access-log line of a record (an object with exactly ACCESS_LOG_FIELDS, in that order, as
 * emptyRecord() makes them), encoded straight into the sink's batch buffer: the bytes of
 * `JSON.stringify(record)` in UTF-8, with no string built in between.
 *
 * Building the line as a string first (concatenation, then a UTF-8 copy into the batch) cost 13–17
 * µs of CPU per request in the proxy, against ~5 µs in isolation: dozens of short-lived strings per
 * record, flattened and copied once more. Field names are encoded once, here; a string value of
 * printable ASCII other than `"` and `\` (nearly every value: ARNs, ids, paths, addresses) is copied
 * byte by byte; any other string is quoted by `JSON.stringify`.
 *
 * The sink's encoder (createRecordEncoder) also remembers the record before: consecutive records
 * share most of their fields (the ARNs, the caller, the listener, the absent values), and a run of
 * fields equal to the last record's is copied from its bytes in one `copyWithin` (4.1 → 1.4 µs per
 * record for the benchmark's records).
 */
import { ACCESS_LOG_FIELDS, type AccessLogRecord } from './access-log-record.js';

/** The record did not fit in the space given: nothing past `at` is meaningful. */
export const NO_ROOM = -1;
/** A field holds something other than a string or a finite number: encode the record with JSON.stringify. */
export const NOT_SCALAR = -2;

function copyAscii(s: string, b: Buffer, at: number): number {
  for (let i = 0; i < s.length; i++) b[at++] = s.charCodeAt(i);
  return at;
}

/** `v` as a JSON string at `at`; the end offset, or NO_ROOM past `limit`. */
function writeString(v: string, b: Buffer, at: number, limit: number): number {
  const n = v.length;
  // The plain case needs exactly n + 2 bytes; a string that needs escaping is measured below.
  if (at + n + 2 <= limit) {
    b[at] = 0x22;
    let j = at + 1;
    let i = 0;
    for (; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) break;
      b[j++] = c;
    }
    if (i === n) {
      b[j] = 0x22;
      return j + 1;
    }
  }
  const json = JSON.stringify(v);
  const bytes = Buffer.byteLength(json);
  if (at + bytes > limit) return NO_ROOM;
  return at + b.write(json, at, bytes, 'utf8');
}

/** A finite number as JSON writes it (`String` gives the same digits, `-0` included). */
function writeNumber(v: number, b: Buffer, at: number, limit: number): number {
  const s = String(v);
  if (at + s.length > limit) return NO_ROOM;
  return copyAscii(s, b, at);
}

type Encoder = (r: AccessLogRecord, b: Buffer, at: number, limit: number) => number;

/**
 * What an incremental encoder remembers of the last record it encoded: where, each field's offset
 * there (and the end of the last field), and each field's value.
 */
interface LastRecord {
  buf: Buffer | null;
  end: number;
  starts: Int32Array;
  values: unknown[];
}

function compile(fields: readonly string[], incremental: boolean): (last: LastRecord) => Encoder {
  // One Uint8Array per field name: `{"startTime":`, `,"serviceNetworkArn":`, …
  const names = fields.map((f, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(f)}:`, 'utf8'));
  const n = fields.length;
  // Incremental: a run of fields whose values are those of the last record (=== : the same string
  // contents, the same number) is one copyWithin from that record's bytes, which lie before `at` in
  // the same buffer. Commits what it wrote to `last` only once the whole record is written.
  const endRun = (to: string) =>
    `if (runFrom >= 0) { const len = S[${to}] - runFrom; if (runTo + len > limit) return ${NO_ROOM}; b.copyWithin(runTo, runFrom, S[${to}]); at = runTo + len; runFrom = -1; }\n`;
  let body = 'let v;\n';
  if (incremental) body += 'const S = last.starts; const P = last.values; const same = last.buf === b && at >= last.end; let runFrom = -1; let runTo = 0;\n';
  fields.forEach((f, i) => {
    body += `v = r[${JSON.stringify(f)}];\n`;
    if (incremental) {
      body += `V[${i}] = v;\n`;
      body += `if (same && v === P[${i}]) { if (runFrom < 0) { runFrom = S[${i}]; runTo = at; } T[${i}] = runTo + S[${i}] - runFrom; } else {\n`;
      body += endRun(String(i));
      body += `T[${i}] = at;\n`;
    }
    body += `if (at + ${names[i]!.length} > limit) return ${NO_ROOM};\n`;
    body += `for (let k = 0; k < ${names[i]!.length}; k++) b[at + k] = N${i}[k];\n`;
    body += `at += ${names[i]!.length};\n`;
    body += 'if (typeof v === "string") at = writeString(v, b, at, limit);\n';
    body += 'else if (typeof v === "number" && Number.isFinite(v)) at = writeNumber(v, b, at, limit);\n';
    body += `else return ${NOT_SCALAR};\n`;
    body += `if (at < 0) return ${NO_ROOM};\n`;
    if (incremental) body += '}\n';
  });
  if (incremental) body += endRun(String(n)) + `T[${n}] = at;\n`;
  body += `if (at >= limit) return ${NO_ROOM};\nb[at] = 0x7d;\n`;
  if (incremental) body += 'last.buf = b; last.end = at + 1; last.starts = T; T = S; last.values = V; V = P;\n';
  body += 'return at + 1;';
  const params = names.map((_, i) => `N${i}`);
  // Generated once, from the record's own field list: static property reads, no per-field loop.
  const factory = new Function(
    'writeString',
    'writeNumber',
    ...params,
    `return function (last) {\nlet T = new Int32Array(${n + 1}); let V = new Array(${n});\nreturn function encodeRecord(r, b, at, limit) {\n${body}\n};\n};`,
  )(writeString, writeNumber, ...names) as (last: LastRecord) => Encoder;
  return factory;
}

const emptyLast = (n: number): LastRecord => ({ buf: null, end: 0, starts: new Int32Array(n + 1), values: new Array<unknown>(n) });

/**
 * Encodes `record` into `b` from `at`, using no byte at or past `limit`. Returns the end offset,
 * NO_ROOM when it does not fit, or NOT_SCALAR.
 */
export const encodeRecord: Encoder = compile(ACCESS_LOG_FIELDS, false)(emptyLast(ACCESS_LOG_FIELDS.length));

/**
 * An encoder like encodeRecord that copies, rather than encodes again, the fields a record shares
 * with the last one it encoded (most of them: the ARNs, the caller, the listener, the absent
 * values), from that record's bytes. For a sink that appends records to a buffer and does not
 * change what it wrote: the last record's bytes are used only while `b` is the same buffer and
 * `at` is past them.
 */
export function createRecordEncoder(): Encoder {
  return compile(ACCESS_LOG_FIELDS, true)(emptyLast(ACCESS_LOG_FIELDS.length));
}
