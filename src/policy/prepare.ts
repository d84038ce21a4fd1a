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

export class PreparedRequest {
  readonly principal: PrincipalInfo;
  readonly action: string;
  /** Lowercased action: Action patterns are compiled lowercased (actions are case-insensitive). */
  readonly actionLower: string;
  readonly resource: string;
  readonly resourceAccount: string | undefined;
  /** Context by lowercased key. Missing, undefined and empty-list values are absent (IAM's null dataset). */
  readonly context: Map<string, string | readonly string[]>;
  private ipCache: Map<string, IpWords | null> | null = null;

  constructor(request: EvaluationRequest) {
    this.principal = principalInfo(String(request.principal ?? 'anonymous'));
    this.action = String(request.action ?? '');
    this.actionLower = lowerAction(this.action);
    this.resource = String(request.resource ?? '');
    this.resourceAccount = request.resourceAccount;
    this.context = new Map();
    const ctx = request.context ?? {};
    let merged: Set<string> | null = null;
    for (const key in ctx) {
      if (!Object.prototype.hasOwnProperty.call(ctx, key)) continue;
      const v = normalise(ctx[key]);
      if (v === undefined) continue;
      const k = lowerKey(key);
      const prev = this.context.get(k);
      if (prev === undefined) {
        this.context.set(k, v);
        continue;
      }
      // Keys that differ only in case are one key (IAM matches key names case-insensitively): keep
      // every value of every spelling, never just the last one, which would hide the others.
      merged ??= new Set();
      let list: string[];
      if (merged.has(k)) list = prev as string[];
      else {
        list = typeof prev === 'string' ? [prev] : prev.slice();
        this.context.set(k, list);
        merged.add(k);
      }
      if (typeof v === 'string') list.push(v);
      else for (const x of v) list.push(x);
    }
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
