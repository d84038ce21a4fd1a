/**
 * Reading a policy document into a `Policy`, collecting every issue with its JSONPath instead of
 * stopping at the first. Structural checks (types, required and unknown elements, duplicate Sids,
 * size) and value checks (operators, CIDRs, ARNs, principals, variables) all happen in this one walk.
 */
import { checkArnPattern } from './arn.js';
import { PolicyValidationError } from './errors.js';
import { index, member } from './json-path.js';
import { parseOperator } from './operators/index.js';
import { checkPrincipalValue } from './principal.js';
import type { ConditionEntry, Policy, PolicyIssue, PolicyOptions, PolicyStatement, PrincipalSpec } from './types.js';
import { parseTemplate } from './variables.js';
import { q } from './quote.js';

/** Lattice's auth-policy size limit. */
export const LATTICE_POLICY_MAX_BYTES = 10240;

const TOP = new Set(['Version', 'Id', 'Statement']);
const ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const ACTION = /^[A-Za-z0-9*?-]+:[A-Za-z0-9*?_.-]*$/;

export interface ReadResult {
  /** null when the document is too broken to give a statement list. */
  policy: Policy | null;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
  /** The JSONPath of each statement, by index. */
  statementPaths: string[];
}

const parsed = new WeakSet<object>();

/** Whether a value is a Policy produced (and so validated) by parsePolicy. */
export function isParsedPolicy(x: unknown): x is Policy {
  return typeof x === 'object' && x !== null && parsed.has(x);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

class Reader {
  readonly errors: PolicyIssue[] = [];
  readonly warnings: PolicyIssue[] = [];
  variables = true;

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  /** A string or a list of strings. Returns null (after an error) for any other type. */
  stringList(v: unknown, path: string, what: string): { values: string[]; paths: string[] } | null {
    if (typeof v === 'string') return { values: [v], paths: [path] };
    if (Array.isArray(v)) {
      const values: string[] = [];
      const paths: string[] = [];
      v.forEach((x, i) => {
        if (typeof x === 'string') {
          values.push(x);
          paths.push(index(path, i));
        } else this.error(index(path, i), `${what} must be a string, got ${typeName(x)}`);
      });
      if (v.length === 0) this.warn(path, `${what} list is empty`);
      return values.length === v.length ? { values, paths } : null;
    }
    this.error(path, `${what} must be a string or a list of strings, got ${typeName(v)}`);
    return null;
  }

  templateIssues(s: string, path: string): void {
    if (!this.variables) return;
    const issues: string[] = [];
    parseTemplate(s, issues);
    for (const m of issues) this.error(path, m);
  }

  principal(v: unknown, path: string): PrincipalSpec | null {
    if (v === '*') return '*';
    if (!isObject(v)) {
      this.error(path, `must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}, got ${typeName(v)}`);
      return null;
    }
    const spec: Record<string, string[]> = {};
    let ok = true;
    for (const [type, value] of Object.entries(v)) {
      const p = member(path, type);
      if (!PRINCIPAL_TYPES.has(type)) {
        this.error(p, `unknown principal type ${q(type)} (expected AWS, Service, Federated or CanonicalUser)`);
        ok = false;
        continue;
      }
      const list = this.stringList(value, p, 'principal');
      if (list === null) {
        ok = false;
        continue;
      }
      list.values.forEach((x, i) => {
        const m = checkPrincipalValue(type, x);
        if (m !== null) {
          this.error(list.paths[i]!, m);
          ok = false;
        }
      });
      spec[type] = list.values;
    }
    return ok ? spec : null;
  }

  conditions(v: unknown, path: string): ConditionEntry[] | null {
    if (!isObject(v)) {
      this.error(path, `Condition must be an object of operators, got ${typeName(v)}`);
      return null;
    }
    const out: ConditionEntry[] = [];
    let ok = true;
    for (const [operator, block] of Object.entries(v)) {
      const op = parseOperator(operator);
      if (typeof op === 'string') {
        this.error(path, op);
        ok = false;
        continue;
      }
      const opPath = member(path, operator);
      if (!isObject(block)) {
        this.error(opPath, `must be an object of condition keys, got ${typeName(block)}`);
        ok = false;
        continue;
      }
      for (const [key, raw] of Object.entries(block)) {
        const keyPath = member(opPath, key);
        if (!key.includes(':')) this.warn(keyPath, `condition key ${q(key)} has no service prefix (such as aws:)`);
        const items = Array.isArray(raw) ? raw : [raw];
        const values: string[] = [];
        items.forEach((x, i) => {
          const p = Array.isArray(raw) ? index(keyPath, i) : keyPath;
          if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
            this.error(p, `condition value must be a string, number or boolean, got ${typeName(x)}`);
            ok = false;
            return;
          }
          const s = String(x);
          values.push(s);
          const templated = this.variables && s.includes('${') && (op.def?.variables ?? false);
          if (templated) this.templateIssues(s, p);
          const m = op.def === undefined ? checkNull(s) : templated ? null : op.def.check(s);
          if (m !== null) {
            this.error(p, `${operator}: ${m}`);
            ok = false;
          }
        });
        out.push({ operator, key, values });
      }
    }
    return ok ? out : null;
  }

  statement(v: unknown, path: string, kind: string, requireResource: boolean, requirePrincipal: boolean): PolicyStatement | null {
    if (!isObject(v)) {
      this.error(path, `statement must be an object, got ${typeName(v)}`);
      return null;
    }
    const before = this.errors.length;
    for (const k of Object.keys(v)) if (!ELEMENTS.has(k)) this.error(member(path, k), `unknown element ${q(k)}`);
    const s: Partial<PolicyStatement> & { conditions: ConditionEntry[] } = { conditions: [] };
    if (v.Sid !== undefined) {
      if (typeof v.Sid === 'string') s.sid = v.Sid;
      else this.error(member(path, 'Sid'), `Sid must be a string, got ${typeName(v.Sid)}`);
    }
    if (v.Effect === undefined) this.error(path, 'missing Effect');
    else if (v.Effect === 'Allow' || v.Effect === 'Deny') s.effect = v.Effect;
    else this.error(member(path, 'Effect'), `Effect must be "Allow" or "Deny", got ${JSON.stringify(v.Effect)}`);

    this.exclusive(v, path, 'Principal', 'NotPrincipal');
    if (kind === 'identity') {
      for (const k of ['Principal', 'NotPrincipal'])
        if (v[k] !== undefined) this.error(member(path, k), `${k} is not allowed in an identity policy`);
    } else {
      if (v.Principal === undefined && v.NotPrincipal === undefined) {
        if (requirePrincipal) this.error(path, 'missing Principal (a resource policy must name who it applies to)');
        else this.warn(path, 'no Principal in a resource policy: this statement can never match');
      }
      if (v.Principal !== undefined) s.principal = this.principal(v.Principal, member(path, 'Principal')) ?? undefined;
      if (v.NotPrincipal !== undefined)
        s.notPrincipal = this.principal(v.NotPrincipal, member(path, 'NotPrincipal')) ?? undefined;
    }

    if (!this.exclusive(v, path, 'Action', 'NotAction')) this.error(path, 'missing Action');
    for (const k of ['Action', 'NotAction'] as const) {
      if (v[k] === undefined) continue;
      const list = this.stringList(v[k], member(path, k), 'action');
      list?.values.forEach((a, i) => {
        if (a === '*' || ACTION.test(a)) return;
        // IAM accepts odd characters (spaces, commas) after the prefix; such an action matches nothing.
        if (/^[A-Za-z0-9*?-]+:/.test(a)) this.warn(list.paths[i]!, `action ${q(a)} contains characters no action has: it never matches`);
        else this.error(list.paths[i]!, `invalid action ${q(a)}: expected "service:Action" or "*"`);
      });
      if (list !== null) s[k === 'Action' ? 'action' : 'notAction'] = list.values;
    }

    if (!this.exclusive(v, path, 'Resource', 'NotResource') && requireResource) this.error(path, 'missing Resource');
    for (const k of ['Resource', 'NotResource'] as const) {
      if (v[k] === undefined) continue;
      const list = this.stringList(v[k], member(path, k), 'resource');
      list?.values.forEach((r, i) => {
        const p = list.paths[i]!;
        this.templateIssues(r, p);
        const m = r === '*' ? null : checkArnPattern(r);
        if (m !== null) this.error(p, m);
      });
      if (list !== null) s[k === 'Resource' ? 'resource' : 'notResource'] = list.values;
    }

    if (v.Condition !== undefined) s.conditions = this.conditions(v.Condition, member(path, 'Condition')) ?? [];
    return this.errors.length === before ? (s as PolicyStatement) : null;
  }

  /** Reports both of a pair being present; returns whether either is. */
  exclusive(v: Record<string, unknown>, path: string, a: string, b: string): boolean {
    if (v[a] !== undefined && v[b] !== undefined) this.error(path, `${a} and ${b} cannot both be present`);
    return v[a] !== undefined || v[b] !== undefined;
  }
}

function checkNull(s: string): string | null {
  return /^(true|false)$/i.test(s) ? null : `Null takes "true" or "false", got ${q(s)}`;
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

/** Reads and checks a document; never throws. */
export function readPolicy(doc: unknown, options: PolicyOptions = {}): ReadResult {
  const r = new Reader();
  const kind = options.kind ?? 'identity';
  const fail = (): ReadResult => ({ policy: null, errors: r.errors, warnings: r.warnings, statementPaths: [] });
  let value: unknown = doc;
  let bytes: number;
  try {
    if (typeof doc === 'string') {
      bytes = Buffer.byteLength(doc, 'utf8');
      value = JSON.parse(doc);
    } else bytes = Buffer.byteLength(JSON.stringify(doc) ?? '', 'utf8');
  } catch (e) {
    r.error('$', `not valid JSON: ${(e as Error).message.replace(/[\u0000-\u001f\u2028\u2029]/g, ' ')}`);
    return fail();
  }
  const max = options.maxBytes ?? (kind === 'resource' ? LATTICE_POLICY_MAX_BYTES : Infinity);
  if (max > 0 && bytes > max) r.error('$', `policy is ${bytes} bytes; the limit is ${max} bytes`);
  if (!isObject(value)) {
    r.error('$', `policy must be a JSON object, got ${typeName(value)}`);
    return fail();
  }
  for (const k of Object.keys(value)) if (!TOP.has(k)) r.error(member('$', k), `unknown element ${q(k)}`);
  let version: Policy['version'] = '2008-10-17';
  if (value.Version === undefined) r.warn('$', 'no Version: policy variables are not substituted (2008-10-17 rules); use "2012-10-17"');
  else if (value.Version === '2012-10-17' || value.Version === '2008-10-17') version = value.Version;
  else r.error('$.Version', `Version must be "2012-10-17" or "2008-10-17", got ${JSON.stringify(value.Version)}`);
  r.variables = version === '2012-10-17';
  if (value.Id !== undefined && typeof value.Id !== 'string') r.error('$.Id', `Id must be a string, got ${typeName(value.Id)}`);

  const st = value.Statement;
  let raw: unknown[];
  let statementPaths: string[];
  if (st === undefined) {
    r.error('$', 'missing Statement');
    return fail();
  } else if (Array.isArray(st)) {
    raw = st;
    statementPaths = st.map((_, i) => index('$.Statement', i));
    if (st.length === 0) r.warn('$.Statement', 'no statements: the policy allows nothing');
  } else if (isObject(st)) {
    raw = [st];
    statementPaths = ['$.Statement'];
  } else {
    r.error('$.Statement', `Statement must be an object or a list of objects, got ${typeName(st)}`);
    return fail();
  }
  const requireResource = options.requireResource ?? true;
  const statements: PolicyStatement[] = [];
  const sids = new Map<string, string>();
  raw.forEach((s, i) => {
    const parsedStatement = r.statement(s, statementPaths[i]!, kind, requireResource, options.requirePrincipal ?? true);
    if (parsedStatement !== null) statements.push(parsedStatement);
    const sid = isObject(s) ? s.Sid : undefined;
    if (typeof sid === 'string') {
      const seen = sids.get(sid);
      if (seen !== undefined) r.error(member(statementPaths[i]!, 'Sid'), `duplicate Sid ${q(sid)} (also at ${seen})`);
      else sids.set(sid, statementPaths[i]!);
    }
  });
  if (r.errors.length > 0) return { policy: null, errors: r.errors, warnings: r.warnings, statementPaths };
  const policy: Policy = { version, statements, kind };
  if (typeof value.Id === 'string') policy.id = value.Id;
  return { policy, errors: r.errors, warnings: r.warnings, statementPaths };
}

/** Parses and validates a policy document (JSON text or object). Throws PolicyValidationError listing every error. */
export function parsePolicy(doc: string | object, options?: PolicyOptions): Policy {
  const { policy, errors } = readPolicy(doc, options);
  if (policy === null || errors.length > 0) throw new PolicyValidationError(errors);
  // Frozen, so that compilePolicy can trust a Policy it has seen validated.
  deepFreeze(policy);
  parsed.add(policy);
  return policy;
}

function deepFreeze(o: object): void {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  Object.freeze(o);
}
