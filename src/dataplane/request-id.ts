/**
 * x-amzn-requestid: the client's, truncated to the limit, or a fresh UUID. Node hands header values
 * over as latin1 strings (one character per byte on the wire), so the limit counts characters, and a
 * cut backs off UTF-8 continuation bytes so that it never splits a character.
 */
import { randomUUID } from 'node:crypto';

export function truncateHeaderBytes(value: string, maxBytes: number): string {
  if (value.length <= maxBytes) return value;
  let end = maxBytes;
  // A UTF-8 continuation byte (10xxxxxx) at the cut means a character straddles it.
  while (end > 0 && (value.charCodeAt(end) & 0xc0) === 0x80) end--;
  return value.slice(0, end);
}

export function requestIdFor(incoming: string | string[] | undefined, maxBytes: number): string {
  const v = typeof incoming === 'string' ? incoming : incoming?.[0];
  if (v === undefined || v === '') return randomUUID();
  const id = truncateHeaderBytes(v, maxBytes);
  // A value that backs off to nothing (only continuation bytes up to the cut) is no id at all.
  return id === '' ? randomUUID() : id;
}
