import { describe, expect, it } from 'vitest';
import { normalizeTarget, type NormalizedTarget } from '../../src/dataplane/normalize-path.js';

function norm(raw: string): NormalizedTarget | string {
  const out: NormalizedTarget = { path: '', query: '' };
  return normalizeTarget(raw, out) ?? out;
}

describe('normalizeTarget', () => {
  it('keeps an ordinary path and its query untouched', () => {
    expect(norm('/api/stock?item=1&x=%2F')).toEqual({ path: '/api/stock', query: '?item=1&x=%2F' });
    expect(norm('/')).toEqual({ path: '/', query: '' });
  });

  it('the five path tricks of docs/compatibility.md', () => {
    expect(norm('/api/stock/../admin')).toEqual({ path: '/api/admin', query: '' });
    expect(norm('/api/%2e%2e/admin')).toEqual({ path: '/admin', query: '' });
    expect(norm('//api/stock')).toEqual({ path: '/api/stock', query: '' });
    expect(norm('/api/stock%2F..%2Fadmin')).toBe('EncodedSlash');
    expect(norm('/API/stock')).toEqual({ path: '/API/stock', query: '' });
  });

  it('decodes unreserved escapes and upper-cases the others', () => {
    expect(norm('/a/%41%7e%5f%2D/%c3%a9/%3a')).toEqual({ path: '/a/A~_-/%C3%A9/%3A', query: '' });
  });

  it('removes dot segments, keeping a trailing slash where RFC 3986 does', () => {
    expect(norm('/a/./b/.')).toEqual({ path: '/a/b/', query: '' });
    expect(norm('/a/b/..')).toEqual({ path: '/a/', query: '' });
    expect(norm('/a/b/../../c')).toEqual({ path: '/c', query: '' });
    expect(norm('/a/..b/c.')).toEqual({ path: '/a/..b/c.', query: '' });
    expect(norm('/a//.//b///')).toEqual({ path: '/a/b/', query: '' });
  });

  it('rejects .. above the root', () => {
    expect(norm('/..')).toBe('AboveRoot');
    expect(norm('/a/../..')).toBe('AboveRoot');
    expect(norm('/%2E%2E/etc/passwd')).toBe('AboveRoot');
  });

  it('rejects ambiguous and malformed targets', () => {
    expect(norm('/a%2fb')).toBe('EncodedSlash');
    expect(norm('/a%5Cb')).toBe('Backslash');
    expect(norm('/a\\b')).toBe('Backslash');
    expect(norm('/a%00')).toBe('NulByte');
    expect(norm('/a\u0000')).toBe('NulByte');
    expect(norm('/a%zz')).toBe('BadEscape');
    expect(norm('/a%4')).toBe('BadEscape');
    expect(norm('/a%C3%28')).toBe('InvalidUtf8');
    expect(norm('/a%C3')).toBe('InvalidUtf8');
    expect(norm('/a%ED%A0%80')).toBe('InvalidUtf8'); // a UTF-16 surrogate
    expect(norm('/a%C0%AF')).toBe('InvalidUtf8'); // overlong '/'
    expect(norm('/a b')).toBe('BadCharacter');
    expect(norm('/a\u00e9')).toBe('BadCharacter');
    expect(norm('/a#frag')).toBe('BadCharacter');
    expect(norm('/a?b c')).toBe('BadCharacter');
    expect(norm('http://host/a')).toBe('NotOriginForm');
    expect(norm('*')).toBe('NotOriginForm');
    expect(norm('')).toBe('NotOriginForm');
  });

  it('never yields a path with a dot segment, a double slash or an encoded slash', () => {
    const alphabet = ['/', '.', '..', '%2e', '%2E', 'a', '%2f', '%41', '//', '?', 'b'];
    let seed = 7;
    for (let n = 0; n < 3000; n++) {
      let s = '/';
      const len = (n % 9) + 1;
      for (let k = 0; k < len; k++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += alphabet[seed % alphabet.length];
      }
      const r = norm(s);
      if (typeof r === 'string') continue;
      expect(r.path.startsWith('/')).toBe(true);
      expect(r.path).not.toMatch(/\/\.\.?(\/|$)|\/\/|%2[fF]/);
    }
  });
});

describe('stripAuthParams / redactTarget', async () => {
  const { stripAuthParams, redactTarget } = await import('../../src/dataplane/auth-params.js');
  it('removes presigned-URL parameters in any case, keeping the others in order', () => {
    expect(stripAuthParams('?a=1&X-Amz-Signature=abc&b=2&x-amz-security-token=t&X-Amz-Credential=AKIA%2F1')).toBe('?a=1&b=2');
    expect(stripAuthParams('?X-Amz-Algorithm=AWS4-HMAC-SHA256')).toBe('');
    expect(stripAuthParams('?x-amz-meta=kept&y=1')).toBe('?x-amz-meta=kept&y=1');
    expect(stripAuthParams('?plain=1')).toBe('?plain=1');
    expect(stripAuthParams('')).toBe('');
    expect(redactTarget('/p?X-Amz-Signature=1&k=v')).toBe('/p?k=v');
    expect(redactTarget('/p')).toBe('/p');
  });
});
