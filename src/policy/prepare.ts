/**
 * A request prepared once and then evaluated against any number of compiled policies: context keys
 * lowercased into one map, the principal ARN parsed, the action lowercased. Typed views of context
 * values (IP addresses, numbers, dates) are parsed on first use and cached for the request's lifetime.
 */
import { parseIp, type IpWords } from './cidr.js';
import { memo } from './memo.js';
import { parsePrincipal, type PrincipalInfo } from './principal.js';
import type { ContextValue, EvaluationRequest } from './types.js';

const lowerKey = memo((k) => k.toLowerCase());
const lowerAction = memo((a) => a.toLowerCase());
const principalInfo = memo((p) => Object.freeze(parsePrincipal(p)));

/**
 * What policies read of a request's context, by lowercased key: a Map (prepared from a plain context
 * object), or a view that computes keys on demand (request-context.ts, for the data plane).
 * Missing, undefined and empty-list values are absent (IAM's null dataset).
 */
export interface ContextLookup {
  get(key: string): string | readonly string[] | undefined;
  has(key: string): boolean;
}

export class PreparedRequest {
  readonly principal: PrincipalInfo;
  readonly action: string;
  /** Lowercased action: Action patterns are compiled lowercased (actions are case-insensitive). */
  readonly actionLower: string;
  readonly resource: string;
  readonly resourceAccount: string | undefined;
  readonly context: ContextLookup;
  private ipCache: Map<string, IpWords | null> | null = null;

  /** `context`, when given, is used instead of `request.context`. */
  constructor(request: EvaluationRequest);
  constructor(request: Omit<EvaluationRequest, 'context'>, context: ContextLookup);
  constructor(request: Omit<EvaluationRequest, 'context'> & { context?: EvaluationRequest['context'] }, context?: ContextLookup) {
    this.principal = principalInfo(String(request.principal ?? 'anonymous'));
    this.action = String(request.action ?? '');
    this.actionLower = lowerAction(this.action);
    this.resource = String(request.resource ?? '');
    this.resourceAccount = request.resourceAccount;
    this.context = context ?? lowercasedContext(request.context ?? {});
  }

  /** The parsed IP address in a context value, or null when it is not an address. */
  ip(value: string): IpWords | null {
    const cache = (this.ipCache ??= new Map());
    let ip = cache.get(value);
    if (ip === undefined) {
      ip = parseIp(value);
      cache.set(value, ip);
    }
    return ip;
  }
}

/** A context object by lowercased key; keys that differ only in case are one key with all their values. */
export function lowercasedContext(ctx: Readonly<Record<string, ContextValue | undefined>>): Map<string, string | readonly string[]> {
  const context = new Map<string, string | readonly string[]>();
  let merged: Set<string> | null = null;
  for (const key in ctx) {
    if (!Object.prototype.hasOwnProperty.call(ctx, key)) continue;
    const v = normalise(ctx[key]);
    if (v === undefined) continue;
    const k = lowerKey(key);
    const prev = context.get(k);
    if (prev === undefined) {
      context.set(k, v);
      continue;
    }
    // Keys that differ only in case are one key (IAM matches key names case-insensitively): keep
    // every value of every spelling, never just the last one, which would hide the others.
    merged ??= new Set();
    let list: string[];
    if (merged.has(k)) list = prev as string[];
    else {
      list = typeof prev === 'string' ? [prev] : prev.slice();
      context.set(k, list);
      merged.add(k);
    }
    if (typeof v === 'string') list.push(v);
    else for (const x of v) list.push(x);
  }
  return context;
}

function normalise(v: ContextValue | undefined | unknown): string | readonly string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return v.every((x) => typeof x === 'string') ? (v as string[]) : v.map((x) => String(x));
  }
  return String(v);
}

/** Prepares a request for evaluation. Do it once per request and share it across layers and policies. */
export function prepareRequest(request: EvaluationRequest): PreparedRequest {
  return new PreparedRequest(request);
}
