/**
 * Conformance against cloud-copilot/iam-simulate's core-engine test cases (AGPL-3.0: read at test
 * time from ../shared/vectors, never copied). Every case whose inputs are identity policies and/or
 * one resource policy must reproduce iam-simulate's Allowed / ImplicitlyDenied / ExplicitlyDenied.
 *
 * Combining rules (AWS "Policy evaluation logic", same-account and cross-account):
 *  - an explicit deny in any policy wins;
 *  - same account (or a caller with no account: anonymous, service principal): identity OR resource
 *    policy must allow;
 *  - cross account: identity AND resource policy must allow.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  evaluatePolicy,
  prepareRequest,
  validatePolicy,
  type CompiledPolicy,
  type PolicyResult,
  type PreparedRequest,
} from '../../src/policy/index.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const root = path.resolve(projectRoot, '../shared/vectors/iam-simulate-AGPL/src/core_engine/coreEngineTests');

interface Case {
  name: string;
  request: {
    action: string;
    resource: { resource: string; accountId: string };
    principal: string | { type: string };
    context?: Record<string, string | string[]>;
    wildcardOnlyAction?: boolean;
  };
  identityPolicies: object[];
  resourcePolicy?: object;
  resourcePolicies?: object[];
  permissionBoundaries?: object[];
  serviceControlPolicies?: unknown[];
  resourceControlPolicies?: unknown[];
  sessionPolicy?: object;
  endpointPolicies?: unknown[];
  simulation?: { mode?: string };
  expected: { response: 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied' };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.json') ? [p] : [];
  });
}

/** Why a case is out of scope, or null when it runs. */
function exclusion(c: Case): string | null {
  const present = (x: unknown) => x !== undefined && (!Array.isArray(x) || x.length > 0);
  if (present(c.serviceControlPolicies)) return 'SCPs';
  if (present(c.resourceControlPolicies)) return 'RCPs';
  if (present(c.permissionBoundaries)) return 'permission boundaries';
  if (present(c.sessionPolicy)) return 'session policy';
  if (present(c.endpointPolicies)) return 'endpoint policies';
  if (c.simulation?.mode !== undefined && c.simulation.mode !== 'Strict')
    return `simulator ${c.simulation.mode} mode (ignores conditions; not a decision)`;
  const resource = c.request.resource.resource;
  if (/[*?]/.test(resource))
    return `request resource "${resource}" is a wildcard (simulator question "could any matching resource pass?"; a real request names one resource)`;
  if (/:role\/aws-reserved\/|:iam::aws:policy\/|:alias\/aws\//.test(resource))
    return 'AWS-managed resource: AWS refuses changes whatever the policies say (a service rule, not policy language)';
  const invalid = c.identityPolicies
    .map((p) => validatePolicy(p, { kind: 'identity' }).errors[0])
    .find((e) => e !== undefined);
  if (invalid !== undefined) return `identity policy AWS would reject: ${invalid.path}: ${invalid.message}`;
  if ((c.resourcePolicies?.length ?? 0) > 1) return 'several resource policies';
  return null;
}

function accountOf(principal: string): string | undefined {
  const parts = principal.split(':');
  return principal.startsWith('arn:') && (parts[2] === 'iam' || parts[2] === 'sts') ? parts[4] : undefined;
}

const ACCOUNT_PRINCIPAL = /^(\d{12}|arn:[^:]+:iam::\d{12}:root)$/;

/**
 * Whether a resource policy's Allow names the caller itself rather than only the caller's account.
 * An account principal delegates to the account's identity policies ("Cross-account policy
 * evaluation logic"; KMS "Allows access to the AWS account and enables IAM policies").
 */
function grantsDirectly(policy: CompiledPolicy, result: PolicyResult, req: PreparedRequest): boolean {
  return result.determining.some(({ index }) => {
    const s = policy.policy.statements[index]!;
    if (s.principal === undefined || s.principal === '*') return true;
    const spec = Object.fromEntries(
      Object.entries(s.principal).map(([t, vs]) => [t, t === 'AWS' ? vs.filter((v) => !ACCOUNT_PRINCIPAL.test(v)) : vs]),
    );
    if (Object.values(spec).every((vs) => vs.length === 0)) return false;
    const only = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: spec, Action: '*', Resource: '*' }] }, { kind: 'resource' });
    return evaluatePolicy(only, req).decision === 'Allow';
  });
}

/**
 * Services whose resource policy must itself allow, even in the same account: KMS key policies and
 * role trust policies (sts:AssumeRole*).
 */
function resourcePolicyRequired(action: string, resource: string): boolean {
  return (action.startsWith('kms:') && resource.includes(':key/')) || /^sts:AssumeRole/i.test(action);
}

function run(c: Case): string {
  const principal = typeof c.request.principal === 'string' ? c.request.principal : 'anonymous';
  const req = prepareRequest({
    principal,
    action: c.request.action,
    resource: c.request.resource.resource,
    resourceAccount: c.request.resource.accountId,
    context: c.request.context ?? {},
  });
  const identity: PolicyResult[] = c.identityPolicies.map((p) => evaluatePolicy(compilePolicy(p, { kind: 'identity' }), req));
  const resourceDoc = c.resourcePolicy ?? c.resourcePolicies?.[0];
  const compiled =
    resourceDoc === undefined
      ? undefined
      : compilePolicy(resourceDoc, { kind: 'resource', maxBytes: 0, requireResource: false, requirePrincipal: false });
  const resource = compiled === undefined ? undefined : evaluatePolicy(compiled, req);
  const all = resource === undefined ? identity : [...identity, resource];
  if (all.some((r) => r.decision === 'ExplicitDeny')) return 'ExplicitlyDenied';
  const identityAllows = identity.some((r) => r.decision === 'Allow');
  const resourceAllows = resource?.decision === 'Allow';
  const direct = resourceAllows && grantsDirectly(compiled!, resource!, req);
  const account = accountOf(principal);
  const sameAccount = account === undefined || account === c.request.resource.accountId;
  let allowed: boolean;
  if (!sameAccount) allowed = identityAllows && resourceAllows;
  else if (resourcePolicyRequired(c.request.action, c.request.resource.resource)) allowed = direct || (resourceAllows && identityAllows);
  else allowed = identityAllows || direct;
  return allowed ? 'Allowed' : 'ImplicitlyDenied';
}

const cases = files(root).flatMap((f) =>
  (JSON.parse(readFileSync(f, 'utf8')) as Case[]).map((c) => ({ file: path.relative(root, f), c })),
);
const runnable = cases.filter(({ c }) => exclusion(c) === null);
const excluded = cases.filter(({ c }) => exclusion(c) !== null);

describe('iam-simulate conformance (identity + one resource policy)', () => {
  it('finds the vectors', () => {
    expect(cases.length).toBeGreaterThan(400);
    console.log(`iam-simulate: ${runnable.length} of ${cases.length} cases run, ${excluded.length} excluded:`);
    for (const { file, c } of excluded) console.log(`  excluded ${file}: "${c.name}" (${exclusion(c)})`);
  });

  it.each(runnable.map(({ file, c }) => [`${file}: ${c.name}`, c] as const))('%s', (_name, c) => {
    expect(run(c)).toBe(c.expected.response);
  });
});
