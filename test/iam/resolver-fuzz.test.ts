import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SigV4Error } from '../../src/sigv4/index.js';
import { createCredentialResolver, mintSessionCredentials } from '../../src/iam/index.js';
import { account, iamSnapshot, newKey, role } from './fixtures.js';

describe('credential resolver under garbage', () => {
  const key = newKey();
  const iam = iamSnapshot();
  const resolve = createCredentialResolver(() => iam, key);
  const real = mintSessionCredentials({ role: role('order-service-role'), account, sessionName: 'fuzz' }, key);

  async function outcome(id: string, token: string | undefined): Promise<'resolved' | 'undefined' | 'SigV4Error'> {
    try {
      return (await resolve(id, token)) === undefined ? 'undefined' : 'resolved';
    } catch (e) {
      if (e instanceof SigV4Error) return 'SigV4Error';
      throw e;
    }
  }

  const tokenLike = fc.oneof(
    fc.string(),
    fc.base64String({ maxLength: 2000 }),
    fc.uint8Array({ maxLength: 1500 }).map((b) => Buffer.from(b).toString('base64')),
    // the real token with one character replaced, inserted or removed
    fc.tuple(fc.nat(real.sessionToken.length - 1), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='), fc.constantFrom('replace', 'insert', 'delete'))
      .map(([i, c, op]) => {
        const t = real.sessionToken;
        if (op === 'insert') return t.slice(0, i) + c + t.slice(i);
        if (op === 'delete') return t.slice(0, i) + t.slice(i + 1);
        return t.slice(0, i) + c + t.slice(i + 1);
      })
      .filter((t) => t !== real.sessionToken),
  );
  const keyLike = fc.oneof(fc.constant(real.accessKeyId), fc.string(), fc.stringMatching(/^ASIA[A-Z2-7]{16}$/));

  it('never throws anything but SigV4Error and never resolves a forged session', async () => {
    await fc.assert(
      fc.asyncProperty(keyLike, tokenLike, async (id, token) => {
        const o = await outcome(id, token);
        expect(o).toBe('SigV4Error');
      }),
      { numRuns: 1000 },
    );
  });

  it('random access key ids without a token never resolve', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (id) => {
        expect(['undefined', 'SigV4Error']).toContain(await outcome(id, undefined));
      }),
    );
  });

  it('the real pair still resolves (the property is not vacuous)', async () => {
    expect(await outcome(real.accessKeyId, real.sessionToken)).toBe('resolved');
  });
});

describe('mint then resolve, for any valid input', () => {
  const key = newKey();
  const r = role('order-service-role');
  const iam = iamSnapshot([r]);
  const resolve = createCredentialResolver(() => iam, key);
  const name = fc.stringMatching(/^[\w+=,.@-]{2,64}$/);
  const tagKey = fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{1,20}$/).filter((k) => !k.toLowerCase().startsWith('aws:'));
  const tags = fc.uniqueArray(fc.record({ Key: tagKey, Value: fc.stringMatching(/^[\p{L}\p{N} _.:/=+@-]{0,30}$/u) }), {
    maxLength: 50, selector: (t) => t.Key.toLowerCase(),
  });

  it('the identity carries the session name, source identity and merged tags as issued', async () => {
    await fc.assert(
      fc.asyncProperty(name, fc.option(name.filter((s) => !s.toLowerCase().startsWith('aws:')), { nil: undefined }), tags, fc.integer({ min: 900, max: 7200 }),
        async (sessionName, sourceIdentity, sessionTags, durationSeconds) => {
          const m = mintSessionCredentials({ role: r, account, sessionName, sourceIdentity, sessionTags, durationSeconds }, key);
          const c = await resolve(m.accessKeyId, m.sessionToken);
          expect(c?.secretAccessKey).toBe(m.secretAccessKey);
          expect(c?.identity.arn).toBe(`arn:aws:sts::${r.account}:assumed-role/${r.name}/${sessionName}`);
          expect(c?.identity.userId).toBe(`${r.roleId}:${sessionName}`);
          expect(c?.identity.sourceIdentity).toBe(sourceIdentity);
          for (const t of sessionTags) expect(c?.identity.tags[t.Key]).toBe(t.Value);
          for (const [k, v] of Object.entries(r.tags)) {
            if (!sessionTags.some((t) => t.Key.toLowerCase() === k.toLowerCase())) expect(c?.identity.tags[k]).toBe(v);
          }
          expect(m.expiration.getTime() - Date.now()).toBeLessThanOrEqual(durationSeconds * 1000);
        }),
      { numRuns: 200 },
    );
  });
});
