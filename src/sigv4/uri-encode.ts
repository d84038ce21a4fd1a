/**
 * RFC 3986 encoding as SigV4 defines it: every byte outside the unreserved set
 * (A-Z a-z 0-9 - . _ ~) becomes %XX with upper-case hex.
 */
const HEX = '0123456789ABCDEF';

/** 1 for the unreserved ASCII characters, indexed by char code. */
const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9\-._~]/.test(ch)) UNRESERVED[c] = 1;
}

function pct(byte: number): string {
  return '%' + HEX[byte >> 4] + HEX[byte & 15];
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Encodes the UTF-8 bytes of the non-ASCII code point starting at s[i]; returns chars consumed. */
function encodeNonAscii(s: string, i: number, out: string[]): number {
  const cp = s.codePointAt(i) ?? 0xfffd;
  const width = cp > 0xffff ? 2 : 1;
  for (const b of Buffer.from(s.slice(i, i + width), 'utf8')) out.push(pct(b));
  return width;
}

function allUnreserved(s: string, keepSlash: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (UNRESERVED[c] === 0 && !(keepSlash && c === 47))) return false;
  }
  return true;
}

/**
 * Encodes every character of `s` that is not unreserved (nor `/` when keepSlash), including `%`:
 * applied to a path that is already encoded on the wire, this is the generic signers' "double" encoding.
 */
export function encodeAll(s: string, keepSlash: boolean): string {
  if (allUnreserved(s, keepSlash)) return s;
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c >= 128) {
      i += encodeNonAscii(s, i, out);
      continue;
    }
    out.push(UNRESERVED[c] === 1 || (keepSlash && c === 47) ? s[i]! : pct(c));
    i++;
  }
  return out.join('');
}

/**
 * The canonical form of one raw (wire) query key or value: valid %XX escapes are decoded and
 * re-encoded canonically, anything else not unreserved is encoded. A literal `+` is encoded as
 * `%2B` (CRT, botocore) or, with plusAsSpace, as `%20` (form-style clients).
 */
export function canonicalComponent(s: string, plusAsSpace: boolean): string {
  if (allUnreserved(s, false)) return s;
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        const byte = (hi << 4) | lo;
        out.push(byte < 128 && UNRESERVED[byte] === 1 ? String.fromCharCode(byte) : pct(byte));
        i += 3;
        continue;
      }
    }
    if (c >= 128) {
      i += encodeNonAscii(s, i, out);
      continue;
    }
    if (c === 43) out.push(plusAsSpace ? '%20' : '%2B');
    else out.push(UNRESERVED[c] === 1 ? s[i]! : pct(c));
    i++;
  }
  return out.join('');
}
