/** The `aws4` package, header-signed and presigned (`signQuery: true`). */
import { aws4Header, aws4Presigned } from './support/aws4-client.js';
import { interopSuite } from './support/interop-suite.js';
import { bodilessRequests } from './support/requests.js';

interopSuite({ name: 'aws4 sign', signAndSend: aws4Header, algorithm: 'AWS4-HMAC-SHA256', presigned: false });

interopSuite({
  name: 'aws4 signQuery',
  signAndSend: aws4Presigned,
  algorithm: 'AWS4-HMAC-SHA256',
  presigned: true,
  requests: bodilessRequests,
});
