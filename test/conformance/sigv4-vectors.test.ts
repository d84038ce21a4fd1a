/**
 * SigV4 / SigV4A conformance over every signed request in ../shared/vectors: each verifies with
 * its case's credentials and time, and each one-change variant is rejected with the right code.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SigV4Error } from '../../src/sigv4/index.js';
import { signedHeaderNames, withHeaderByteChanged, withPathChanged, withQueryValueChanged } from '../sigv4/support/mutate.js';
import { signWithSmithyV4a } from '../sigv4/support/smithy-v4a-sign.js';
import { verifyCase, type CaseOverrides } from '../sigv4/support/verify-case.js';
import { BOTOCORE_SKIPS, awsCAuthCases, botocoreCases, smithyRsCases, smithyTypescriptCases, type VectorCase } from '../sigv4/support/vectors.js';

const crt = awsCAuthCases();
const smithySigned: VectorCase[] = [];
for (const c of crt.unsigned) smithySigned.push(await signWithSmithyV4a(c));

const cases: VectorCase[] = [...crt.cases, ...smithySigned, ...botocoreCases(), ...smithyTypescriptCases(), ...smithyRsCases()];
const verified = new Map<string, number>();
let rejections = 0;

afterAll(() => {
  const bySuite = [...verified].map(([suite, n]) => `${suite} ${n}`).join(', ');
  const total = [...verified.values()].reduce((a, b) => a + b, 0);
  console.log(`sigv4 conformance: ${total} of ${cases.length} vector cases verified (${bySuite}); ${rejections} tampered variants rejected`);
  console.log(`  botocore cases botocore itself skips, verified here too: ${Object.keys(BOTOCORE_SKIPS).join(', ')}`);
});

async function expectCode(c: VectorCase, code: string, o: CaseOverrides): Promise<void> {
  const error = await verifyCase(c, o).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'must be rejected').toBeInstanceOf(SigV4Error);
  expect((error as SigV4Error).code).toBe(code);
  rejections++;
}

const SKEW_MS = 300_000;

describe.each(cases.map((c) => [`${c.suite} ${c.name} [${c.mode}]`, c] as const))('%s', (_title, c) => {
  it('verifies with its credentials and time', async () => {
    const identity = await verifyCase(c);
    expect(identity.accessKeyId).toBe(c.accessKeyId);
    expect(identity.algorithm).toBe(c.algorithm);
    expect(identity.presigned).toBe(c.mode === 'query');
    expect(identity.sessionToken).toBe(c.sessionToken);
    expect(identity.signedAt.getTime()).toBe(c.now);
    expect(identity.scope.service).toBe(c.service);
    if (c.algorithm === 'AWS4-HMAC-SHA256') expect(identity.scope.region).toBe(c.region);
    else expect(identity.scope.regionSet).toContain(c.region);
    verified.set(c.suite, (verified.get(c.suite) ?? 0) + 1);
  });

  it.each(signedHeaderNames(c))('rejects one byte changed in signed header %s', async (name) => {
    // A changed token no longer names the caller's session: the resolver refuses it.
    const code = name === 'x-amz-security-token' ? 'UnrecognizedClientException' : 'InvalidSignatureException';
    await expectCode(c, code, { request: withHeaderByteChanged(c.request, name) });
  });

  it('rejects a changed path', async () => {
    await expectCode(c, 'InvalidSignatureException', { request: withPathChanged(c.request) });
  });

  it('rejects a changed query value', async () => {
    await expectCode(c, 'InvalidSignatureException', { request: withQueryValueChanged(c.request) });
  });

  it('rejects the clock moved past the allowed window, either way', async () => {
    const late = c.mode === 'query' ? c.now + c.expires! * 1000 + 1000 : c.now + SKEW_MS + 1000;
    await expectCode(c, 'InvalidRequestException', { now: late });
    await expectCode(c, 'InvalidRequestException', { now: c.now - SKEW_MS - 1000 });
  });

  it('rejects a wrong secret', async () => {
    await expectCode(c, 'InvalidSignatureException', { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ' });
  });
});
