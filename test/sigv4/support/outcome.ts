import { SigV4Error } from '../../../src/sigv4/index.js';

/** The AWS error code `f` throws as a SigV4Error, or `accepted` when it returns. */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SigV4Error) return e.code;
    throw e;
  }
  return 'accepted';
}
