/**
 * Errors of the identity plane that are not request-authentication failures (those are SigV4Errors):
 * bad input to STS-style operations and problems with the master key. Each carries an AWS-style code,
 * the HTTP status and, for input errors, the exact field at fault. Messages never contain secrets.
 */

/** Invalid input to an STS-style operation (AssumeRole's `ValidationError`, IAM's `NoSuchEntity`, …). */
export class IamValidationError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** The input field at fault, in AWS's spelling (`RoleSessionName`, `Tags[0].Key`, …). */
  readonly field: string;

  constructor(field: string, message: string, code = 'ValidationError', statusCode = 400) {
    super(message);
    this.name = 'IamValidationError';
    this.field = field;
    this.code = code;
    this.statusCode = statusCode;
  }
}

/** The master key is missing, malformed or stored unsafely. The node refuses to start (fail closed). */
export class MasterKeyError extends Error {
  readonly code = 'InvalidMasterKey';

  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/** A sealed value could not be opened: malformed, tampered with, or sealed under another key or purpose. */
export class SealError extends Error {
  readonly code = 'SealError';

  constructor(message = 'the sealed value cannot be opened') {
    super(message);
    this.name = 'SealError';
  }
}
