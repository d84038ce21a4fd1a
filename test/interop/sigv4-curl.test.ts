/**
 * `curl --aws-sigv4 "aws:amz:REGION:vpc-lattice-svcs"`, the session token passed as a header.
 * curl 7.x signs the path and the query exactly as sent, unsorted (curl/curl#9717), which AWS
 * rejects too; so its queries are given in canonical order, as curl users must.
 */
import { curlSigV4, curlSigV4Http2 } from './support/curl-client.js';
import { interopSuite } from './support/interop-suite.js';
import { getEncoded, getRoot, getWithSortedQuery, postJson, putWithHeaders } from './support/requests.js';

const requests = [getRoot, getWithSortedQuery, getEncoded, postJson, putWithHeaders];

interopSuite({ name: 'curl --aws-sigv4', signAndSend: curlSigV4, algorithm: 'AWS4-HMAC-SHA256', presigned: false, requests });

interopSuite({
  name: 'curl --aws-sigv4 --http2-prior-knowledge (host arrives as :authority)',
  signAndSend: curlSigV4Http2,
  algorithm: 'AWS4-HMAC-SHA256',
  presigned: false,
  requests,
  server: () => ({ h2c: true }),
});
