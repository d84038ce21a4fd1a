import { describe, expect, it } from 'vitest';
import {
  decodeSessionToken, encodeSessionToken, MAX_SESSION_TOKEN_CHARS, SealError, seal, SESSION_TOKEN_PURPOSE, type SessionClaims,
} from '../../src/iam/index.js';
import { newKey } from './fixtures.js';

const claims: SessionClaims = {
  accessKeyId: 'ASIAABCDEFGHIJKLMNOP',
  secretAccessKey: 'a'.repeat(40),
  roleArn: 'arn:aws:iam::123456789012:role/r',
  roleId: 'AROAEXAMPLEEXAMPLE1',
  account: '123456789012',
  orgId: 'o-myorgid',
  orgPaths: ['o-myorgid/r-ab12/'],
  tags: { team: 'orders' },
  sessionTags: { team: 'orders' },
  sessionName: 's1',
  sourceIdentity: 'alice',
  issuedAt: 1_700_000_000,
  expiresAt: 1_700_003_600,
};

describe('session tokens', () => {
  const key = newKey();

  it('round-trips every claim, optional ones included or not', () => {
    expect(decodeSessionToken(encodeSessionToken(claims, key), key)).toEqual(claims);
    const { orgId: _o, orgPaths: _p, sourceIdentity: _s, ...minimal } = claims;
    expect(decodeSessionToken(encodeSessionToken(minimal, key), key)).toEqual(minimal);
  });

  it('is base64 like AWS tokens and does not show the secret or the claims', () => {
    const token = encodeSessionToken(claims, key);
    expect(token).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(token.length).toBeLessThan(MAX_SESSION_TOKEN_CHARS);
    const bytes = Buffer.from(token, 'base64').toString('latin1');
    for (const v of [claims.secretAccessKey, claims.roleArn, claims.sessionName, 'orders']) expect(bytes).not.toContain(v);
  });

  it('refuses a token sealed under another key', () => {
    expect(() => decodeSessionToken(encodeSessionToken(claims, newKey()), key)).toThrow(SealError);
  });

  it('refuses every single-character change', () => {
    const token = encodeSessionToken(claims, key);
    for (let i = 0; i < token.length - 2; i++) {
      const c = token[i] === 'A' ? 'B' : 'A';
      expect(() => decodeSessionToken(token.slice(0, i) + c + token.slice(i + 1), key), `char ${i}`).toThrow(SealError);
    }
  });

  it('refuses a value sealed for another purpose, non-base64, oversized and wrongly shaped payloads', () => {
    expect(() => decodeSessionToken(seal(key, 'other', JSON.stringify({})).toString('base64'), key)).toThrow(SealError);
    expect(() => decodeSessionToken('not base64!', key)).toThrow(SealError);
    expect(() => decodeSessionToken('A'.repeat(MAX_SESSION_TOKEN_CHARS + 4), key)).toThrow(SealError);
    for (const body of ['not json', '{"v":2}', JSON.stringify({ v: 1, k: 1 }), 'null', '[]']) {
      const token = seal(key, SESSION_TOKEN_PURPOSE, body).toString('base64');
      expect(() => decodeSessionToken(token, key), body).toThrow(SealError);
    }
  });
});
