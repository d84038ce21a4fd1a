/** The AWS SDK for JavaScript v3 signer, `@smithy/signature-v4`: headers and presigned URLs. */
import { interopSuite } from './support/interop-suite.js';
import { bodilessRequests } from './support/requests.js';
import { smithyPresigned, smithySigV4 } from './support/smithy-clients.js';

interopSuite({ name: '@smithy/signature-v4 sign', signAndSend: smithySigV4, algorithm: 'AWS4-HMAC-SHA256', presigned: false });

interopSuite({
  name: '@smithy/signature-v4 presign',
  signAndSend: smithyPresigned,
  algorithm: 'AWS4-HMAC-SHA256',
  presigned: true,
  requests: bodilessRequests,
});
