/**
 * The IAM request context of one VPC Lattice call, built from an HTTP-level description of it.
 * The data plane calls this once per request, so it does no parsing it can avoid: no URL object,
 * no regexes; the time strings are cached per second.
 *
 * Keys and value formats follow AWS's documentation of Lattice auth policies and of the global
 * condition keys (see docs/policies.md for the full list). A key whose value is unknown is left
 * out rather than guessed, so that a positive condition on it fails closed.
 */
import { splitArn } from './arn.js';
import { memo } from './memo.js';
import type { ContextValue, EvaluationRequest } from './types.js';

export const INVOKE_ACTION = 'vpc-lattice-svcs:Invoke';

/** What `aws:PrincipalType` can be for a Lattice caller. */
export type LatticePrincipalType = 'Anonymous' | 'AssumedRole' | 'User' | 'FederatedUser' | 'Account';

/**
 * One Lattice request as the data plane (or `latticed policy simulate --request`) describes it.
 * Field names are those of the CLI's request JSON; only `serviceArn`, `method` and `path` are required.
 */
export interface HttpRequestDescription {
  /** The caller's ARN (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`, `arn:aws:iam::ACCT:user/NAME`) or `anonymous`. */
  principal?: string;
  /** aws:PrincipalAccount; defaults to the account in the principal ARN. */
  principalAccount?: string;
  principalOrgId?: string;
  /** aws:PrincipalOrgPaths, e.g. `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`. */
  principalOrgPaths?: readonly string[];
  principalTags?: Readonly<Record<string, string>>;
  /** aws:PrincipalType; derived from the ARN when absent (`Anonymous` for anonymous callers). */
  principalType?: LatticePrincipalType;
  /** aws:PrincipalArn; for a role session this is the role's ARN. Derived from the session ARN (without a role path) when absent. */
  principalRoleArn?: string;
  /** aws:userid (`AROA…:SESSION`, `AIDA…`). Left out for roles and users when not supplied: it cannot be derived from an ARN. */
  userId?: string;
  /** aws:RoleSessionName for a role session; defaults to the last part of the assumed-role ARN. */
  sessionName?: string;
  /** aws:SourceIdentity, when the session carries one. */
  sourceIdentity?: string;
  /** aws:PrincipalIsAWSService; false for every signed caller unless set. */
  principalIsAWSService?: boolean;
  /** HTTP method as sent, e.g. `GET` (gRPC calls are `POST`). Not case-folded: `get` is not `GET`. */
  method: string;
  /** The request target's path, optionally with `?query`. Normalise it before calling: it is used as given. */
  path: string;
  /** Header names in any case. A repeated header is joined with `, `, as HTTP combines field lines. */
  headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Query parameters; when absent they are parsed from `path`. */
  query?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The listener port. */
  port?: number | string;
  /** `arn:aws:vpc-lattice:REGION:ACCT:service/svc-…`; the resource is this plus the path. */
  serviceArn: string;
  serviceNetworkArn?: string;
  sourceVpc?: string;
  sourceVpcOwnerAccount?: string;
  /** aws:SourceIp: the caller's address. */
  sourceIp?: string;
  /** aws:ResourceTag/*: the service's tags. */
  resourceTags?: Readonly<Record<string, string>>;
  /** aws:SecureTransport: whether the call arrived over TLS. Left out when unknown. */
  secureTransport?: boolean;
  /** aws:CurrentTime / aws:EpochTime: an ISO 8601 string, epoch milliseconds or a Date. Defaults to now. */
  time?: string | number | Date;
}

/** Headers that carry credentials: never copied into the context, so they cannot leak through it. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-amz-security-token']);

export const HEADER_PREFIX = 'vpc-lattice-svcs:RequestHeader/';
export const QUERY_PREFIX = 'vpc-lattice-svcs:RequestQueryString/';
const PRINCIPAL_TAG_PREFIX = 'aws:PrincipalTag/';
const RESOURCE_TAG_PREFIX = 'aws:ResourceTag/';

// aws:CurrentTime / aws:EpochTime change once a second: keep the last second's strings.
let cachedSecond = Number.NaN;
let cachedTimes: readonly [iso: string, epoch: string] = ['', ''];

/** aws:CurrentTime and aws:EpochTime of `time`; undefined when it is unreadable (conditions on them then fail closed). */
export function timeStrings(time: string | number | Date | undefined): readonly [iso: string, epoch: string] | undefined {
  const ms = time === undefined ? Date.now() : time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) return undefined;
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedTimes = [new Date(second * 1000).toISOString().replace('.000Z', 'Z'), String(second)];
    cachedSecond = second;
  }
  return cachedTimes;
}

/** What an ARN alone says about the caller; memoised, since a node sees the same few callers again and again. */
interface ArnFacts {
  type: LatticePrincipalType | undefined;
  account: string | undefined;
  /** aws:PrincipalArn: the role ARN (without path) for a role session, else the ARN itself. */
  principalArn: string;
  /** For a role session: the role ARN's prefix is known, the path is not. */
  roleSession: boolean;
  userId: string | undefined;
  username: string | undefined;
  sessionName: string | undefined;
}

const arnFacts = memo((arn: string): ArnFacts => {
  const facts: ArnFacts = { type: undefined, account: undefined, principalArn: arn, roleSession: false, userId: undefined, username: undefined, sessionName: undefined };
  const parts = splitArn(arn);
  if (parts === null) return Object.freeze(facts);
  const [, partition, service, , account, resource] = parts as [string, string, string, string, string, string];
  facts.account = account;
  if (service === 'iam' && resource === 'root') {
    facts.type = 'Account';
    facts.userId = account;
  } else if (service === 'iam' && resource.startsWith('user/')) {
    facts.type = 'User';
    facts.username = resource.slice(resource.lastIndexOf('/') + 1);
  } else if (service === 'sts' && resource.startsWith('assumed-role/')) {
    facts.type = 'AssumedRole';
    facts.roleSession = true;
    const slash = resource.indexOf('/', 13);
    facts.principalArn = `arn:${partition}:iam::${account}:role/${slash > 13 ? resource.slice(13, slash) : resource.slice(13)}`;
    if (slash > 13) facts.sessionName = resource.slice(slash + 1);
  } else if (service === 'sts' && resource.startsWith('federated-user/')) {
    facts.type = 'FederatedUser';
    facts.userId = `${account}:${resource.slice(15)}`;
  }
  return Object.freeze(facts);
});

// Context keys built from request data, memoised so that each distinct name is concatenated (and
// internalised as a property key) once, not per request. Bounded: callers choose header names.
const headerKey = memo((name: string): string | null => {
  const lower = name.toLowerCase();
  return CREDENTIAL_HEADERS.has(lower) ? null : HEADER_PREFIX + lower;
});
// Query keys by lower-cased name: condition keys match case-insensitively, so `admin` and `Admin` are
// one key whose values are all of theirs (else one spelling would hide the other's values).
const queryKey = memo((key: string) => QUERY_PREFIX + key.toLowerCase());
const principalTagKey = memo((key: string) => PRINCIPAL_TAG_PREFIX + key);
const resourceTagKey = memo((key: string) => RESOURCE_TAG_PREFIX + key);
export const accountOf = memo((arn: string) => splitArn(arn)?.[4] ?? '');

export function headerValue(v: string | readonly string[]): string {
  return typeof v === 'string' ? v : v.join(', ');
}

/** Adds one value; a second one makes a list that this builder owns, so later values are pushed (linear in the query's size). */
function addQuery(ctx: Record<string, ContextValue>, key: string, value: string): void {
  const k = queryKey(key);
  const prev = ctx[k];
  if (prev === undefined) ctx[k] = value;
  else if (typeof prev === 'string') ctx[k] = [prev, value];
  else (prev as string[]).push(value);
}

function decode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s; // malformed escapes stay literal, as a policy author would read them
  }
}

function addPair(ctx: Record<string, ContextValue>, pair: string): void {
  const eq = pair.indexOf('=');
  addQuery(ctx, decode(eq < 0 ? pair : pair.slice(0, eq)), eq < 0 ? '' : decode(pair.slice(eq + 1)));
}

/**
 * Parses `a=1&b=2&a=3` into multi-valued RequestQueryString keys (form decoding, like URLSearchParams).
 * A pair holding a raw `;` also adds the pairs it splits into at `;`: Rack 2 and Python before 3.9.2
 * separate parameters at `;` too, so `x=1;admin=true` must show a policy `admin=true` as well as
 * `x=1;admin=true`. Each pair is searched for `=` within itself, so parsing stays linear.
 */
function addQueryString(ctx: Record<string, ContextValue>, qs: string): void {
  let from = 0;
  while (from <= qs.length) {
    let amp = qs.indexOf('&', from);
    if (amp < 0) amp = qs.length;
    if (amp > from) {
      const pair = qs.slice(from, amp);
      addPair(ctx, pair);
      if (pair.indexOf(';') >= 0) for (const part of pair.split(';')) if (part !== '') addPair(ctx, part);
    }
    from = amp + 1;
  }
}

/** The principal as policies see it: `anonymous` (any case, or none) is `anonymous`. */
export function principalOf(d: HttpRequestDescription): string {
  const raw = d.principal === undefined || d.principal === '' ? 'anonymous' : d.principal;
  return raw.toLowerCase() === 'anonymous' ? 'anonymous' : raw;
}

/** The keys that depend only on the caller and on where it calls: the same for all of one caller's requests to one listener. */
export function addCallerKeys(ctx: Record<string, ContextValue>, d: HttpRequestDescription, principal: string): void {
  if (principal === 'anonymous') {
    ctx['aws:PrincipalType'] = 'Anonymous';
    ctx['aws:userid'] = 'anonymous';
  } else {
    const f = arnFacts(principal);
    const type = d.principalType ?? f.type;
    if (type !== undefined) ctx['aws:PrincipalType'] = type;
    ctx['aws:PrincipalArn'] = f.roleSession && d.principalRoleArn !== undefined ? d.principalRoleArn : f.principalArn;
    const account = d.principalAccount ?? f.account;
    if (account !== undefined) ctx['aws:PrincipalAccount'] = account;
    const userId = d.userId ?? f.userId;
    if (userId !== undefined) ctx['aws:userid'] = userId;
    if (f.username !== undefined) ctx['aws:username'] = f.username;
    const sessionName = f.roleSession ? (d.sessionName ?? f.sessionName) : undefined;
    if (sessionName !== undefined) ctx['aws:RoleSessionName'] = sessionName;
    if (d.principalOrgId !== undefined) ctx['aws:PrincipalOrgID'] = d.principalOrgId;
    if (d.principalOrgPaths !== undefined && d.principalOrgPaths.length > 0) ctx['aws:PrincipalOrgPaths'] = d.principalOrgPaths;
    if (d.principalTags !== undefined) for (const k in d.principalTags) ctx[principalTagKey(k)] = d.principalTags[k]!;
    if (d.sourceIdentity !== undefined) ctx['aws:SourceIdentity'] = d.sourceIdentity;
    ctx['aws:PrincipalIsAWSService'] = d.principalIsAWSService === true ? 'true' : 'false';
  }
  ctx['vpc-lattice-svcs:ServiceArn'] = d.serviceArn;
  if (d.port !== undefined) ctx['vpc-lattice-svcs:Port'] = String(d.port);
  if (d.serviceNetworkArn !== undefined) ctx['vpc-lattice-svcs:ServiceNetworkArn'] = d.serviceNetworkArn;
  if (d.sourceVpc !== undefined) ctx['vpc-lattice-svcs:SourceVpc'] = d.sourceVpc;
  if (d.sourceVpcOwnerAccount !== undefined) ctx['vpc-lattice-svcs:SourceVpcOwnerAccount'] = d.sourceVpcOwnerAccount;
  if (d.secureTransport !== undefined) ctx['aws:SecureTransport'] = d.secureTransport ? 'true' : 'false';
  if (d.resourceTags !== undefined) for (const k in d.resourceTags) ctx[resourceTagKey(k)] = d.resourceTags[k]!;
}

/** The RequestQueryString keys: from `d.query` when given, else parsed from the path's query (`q`: the `?`, or -1). */
export function addQueryKeys(ctx: Record<string, ContextValue>, d: HttpRequestDescription, q: number): void {
  if (d.query !== undefined) {
    for (const key in d.query) {
      const v = d.query[key];
      if (v === undefined) continue;
      if (typeof v === 'string') addQuery(ctx, key, v);
      else for (const x of v) addQuery(ctx, key, x);
    }
  } else if (q >= 0) {
    addQueryString(ctx, d.path.slice(q + 1));
  }
}

/**
 * Builds the EvaluationRequest of a Lattice call: action `vpc-lattice-svcs:Invoke`, resource
 * `serviceArn + path` (without the query), and every condition key AWS documents for it.
 */
export function buildRequestContext(d: HttpRequestDescription): EvaluationRequest {
  const ctx: Record<string, ContextValue> = {};
  const principal = principalOf(d);
  addCallerKeys(ctx, d, principal);

  const q = d.path.indexOf('?');
  const path = q < 0 ? d.path : d.path.slice(0, q);
  // As sent: methods are case-sensitive (RFC 9110), and the upstream sees the same token.
  ctx['vpc-lattice-svcs:RequestMethod'] = d.method;
  ctx['vpc-lattice-svcs:RequestPath'] = path;
  if (d.headers !== undefined) {
    for (const name in d.headers) {
      const v = d.headers[name];
      if (v === undefined) continue;
      const key = headerKey(name);
      if (key === null) continue;
      // Names that differ only in case (possible in a hand-written description) are one header.
      const prev = ctx[key];
      ctx[key] = prev === undefined ? headerValue(v) : `${prev as string}, ${headerValue(v)}`;
    }
  }
  addQueryKeys(ctx, d, q);
  if (d.sourceIp !== undefined) ctx['aws:SourceIp'] = d.sourceIp;
  const time = timeStrings(d.time);
  if (time !== undefined) {
    ctx['aws:CurrentTime'] = time[0];
    ctx['aws:EpochTime'] = time[1];
  }

  const resourceAccount = accountOf(d.serviceArn);
  const request: EvaluationRequest = { principal, action: INVOKE_ACTION, resource: d.serviceArn + path, context: ctx };
  if (resourceAccount !== '') request.resourceAccount = resourceAccount;
  return request;
}
