/**
 * Principal / NotPrincipal. A request's principal is parsed once (PreparedRequest); a policy's
 * principal block compiles to a few sets, so matching is a handful of hash lookups.
 *
 * Principal: `"*"` and `{"AWS":"*"}` match everyone, anonymous callers included. An account ID or
 * `arn:aws:iam::ACCT:root` matches every IAM principal of that account. A role ARN also matches the
 * role's assumed-role sessions. Other values (user, session, service, federated, canonical user)
 * match exactly.
 *
 * NotPrincipal is matched literally (secure choice, see docs/compatibility.md): it excludes a caller
 * only when the caller's own ARN (or, for an account's root, the account) is listed. As on AWS,
 * listing a role does not exclude its sessions, so `Deny` + `NotPrincipal` fails closed.
 */
import { splitArn } from './arn.js';
import type { PrincipalSpec } from './types.js';
import { q } from './quote.js';

export interface PrincipalInfo {
  readonly raw: string;
  readonly anonymous: boolean;
  /** The account of an IAM/STS principal ARN; null for anonymous, service and other principals. */
  readonly account: string | null;
  /** For an assumed-role session, `arn:PART:sts::ACCT:assumed-role/ROLE`, which a role ARN in a policy matches. */
  readonly sessionBase: string | null;
  /** The caller is the account root (`arn:PART:iam::ACCT:root`). */
  readonly root: boolean;
}

export function parsePrincipal(raw: string): PrincipalInfo {
  const anonymous = raw === '' || raw.toLowerCase() === 'anonymous';
  const parts = anonymous ? null : splitArn(raw);
  let account: string | null = null;
  let sessionBase: string | null = null;
  let root = false;
  if (parts !== null && (parts[2] === 'iam' || parts[2] === 'sts') && parts[4] !== '') {
    account = parts[4]!;
    root = parts[2] === 'iam' && parts[5] === 'root';
    if (parts[2] === 'sts' && parts[5]!.startsWith('assumed-role/')) {
      const slash = parts[5]!.indexOf('/', 13);
      if (slash > 13) sessionBase = raw.slice(0, raw.length - parts[5]!.length) + parts[5]!.slice(0, slash);
    }
  }
  return { raw, anonymous, account, sessionBase, root };
}

export type PrincipalMatcher = (p: PrincipalInfo) => boolean;

const ACCOUNT_ID = /^\d{12}$/;

interface PrincipalSets {
  all: boolean;
  exact: Set<string>;
  accounts: Set<string>;
  sessionBases: Set<string>;
}

function collect(spec: PrincipalSpec): PrincipalSets {
  const sets: PrincipalSets = { all: false, exact: new Set(), accounts: new Set(), sessionBases: new Set() };
  if (spec === '*') {
    sets.all = true;
    return sets;
  }
  for (const [type, values] of Object.entries(spec)) {
    for (const v of values) {
      if (type !== 'AWS') {
        sets.exact.add(v);
        continue;
      }
      if (v === '*') sets.all = true;
      else if (ACCOUNT_ID.test(v)) sets.accounts.add(v);
      else {
        const parts = splitArn(v);
        if (parts !== null && parts[2] === 'iam' && parts[5] === 'root') sets.accounts.add(parts[4]!);
        else {
          sets.exact.add(v);
          if (parts !== null && parts[2] === 'iam' && parts[5]!.startsWith('role/')) {
            const name = parts[5]!.slice(parts[5]!.lastIndexOf('/') + 1);
            sets.sessionBases.add(`arn:${parts[1]}:sts::${parts[4]}:assumed-role/${name}`);
          }
        }
      }
    }
  }
  return sets;
}

export function compilePrincipal(spec: PrincipalSpec): PrincipalMatcher {
  const { all, exact, accounts, sessionBases } = collect(spec);
  if (all) return () => true;
  return (p) =>
    !p.anonymous &&
    (exact.has(p.raw) ||
      (p.account !== null && accounts.has(p.account)) ||
      (p.sessionBase !== null && sessionBases.has(p.sessionBase)));
}

/** Whether the caller is listed (literally) in a NotPrincipal block; the statement applies when it is not. */
export function compileNotPrincipalListed(spec: PrincipalSpec): PrincipalMatcher {
  const { all, exact, accounts } = collect(spec);
  if (all) return () => true;
  return (p) => exact.has(p.raw) || (p.root && accounts.has(p.account!));
}

/** Syntax check for one principal value. Returns an error message or null. */
export function checkPrincipalValue(type: string, v: string): string | null {
  if (v === '') return 'principal must not be empty';
  if (type !== 'AWS') {
    if (v.includes('*') || v.includes('?')) return `wildcards are not allowed in ${type} principal ${q(v)}`;
    return null;
  }
  if (v === '*' || ACCOUNT_ID.test(v)) return null;
  const parts = splitArn(v);
  if (parts === null) return `invalid principal ${q(v)}: expected "*", a 12-digit account ID or an IAM/STS ARN`;
  if (parts[2] !== 'iam' && parts[2] !== 'sts') return `invalid principal ${q(v)}: service must be iam or sts`;
  if (!ACCOUNT_ID.test(parts[4]!)) return `invalid principal ${q(v)}: account must be a 12-digit account ID`;
  if (v.includes('*') || v.includes('?')) return `invalid principal ${q(v)}: wildcards are only allowed as "*" alone`;
  if (parts[5] === '') return `invalid principal ${q(v)}: missing resource part`;
  return null;
}
