/** The small pure pieces of the canonical request, against hand-checked expectations. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmzDate } from '../../src/sigv4/amz-date.js';
import { pathCandidates, normalizePath } from '../../src/sigv4/canonical-path.js';
import { canonicalQuery, parseQuery } from '../../src/sigv4/canonical-query.js';
import { trimValue } from '../../src/sigv4/canonical-headers.js';
import { globMatch } from '../../src/sigv4/region-set.js';
import { splitTarget } from '../../src/sigv4/request-target.js';
import { canonicalComponent, encodeAll } from '../../src/sigv4/uri-encode.js';

describe('uri encoding', () => {
  it('encodes everything but unreserved characters, upper-case hex, UTF-8 bytes', () => {
    expect(encodeAll("a b/c:d%e~f-g.h_i!*'()", true)).toBe('a%20b/c%3Ad%25e~f-g.h_i%21%2A%27%28%29');
    expect(encodeAll('/ሴ', false)).toBe('%2F%E1%88%B4');
  });

  it('normalises query escapes: decodes valid %XX, keeps unreserved, re-encodes the rest', () => {
    expect(canonicalComponent('%7e%41%2f%zz', false)).toBe('~A%2F%25zz');
    expect(canonicalComponent('a+b', false)).toBe('a%2Bb');
    expect(canonicalComponent('a+b', true)).toBe('a%20b');
    expect(canonicalComponent('%', false)).toBe('%25');
  });
});

describe('paths', () => {
  it('removes dot and empty segments like the SDKs', () => {
    expect(normalizePath('/a/./b/../c//d/')).toBe('/a/c/d/');
    expect(normalizePath('/..')).toBe('/');
    expect(normalizePath('')).toBe('/');
    expect(normalizePath('/plain/path')).toBe('/plain/path');
  });

  it('offers the generic reading first, then the path as sent, then encoded-not-normalised', () => {
    expect(pathCandidates('/a%3Ab')).toEqual(['/a%253Ab', '/a%3Ab']);
    expect(pathCandidates('//x//')).toEqual(['/x/', '//x//']);
    expect(pathCandidates('//a%2F')).toEqual(['/a%252F', '//a%2F', '//a%252F']);
    expect(pathCandidates('/simple')).toEqual(['/simple']);
  });
});

describe('query', () => {
  it('sorts by key then value, keeps empty values and repeated keys, drops empty segments', () => {
    expect(canonicalQuery(parseQuery('b=2&a=z&a=y&&c&d='), false)).toBe('a=y&a=z&b=2&c=&d=');
  });

  it('sorts by the encoded form, byte order (% before letters, as in get-vanilla-query-order-encoded)', () => {
    expect(canonicalQuery(parseQuery('%E1%88%B4=1&Z=2&a=3'), false)).toBe('%E1%88%B4=1&Z=2&a=3');
  });
});

describe('targets', () => {
  it('splits origin-form and absolute-form', () => {
    expect(splitTarget('/p?q=1#frag')).toEqual({ path: '/p', query: 'q=1' });
    expect(splitTarget('http://h:8080/p/q?x')).toEqual({ path: '/p/q', query: 'x' });
    expect(splitTarget('http://h?x=1')).toEqual({ path: '/', query: 'x=1' });
    expect(splitTarget('')).toEqual({ path: '', query: '' });
  });
});

describe('header values', () => {
  it('trims and collapses runs of whitespace, tabs included', () => {
    expect(trimValue('  a \t b   c  ')).toBe('a b c');
    expect(trimValue('a b')).toBe('a b');
    expect(trimValue('"a   b"')).toBe('"a b"');
    expect(trimValue('')).toBe('');
  });

  it('agrees with a plain reference on any mix of text, spaces, tabs, line breaks and controls', () => {
    const ws = /[ \t\n\r]+/g;
    const reference = (v: string) => v.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '').replace(ws, ' ');
    const char = fc.constantFrom('a', 'b', ' ', '  ', '\t', '\n', '\r', '\u0001', '\u001f', '\u007f', 'é', '"');
    fc.assert(fc.property(fc.array(char, { maxLength: 24 }).map((a) => a.join('')), (v) => trimValue(v) === reference(v)), { numRuns: 2000 });
  });
});

describe('dates', () => {
  it('parses basic format and refuses impossible dates', () => {
    expect(parseAmzDate('20240229T235959Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    for (const bad of ['20230229T000000Z', '20240431T000000Z', '20241301T000000Z', '20240101T240000Z', '20240101 000000Z', '2024-01-01T00:00:00Z', '']) {
      expect(parseAmzDate(bad)).toBeNaN();
    }
  });
});

describe('region-set wildcards', () => {
  it('matches * against any run of characters', () => {
    expect(globMatch('*', 'us-west-2')).toBe(true);
    expect(globMatch('us-*', 'us-west-2')).toBe(true);
    expect(globMatch('*-west-*', 'us-west-2')).toBe(true);
    expect(globMatch('us-*-2', 'us-west-2')).toBe(true);
    expect(globMatch('us-*-1', 'us-west-2')).toBe(false);
    expect(globMatch('us-west-2*', 'us-west-2')).toBe(true);
    expect(globMatch('us-west', 'us-west-2')).toBe(false);
  });
});
