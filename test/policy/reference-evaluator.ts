/**
 * A deliberately naive second implementation of single-policy evaluation, written straight from the
 * IAM User Guide with regular expressions and no precompilation, for differential property testing
 * (Cedar's approach: two implementations, compared on random inputs). It shares the documented
 * semantics with src/policy/ but none of its code or fast paths.
 */
import { isIP } from 'node:net';
import type { Decision, EvaluationRequest } from '../../src/policy/index.js';

type Doc = { Version?: string; Statement: Record<string, unknown> | Record<string, unknown>[] };
type Ctx = Map<string, string | string[]>;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

interface Tok {
  c: string;
  wild: boolean;
}

/** The pattern as characters, variables substituted, each marked wildcard or literal; null when a variable has no value. */
function tokens(p: string, ctx: Ctx, vars: boolean): Tok[] | null {
  const out: Tok[] = [];
  for (let i = 0; i < p.length; i++) {
    if (vars && p.startsWith('${', i)) {
      const close = p.indexOf('}', i);
      const inner = p.slice(i + 2, close).trim();
      i = close;
      if (inner === '*' || inner === '?' || inner === '$') {
        out.push({ c: inner, wild: false });
        continue;
      }
      const m = /^([^,\s]+)\s*(?:,\s*'([^']*)')?$/.exec(inner)!;
      const v = ctx.get(m[1]!.toLowerCase());
      const value = typeof v === 'string' ? v : m[2];
      if (value === undefined) return null;
      for (const c of value) out.push({ c, wild: false });
      continue;
    }
    out.push({ c: p[i]!, wild: true });
  }
  return out;
}

function regexOf(ts: Tok[], wildcards: boolean, flags = ''): RegExp {
  const src = ts.map((t) => (wildcards && t.wild && t.c === '*' ? '[\\s\\S]*' : wildcards && t.wild && t.c === '?' ? '[\\s\\S]' : esc(t.c))).join('');
  return new RegExp(`^${src}$`, flags);
}

function globMatch(p: string, s: string, ctx: Ctx, vars: boolean, flags = ''): boolean {
  const ts = tokens(p, ctx, vars);
  return ts !== null && regexOf(ts, true, flags).test(s);
}

function arnParts(s: string): string[] | null {
  const parts = s.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function arnMatch(p: string, s: string, ctx: Ctx, vars: boolean): boolean {
  const ts = tokens(p, ctx, vars);
  if (ts === null) return false;
  // Split the substituted pattern at its first five colons.
  const parts: Tok[][] = [[]];
  for (const t of ts) {
    if (t.c === ':' && parts.length < 6) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  if (parts.length < 6) return regexOf(ts, true).test(s);
  const sp = arnParts(s);
  if (sp === null) return false;
  return parts.every((x, i) => regexOf(x, true).test(sp[i]!));
}

function principalMatches(block: unknown, principal: string): boolean {
  if (block === '*') return true;
  const anonymous = principal === 'anonymous';
  const account = /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(principal)?.[2];
  for (const [type, values] of Object.entries(block as Record<string, unknown>)) {
    for (const v of list(values)) {
      if (type === 'AWS' && v === '*') return true;
      if (anonymous) continue;
      if (type === 'AWS' && (/^\d{12}$/.test(v) || /:root$/.test(v))) {
        if (account !== undefined && account === (/^\d{12}$/.test(v) ? v : v.split(':')[4])) return true;
        continue;
      }
      if (v === principal) return true;
      const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(v);
      if (role && principal.startsWith(`arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/`)) return true;
    }
  }
  return false;
}

function notPrincipalListed(block: unknown, principal: string): boolean {
  if (block === '*') return true;
  for (const [type, values] of Object.entries(block as Record<string, unknown>))
    for (const v of list(values)) {
      if (type === 'AWS' && v === '*') return true;
      if (v === principal) return true;
      if (type === 'AWS' && /^\d{12}$/.test(v) && principal === `arn:aws:iam::${v}:root`) return true;
    }
  return false;
}

const NUM = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
function date(s: string): number {
  if (/^\d{1,12}$/.test(s)) return Number(s) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) return NaN;
  return Date.parse(s.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? `${s}Z` : s);
}
function ipInCidr(ip: string, cidr: string): boolean {
  const norm = (a: string) => (a.toLowerCase().startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a);
  const toBig = (a: string): [bigint, number] | null => {
    a = norm(a);
    const f = isIP(a);
    if (f === 4) return [BigInt(a.split('.').reduce((n, o) => n * 256 + Number(o), 0)), 32];
    if (f !== 6) return null;
    let [l, r = ''] = a.includes('::') ? a.split('::') : [a, undefined];
    const expand = (x: string) => (x === '' ? [] : x.split(':').flatMap((g) => (g.includes('.') ? (() => { const b = g.split('.').map(Number); return [((b[0]! << 8) | b[1]!).toString(16), ((b[2]! << 8) | b[3]!).toString(16)]; })() : [g])));
    const L = expand(l!);
    const R = r === undefined ? [] : expand(r);
    const groups = r === undefined && !a.includes('::') ? L : [...L, ...Array(8 - L.length - R.length).fill('0'), ...R];
    return [groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n), 128];
  };
  const [base, lenText] = cidr.split('/');
  const b = toBig(base!);
  const x = toBig(ip);
  if (b === null || x === null || b[1] !== x[1]) return false;
  const len = lenText === undefined ? b[1] : Number(lenText);
  const shift = BigInt(b[1] - len);
  return b[0] >> shift === x[0] >> shift;
}

function compare(base: string, p: string, v: string, ctx: Ctx, vars: boolean): boolean {
  const exact = (flags: string) => {
    const ts = tokens(p, ctx, vars);
    return ts !== null && regexOf(ts, false, flags).test(v);
  };
  switch (base.replace(/^String(Not)?/, 'String').replace('NotEquals', 'Equals')) {
    case 'StringEquals':
      return exact('');
    case 'StringEqualsIgnoreCase':
      return exact('i');
    case 'StringLike':
      return globMatch(p, v, ctx, vars);
  }
  if (base.startsWith('Numeric')) {
    if (!NUM.test(v)) return false;
    const a = Number(v), b = Number(p);
    return { NumericEquals: a === b, NumericNotEquals: a === b, NumericLessThan: a < b, NumericLessThanEquals: a <= b, NumericGreaterThan: a > b, NumericGreaterThanEquals: a >= b }[base]!;
  }
  if (base.startsWith('Date')) {
    const a = date(v), b = date(p);
    if (Number.isNaN(a)) return false;
    return { DateEquals: a === b, DateNotEquals: a === b, DateLessThan: a < b, DateLessThanEquals: a <= b, DateGreaterThan: a > b, DateGreaterThanEquals: a >= b }[base]!;
  }
  if (base === 'Bool') return p.toLowerCase() === v.toLowerCase();
  if (base === 'BinaryEquals') return /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0 && Buffer.from(p, 'base64').equals(Buffer.from(v, 'base64'));
  if (base === 'IpAddress' || base === 'NotIpAddress') return ipInCidr(v, p);
  if (base.startsWith('Arn')) return arnMatch(p, v, ctx, vars);
  throw new Error(`reference: unknown ${base}`);
}

function condition(op: string, key: string, values: string[], ctx: Ctx, vars: boolean): boolean {
  const got = ctx.get(key.toLowerCase());
  if (op === 'Null') return values.some((v) => (v.toLowerCase() === 'true') === (got === undefined));
  const q = /^(ForAnyValue|ForAllValues):/.exec(op)?.[1];
  let base = op.replace(/^(ForAnyValue|ForAllValues):/, '');
  const ifExists = base.endsWith('IfExists');
  base = base.replace(/IfExists$/, '');
  const negated = /^(StringNot|NumericNotEquals|DateNotEquals|NotIpAddress|ArnNot)/.test(base);
  if (got === undefined) return ifExists || q === 'ForAllValues' || (q === undefined && negated);
  const test = (v: string) => values.some((p) => compare(base, p, v, ctx, vars));
  const vs = typeof got === 'string' ? [got] : got;
  if (q === 'ForAllValues') return vs.every((v) => test(v) !== negated);
  if (q === 'ForAnyValue') return vs.some((v) => test(v) !== negated);
  return vs.some(test) !== negated;
}

export function referenceDecision(doc: Doc, req: EvaluationRequest, kind: 'identity' | 'resource'): Decision {
  const vars = doc.Version === '2012-10-17';
  const ctx: Ctx = new Map();
  for (const [k, v] of Object.entries(req.context)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    ctx.set(k.toLowerCase(), typeof v === 'string' ? v : [...v]);
  }
  let allow = false;
  for (const s of Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) {
    if (kind === 'resource') {
      if (s.Principal !== undefined && !principalMatches(s.Principal, req.principal)) continue;
      if (s.NotPrincipal !== undefined && notPrincipalListed(s.NotPrincipal, req.principal)) continue;
      if (s.Principal === undefined && s.NotPrincipal === undefined) continue;
    }
    const actionHit = (ps: unknown) => list(ps).some((p) => globMatch(p, req.action, ctx, false, 'i'));
    if (s.Action !== undefined ? !actionHit(s.Action) : actionHit(s.NotAction)) continue;
    const resHit = (ps: unknown) => list(ps).some((p) => p === '*' || arnMatch(p, req.resource, ctx, vars));
    if (s.Resource !== undefined ? !resHit(s.Resource) : s.NotResource !== undefined && resHit(s.NotResource)) continue;
    const conds = Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>);
    if (!conds.every(([op, block]) => Object.entries(block).every(([k, v]) => condition(op, k, list(v), ctx, vars)))) continue;
    if (s.Effect === 'Deny') return 'ExplicitDeny';
    allow = true;
  }
  return allow ? 'Allow' : 'ImplicitDeny';
}
