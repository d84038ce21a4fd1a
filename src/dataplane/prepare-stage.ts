/**
 * The first stage of every pipeline: header-count limit, path normalisation (once; the result is
 * both authorized and forwarded), and the header view without any client-sent x-amzn-lattice-*.
 */
import { stripAuthParams } from './auth-params.js';
import { filterInboundHeaders } from './inbound-headers.js';
import { normalizeTarget, type PathError } from './normalize-path.js';
import type { DataPlaneLimits } from './options.js';
import { sendError } from './responses.js';
import type { RequestState } from './request-state.js';

const PATH_MESSAGES: Record<PathError, string> = {
  EncodedSlash: "The request path contains an encoded '/' (%2F).",
  Backslash: "The request path contains a '\\' (literal or %5C).",
  NulByte: 'The request target contains a NUL byte.',
  BadEscape: 'The request path contains a malformed percent-encoding.',
  InvalidUtf8: 'The request path decodes to invalid UTF-8.',
  BadCharacter: 'The request target contains a character that must be percent-encoded.',
  AboveRoot: "The request path uses '..' above the root.",
  PathParameters: "The request path contains path parameters (';'), which targets disagree on (node.allowPathParameters lets them through).",
  DotSegmentParams: "The request path has path parameters (';') on an empty, '.' or '..' segment.",
  NotOriginForm: "The request target must be a path starting with '/'.",
};

/** node.allowPathParameters; read from the request's snapshot, so that a reload applies it. */
const ALLOW_PARAMETERS = { allowParameters: true } as const;

export function prepareStage(limits: DataPlaneLimits, authenticated: boolean): (s: RequestState) => boolean {
  const maxFields = limits.maxHeaderCount * 2;
  return (s) => {
    if (s.req.rawHeaders.length > maxFields) {
      sendError(s, 400, 'BadRequestException', `The request has more than ${limits.maxHeaderCount} headers.`, 'HeaderLimitExceeded');
      return false;
    }
    // The only transfer coding latticed undoes is chunked (llhttp's framing); a body still gzip- or
    // otherwise coded beneath it would reach the target unlabelled, since Transfer-Encoding is hop-by-hop.
    const te = s.req.headers['transfer-encoding'];
    if (te !== undefined && te.trim().toLowerCase() !== 'chunked') {
      sendError(s, 501, 'NotImplementedException', 'Only the chunked transfer coding is supported.', 'MalformedRequest');
      return false;
    }
    const err = normalizeTarget(s.req.url ?? '', s, s.snapshot.settings?.allowPathParameters === true ? ALLOW_PARAMETERS : undefined);
    if (err !== undefined) {
      sendError(s, 400, 'BadRequestException', PATH_MESSAGES[err], 'InvalidPath');
      return false;
    }
    // Verified (AWS_IAM) pipelines consume presigned-URL parameters: policies and targets never
    // see them. Elsewhere they are forwarded, but never logged.
    const clean = stripAuthParams(s.query);
    s.rawQuery = s.query;
    if (authenticated) s.query = clean;
    s.record.requestPath = clean === '' ? s.path : s.path + clean;
    s.headers = filterInboundHeaders(s.req.headers, authenticated);
    s.headers.host = s.host;
    return true;
  };
}
