/**
 * The auth failures the verifier raises, with the codes AWS's JSON services use. Statuses follow
 * AWS's common-errors tables: a malformed signature (IncompleteSignature) and a request outside its
 * time window (RequestExpired-style) are 400; a signature or credential that fails is 403.
 */
export type SigV4ErrorCode =
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException'
  | 'ExpiredTokenException'
  | 'InvalidRequestException'
  | 'MissingAuthenticationTokenException';

const STATUS: Readonly<Record<SigV4ErrorCode, number>> = {
  IncompleteSignatureException: 400,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  ExpiredTokenException: 403,
  InvalidRequestException: 400,
  MissingAuthenticationTokenException: 403,
};

export class SigV4Error extends Error {
  readonly code: SigV4ErrorCode;
  readonly statusCode: number;

  constructor(code: SigV4ErrorCode, message: string, statusCode?: number) {
    super(message);
    this.name = 'SigV4Error';
    this.code = code;
    this.statusCode = statusCode ?? STATUS[code];
  }
}

export function incomplete(message: string): SigV4Error {
  return new SigV4Error('IncompleteSignatureException', message);
}

export function invalidSignature(message: string): SigV4Error {
  return new SigV4Error('InvalidSignatureException', message);
}

export function invalidRequest(message: string): SigV4Error {
  return new SigV4Error('InvalidRequestException', message);
}

/** Quotes client-sent text in a message, bounded so a huge header cannot bloat logs. */
export function quote(s: string): string {
  const clipped = s.length > 64 ? s.slice(0, 64) + '...' : s;
  return JSON.stringify(clipped);
}
