/** The AWS SDK for JavaScript v3 signer, `@smithy/signature-v4`: headers and presigned URLs. */
import { interopSuite } from './support/interop-suite.js';
import { bodilessRequests } from './support/requests.js';
import { smithyPresigned, smithyPresignedHoisted, smithySigV4 } from './support/smithy-clients.js';

interopSuite({ name: '@smithy/signature-v4 sign', signAndSend: smithySigV4, algorithm: 'AWS4-HMAC-SHA256', presigned: false });

interopSuite({
  name: '@smithy/signature-v4 presign, x-amz-content-sha256 kept as a signed header',
  signAndSend: smithyPresigned,
  algorithm: 'AWS4-HMAC-SHA256',
  presigned: true,
  requests: bodilessRequests,
});

interopSuite({
  name: '@smithy/signature-v4 presign, default hoisting (x-amz-content-sha256 in the query)',
  signAndSend: smithyPresignedHoisted,
  algorithm: 'AWS4-HMAC-SHA256',
  presigned: true,
  requests: bodilessRequests,
  signsContentSha256Header: false,
});
