/** The authentication failures the credential resolver raises, with the codes and texts AWS's JSON services use. */
import { SigV4Error } from '../sigv4/index.js';

export function invalidToken(): SigV4Error {
  return new SigV4Error('UnrecognizedClientException', 'The security token included in the request is invalid.');
}

export function expiredToken(): SigV4Error {
  return new SigV4Error('ExpiredTokenException', 'The security token included in the request is expired');
}
