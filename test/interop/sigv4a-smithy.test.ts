/**
 * SigV4A from `@smithy/signature-v4a`: the signer's `region` becomes `x-amz-region-set`, which
 * may be `*`, a list, or a pattern. The node (us-west-2) must be inside it.
 */
import { expect } from 'vitest';
import { interopSuite } from './support/interop-suite.js';
import { REGION } from './support/keys.js';
import { smithySigV4a } from './support/smithy-clients.js';

for (const regionSet of ['*', REGION, `us-east-1,${REGION}`, 'us-*']) {
  interopSuite({
    name: `@smithy/signature-v4a, region set ${regionSet}`,
    signAndSend: smithySigV4a(regionSet),
    algorithm: 'AWS4-ECDSA-P256-SHA256',
    presigned: false,
    checkIdentity: (identity) => {
      expect(identity.scope).toMatchObject({ regionSet: regionSet.split(',') });
      expect(identity.signedHeaders).toContain('x-amz-region-set');
    },
  });
}
