/** x-amzn-requestid: the client's, truncated to the limit, or a fresh UUID. */
import { randomUUID } from 'node:crypto';

/** Truncates to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (value.length * 3 <= maxBytes) return value;
  const buf = Buffer.from(value, 'utf8');
  if (buf.length <= maxBytes) return value;
  let end = maxBytes;
  // Back off continuation bytes so the cut falls on a character boundary.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

export function requestIdFor(incoming: string | string[] | undefined, maxBytes: number): string {
  const v = typeof incoming === 'string' ? incoming : incoming?.[0];
  if (v === undefined || v === '') return randomUUID();
  return truncateUtf8(v, maxBytes);
}
