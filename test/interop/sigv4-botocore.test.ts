/**
 * python3 botocore, as in AWS's VPC Lattice example: `SigV4Auth(creds, "vpc-lattice-svcs", region)`
 * with `payload_signing_enabled = False`, over HTTPS. (Over plain HTTP botocore always hashes
 * the body into the signature, whatever the header says; see test/interop/README.md.)
 */
import { afterAll } from 'vitest';
import { startBotocore } from './support/botocore-client.js';
import { interopSuite } from './support/interop-suite.js';
import { allRequests, bodilessRequests, getWithDateHeader, getWithPlus } from './support/requests.js';
import { makeLoopbackCertificate } from './support/tls.js';

const tls = makeLoopbackCertificate();
afterAll(() => tls.remove());

const header = startBotocore('header', tls.cafile);
interopSuite({
  name: 'botocore SigV4Auth',
  signAndSend: header.signAndSend,
  // SigV4Auth signs the query exactly as written in the URL, so a literal '+' is signed as '+',
  // which no canonical reading reproduces (see README.md); botocore users write %2B or %20.
  requests: [...allRequests.filter((request) => request !== getWithPlus), getWithDateHeader],
  stop: header.stop,
  algorithm: 'AWS4-HMAC-SHA256',
  presigned: false,
  server: () => ({ tls }),
});

const presign = startBotocore('presign', tls.cafile);
interopSuite({
  name: 'botocore SigV4QueryAuth (presigned URL)',
  signAndSend: presign.signAndSend,
  stop: presign.stop,
  algorithm: 'AWS4-HMAC-SHA256',
  presigned: true,
  requests: [...bodilessRequests, getWithDateHeader],
  server: () => ({ tls }),
});
