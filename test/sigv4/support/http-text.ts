/** Parses the plain-text HTTP requests of the AWS signing suites into what a Node server would see. */
import { createHash } from 'node:crypto';
import type { SignedRequest } from '../../../src/sigv4/index.js';

export interface HttpText {
  method: string;
  /** The target as it would travel: spaces and non-ASCII percent-encoded, everything else untouched. */
  url: string;
  /** Lower-case names, values in order, as `req.headersDistinct` gives them. */
  headers: Record<string, string[]>;
  body: string;
}

/** Percent-encodes what cannot appear raw in a request line (the suites write `/example space/`, `/ሴ`). */
export function toWire(target: string): string {
  let out = '';
  for (const ch of target) {
    const c = ch.codePointAt(0)!;
    if (c > 0x20 && c < 0x7f) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function parseHttpText(text: string): HttpText {
  const lines = text.split('\n');
  const requestLine = lines[0]!;
  const space = requestLine.indexOf(' ');
  const version = requestLine.lastIndexOf(' HTTP/');
  const method = requestLine.slice(0, space);
  const target = requestLine.slice(space + 1, version < 0 ? undefined : version);
  const pairs: [string, string][] = [];
  let i = 1;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const line = lines[i]!;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // obs-fold: a continuation line joins the previous value with a space (RFC 9112 §5.2).
      pairs[pairs.length - 1]![1] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    pairs.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  const headers: Record<string, string[]> = {};
  for (const [name, value] of pairs) (headers[name] ??= []).push(value);
  const body = lines.slice(i + 1).join('\n');
  return { method, url: toWire(target), headers, body };
}

export function sha256Hex(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export function toSignedRequest(http: HttpText): SignedRequest {
  return { method: http.method, url: http.url, headers: http.headers, bodySha256: sha256Hex(http.body) };
}
