/**
 * The data plane's preparation of Lattice requests for evaluation (latticeRequestPreparer): the
 * context of request-context.ts, with the caller's keys prepared once per caller and the request's
 * own keys computed when a policy reads them.
 */
import { lowercasedContext, PreparedRequest, type ContextLookup } from './prepare.js';
import {
  accountOf,
  addCallerKeys,
  addQueryKeys,
  CREDENTIAL_HEADERS,
  HEADER_PREFIX,
  headerValue,
  INVOKE_ACTION,
  principalOf,
  QUERY_PREFIX,
  timeStrings,
  type HttpRequestDescription,
} from './request-context.js';
import type { ContextValue } from './types.js';

/** The caller part of a context, lowercased once and shared by that caller's requests (latticeRequestPreparer). */
interface CallerPart {
  /** The description it was built from: only its caller fields are read. */
  readonly from: HttpRequestDescription;
  readonly context: Map<string, string | readonly string[]>;
}

/** Same caller fields (by identity: arrays and tag objects come from the same snapshot or session). */
function sameCaller(a: HttpRequestDescription, b: HttpRequestDescription): boolean {
  return (
    a.principal === b.principal &&
    a.principalAccount === b.principalAccount &&
    a.principalOrgId === b.principalOrgId &&
    a.principalOrgPaths === b.principalOrgPaths &&
    a.principalTags === b.principalTags &&
    a.principalType === b.principalType &&
    a.principalRoleArn === b.principalRoleArn &&
    a.userId === b.userId &&
    a.sessionName === b.sessionName &&
    a.sourceIdentity === b.sourceIdentity &&
    a.principalIsAWSService === b.principalIsAWSService &&
    a.serviceArn === b.serviceArn &&
    a.port === b.port &&
    a.serviceNetworkArn === b.serviceNetworkArn &&
    a.sourceVpc === b.sourceVpc &&
    a.sourceVpcOwnerAccount === b.sourceVpcOwnerAccount &&
    a.secureTransport === b.secureTransport &&
    a.resourceTags === b.resourceTags
  );
}

const HEADER_KEY = HEADER_PREFIX.toLowerCase();
const QUERY_KEY = QUERY_PREFIX.toLowerCase();
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * One request's context as a view: the caller's keys from their shared map, the request's own keys
 * computed when a policy asks for them. A policy reads a handful of keys; building all of them
 * (every header, the query, the time) into a map for each request cost more than evaluating it.
 */
class LatticeRequestView implements ContextLookup {
  private query: Map<string, string | readonly string[]> | undefined = undefined;
  private time: readonly [string, string] | null | undefined = undefined;

  constructor(
    private readonly caller: Map<string, string | readonly string[]>,
    private readonly d: HttpRequestDescription,
    private readonly path: string,
    private readonly q: number,
  ) {}

  get(key: string): string | readonly string[] | undefined {
    const c = this.caller.get(key);
    if (c !== undefined) return c;
    switch (key) {
      case 'vpc-lattice-svcs:requestmethod':
        return this.d.method;
      case 'vpc-lattice-svcs:requestpath':
        return this.path;
      case 'aws:sourceip':
        return this.d.sourceIp;
      case 'aws:currenttime':
        return this.times()?.[0];
      case 'aws:epochtime':
        return this.times()?.[1];
    }
    if (key.startsWith(HEADER_KEY)) {
      const name = key.slice(HEADER_KEY.length);
      const headers = this.d.headers;
      if (headers === undefined || CREDENTIAL_HEADERS.has(name) || !hasOwn(headers, name)) return undefined;
      const v = headers[name];
      return v === undefined ? undefined : headerValue(v);
    }
    if (key.startsWith(QUERY_KEY)) {
      if (this.query === undefined) {
        const ctx: Record<string, ContextValue> = {};
        addQueryKeys(ctx, this.d, this.q);
        this.query = lowercasedContext(ctx);
      }
      return this.query.get(key);
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Read once, so that CurrentTime and EpochTime agree even when the description has no time. */
  private times(): readonly [string, string] | undefined {
    if (this.time === undefined) this.time = timeStrings(this.d.time) ?? null;
    return this.time ?? undefined;
  }
}

/**
 * A preparer of Lattice requests for evaluation: the same PreparedRequest as
 * `new PreparedRequest(buildRequestContext(d))`, with the caller's keys lowercased once per caller
 * (kept for up to `maxCallers` of them) and the request's own keys computed only when a policy reads
 * them. `d.headers` must have lower-case names, as Node gives them.
 */
export function latticeRequestPreparer(maxCallers = 1024): (d: HttpRequestDescription) => PreparedRequest {
  const callers = new Map<string, CallerPart>();
  return (d) => {
    const principal = principalOf(d);
    let part = callers.get(principal);
    if (part === undefined || !sameCaller(part.from, d)) {
      const ctx: Record<string, ContextValue> = {};
      addCallerKeys(ctx, d, principal);
      part = { from: d, context: lowercasedContext(ctx) };
      if (callers.size >= maxCallers) callers.clear();
      callers.set(principal, part);
    }
    const q = d.path.indexOf('?');
    const path = q < 0 ? d.path : d.path.slice(0, q);
    const resourceAccount = accountOf(d.serviceArn);
    return new PreparedRequest(
      { principal, action: INVOKE_ACTION, resource: d.serviceArn + path, resourceAccount: resourceAccount === '' ? undefined : resourceAccount },
      new LatticeRequestView(part.context, d, path, q),
    );
  };
}
