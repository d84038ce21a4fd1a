import { describe, expect, it } from 'vitest';
import {
  decodeSessionToken, IamValidationError, mintSessionCredentials, SESSION_ACCESS_KEY_ID,
} from '../../src/iam/index.js';
import { account, ACCOUNT, newKey, ORG, ORG_PATH, role } from './fixtures.js';

describe('mintSessionCredentials', () => {
  const key = newKey();
  const r = role('order-service-role');
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('returns AWS-shaped credentials whose token carries the whole session', () => {
    const c = mintSessionCredentials(
      { role: r, account, sessionName: 'orders-1', sourceIdentity: 'alice', sessionTags: [{ Key: 'env', Value: 'dev' }], now },
      key,
    );
    expect(c.accessKeyId).toMatch(SESSION_ACCESS_KEY_ID);
    expect(c.accessKeyId).toHaveLength(20);
    expect(c.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(c.expiration.toISOString()).toBe('2026-01-01T13:00:00.000Z');
    expect(c.assumedRoleArn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1`);
    expect(c.assumedRoleId).toBe(`${r.roleId}:orders-1`);
    expect(decodeSessionToken(c.sessionToken, key)).toEqual({
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      roleArn: r.arn,
      roleId: r.roleId,
      account: ACCOUNT,
      orgId: ORG,
      orgPaths: [ORG_PATH],
      tags: { team: 'orders', env: 'dev' }, // env overrides the role's Env: keys match ignoring case
      sessionTags: { env: 'dev' },
      sessionName: 'orders-1',
      sourceIdentity: 'alice',
      issuedAt: now / 1000,
      expiresAt: now / 1000 + 3600,
    });
  });

  it('issues fresh keys every time', () => {
    const a = mintSessionCredentials({ role: r, account, sessionName: 'ab' }, key);
    const b = mintSessionCredentials({ role: r, account, sessionName: 'ab' }, key);
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
    expect(a.secretAccessKey).not.toBe(b.secretAccessKey);
  });

  it('validates input AWS-style, before minting anything', () => {
    const bad = (input: Record<string, unknown>, field: string) => {
      try {
        mintSessionCredentials({ role: r, account, sessionName: 'ok-name', ...input }, key);
      } catch (e) {
        expect(e).toBeInstanceOf(IamValidationError);
        expect((e as IamValidationError).field).toBe(field);
        return;
      }
      throw new Error(`accepted ${JSON.stringify(input)}`);
    };
    bad({ sessionName: 'x' }, 'roleSessionName');
    bad({ durationSeconds: 100 }, 'durationSeconds');
    bad({ durationSeconds: 7201 }, 'durationSeconds');
    bad({ sourceIdentity: 'aws:x' }, 'sourceIdentity');
    bad({ sessionTags: [{ Key: 'aws:x', Value: 'v' }] }, 'tags.1.member.key');
  });

  it('refuses an account that is not the role\'s', () => {
    expect(() => mintSessionCredentials({ role: r, account: { id: '210987654321' }, sessionName: 'ab' }, key)).toThrow(/not the account/);
  });
});
