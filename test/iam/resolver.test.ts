import { describe, expect, it } from 'vitest';
import { SigV4Error } from '../../src/sigv4/index.js';
import {
  createCredentialResolver, mintSessionCredentials, type IamSnapshot, type LatticeCredential,
} from '../../src/iam/index.js';
import { account, ACCOUNT, iamSnapshot, INACTIVE_KEY, newKey, ORG, ORG_PATH, role, USER_KEY, USER_SECRET } from './fixtures.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function setup(opts: { cacheSize?: number } = {}) {
  const key = newKey();
  let iam: IamSnapshot = iamSnapshot();
  let now = T0;
  const resolve = createCredentialResolver(() => iam, key, { now: () => now, ...opts });
  const r = iam.roles.get(`arn:aws:iam::${ACCOUNT}:role/order-service-role`)!;
  const mint = (extra: Record<string, unknown> = {}) =>
    mintSessionCredentials({ role: r, account, sessionName: 'orders-1', now: T0, ...extra }, key);
  return {
    key, r, resolve, mint,
    setIam: (next: IamSnapshot) => { iam = next; },
    setNow: (t: number) => { now = t; },
    call: async (id: string, token?: string) => (await resolve(id, token)) as LatticeCredential | undefined,
  };
}

async function rejects(p: unknown, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SigV4Error);
    expect((e as SigV4Error).code).toBe(code);
    expect((e as SigV4Error).statusCode).toBe(403);
    return;
  }
  throw new Error(`expected ${code}`);
}

/** Calls the resolver so that a synchronous throw becomes a rejection. */
const run = (s: ReturnType<typeof setup>, id: string, token?: string) => Promise.resolve().then(() => s.resolve(id, token));

describe('credential resolver: IAM user keys', () => {
  it('resolves an active key to the user, with its account\'s organization', async () => {
    const s = setup();
    const c = await s.call(USER_KEY);
    expect(c?.secretAccessKey).toBe(USER_SECRET);
    expect(c?.identity).toMatchObject({
      arn: `arn:aws:iam::${ACCOUNT}:user/ci`, type: 'User', account: ACCOUNT, orgId: ORG, orgPaths: [ORG_PATH],
      userId: 'AIDAJQABLZS4A3QDU576Q', username: 'ci', tags: { team: 'ci' },
    });
    expect(c?.identity.identityPolicies).toHaveLength(1);
    expect(await s.call(USER_KEY)).toBe(c); // memoised per snapshot object
  });

  it('returns undefined for an unknown key, so the verifier answers as AWS does', async () => {
    expect(await setup().call('AKIAUNKNOWNUNKNOWN12')).toBeUndefined();
  });

  it('rejects an inactive key and a session token sent with a long-term key', async () => {
    const s = setup();
    await rejects(run(s, INACTIVE_KEY), 'UnrecognizedClientException');
    await rejects(run(s, USER_KEY, s.mint().sessionToken), 'UnrecognizedClientException');
  });

  it('does not resolve a session key without its token', async () => {
    const s = setup();
    expect(await s.call(s.mint().accessKeyId)).toBeUndefined();
  });
});

describe('credential resolver: role sessions', () => {
  it('resolves a minted session to the assumed-role identity in AWS formats', async () => {
    const s = setup();
    const m = s.mint({ sourceIdentity: 'alice', sessionTags: [{ Key: 'env', Value: 'dev' }] });
    const c = await s.call(m.accessKeyId, m.sessionToken);
    expect(c?.secretAccessKey).toBe(m.secretAccessKey);
    expect(c?.identity).toEqual({
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1`,
      type: 'AssumedRole',
      account: ACCOUNT,
      orgId: ORG,
      orgPaths: [ORG_PATH],
      tags: { team: 'orders', env: 'dev' },
      userId: `${s.r.roleId}:orders-1`,
      sessionName: 'orders-1',
      sourceIdentity: 'alice',
      roleArn: s.r.arn,
      identityPolicies: s.r.identityPolicies,
    });
    expect(await s.call(m.accessKeyId, m.sessionToken)).toBe(c);
  });

  it('rejects the token once expired (ExpiredTokenException), also after it was cached', async () => {
    const s = setup();
    const m = s.mint({ durationSeconds: 900 });
    s.setNow(T0 + 899_000);
    expect(await s.call(m.accessKeyId, m.sessionToken)).toBeDefined();
    s.setNow(T0 + 900_000);
    await rejects(run(s, m.accessKeyId, m.sessionToken), 'ExpiredTokenException');
    const fresh = setup();
    const m2 = fresh.mint({ durationSeconds: 900 });
    fresh.setNow(T0 + 3600_000);
    await rejects(run(fresh, m2.accessKeyId, m2.sessionToken), 'ExpiredTokenException');
  });

  it('rejects a token presented with another access key id', async () => {
    const s = setup();
    const a = s.mint();
    const b = s.mint();
    await rejects(run(s, b.accessKeyId, a.sessionToken), 'UnrecognizedClientException');
    expect(await s.call(a.accessKeyId, a.sessionToken)).toBeDefined();
    await rejects(run(s, b.accessKeyId, a.sessionToken), 'UnrecognizedClientException'); // also when cached
  });

  it('rejects tampered tokens, tokens of another node key and garbage', async () => {
    const s = setup();
    const m = s.mint();
    const flipped = (m.sessionToken[10] === 'A' ? 'B' : 'A');
    const tampered = m.sessionToken.slice(0, 10) + flipped + m.sessionToken.slice(11);
    await rejects(run(s, m.accessKeyId, tampered), 'UnrecognizedClientException');
    const other = mintSessionCredentials({ role: s.r, account, sessionName: 'xx', now: T0 }, newKey());
    await rejects(run(s, other.accessKeyId, other.sessionToken), 'UnrecognizedClientException');
    for (const junk of ['', 'x', 'FwoGZXIvYXdzEJr//////////wEaDExample==', 'A'.repeat(10_000)]) {
      await rejects(run(s, m.accessKeyId, junk), 'UnrecognizedClientException');
    }
  });

  it('fails closed when the role is gone, or was re-created (new role id)', async () => {
    const s = setup();
    const m = s.mint();
    expect(await s.call(m.accessKeyId, m.sessionToken)).toBeDefined();
    s.setIam(iamSnapshot([role('reporting-service-role')]));
    await rejects(run(s, m.accessKeyId, m.sessionToken), 'UnrecognizedClientException');
    s.setIam(iamSnapshot([role('order-service-role', { roleId: 'AROANEWNEWNEWNEWNEW12' })]));
    await rejects(run(s, m.accessKeyId, m.sessionToken), 'UnrecognizedClientException');
  });

  it('takes identity policies and role tags from the CURRENT role after a reload', async () => {
    const s = setup();
    const m = s.mint({ sessionTags: [{ Key: 'team', Value: 'override' }] });
    const before = await s.call(m.accessKeyId, m.sessionToken);
    expect(before?.identity.identityPolicies).toHaveLength(1);
    s.setIam(iamSnapshot([role('order-service-role', { identityPolicies: [], tags: { team: 'x', tier: 'gold' } })]));
    const after = await s.call(m.accessKeyId, m.sessionToken);
    expect(after?.identity.identityPolicies).toHaveLength(0);
    expect(after?.identity.tags).toEqual({ tier: 'gold', team: 'override' });
  });

  it('keeps working when the cache evicts (cache size 1)', async () => {
    const s = setup({ cacheSize: 1 });
    const a = s.mint();
    const b = s.mint();
    for (let i = 0; i < 3; i++) {
      expect((await s.call(a.accessKeyId, a.sessionToken))?.secretAccessKey).toBe(a.secretAccessKey);
      expect((await s.call(b.accessKeyId, b.sessionToken))?.secretAccessKey).toBe(b.secretAccessKey);
    }
  });

  it('uses the role ARN\'s partition in the assumed-role ARN', async () => {
    const s = setup();
    const cn = role('cn-role', { arn: `arn:aws-cn:iam::${ACCOUNT}:role/cn-role` });
    s.setIam(iamSnapshot([cn]));
    const m = mintSessionCredentials({ role: cn, account, sessionName: 'abc', now: T0 }, s.key);
    expect((await s.call(m.accessKeyId, m.sessionToken))?.identity.arn).toBe(`arn:aws-cn:sts::${ACCOUNT}:assumed-role/cn-role/abc`);
  });
});
