/**
 * Conformance against cloud-copilot/iam-simulate's core-engine test cases (AGPL-3.0: read at test
 * time from ../shared/vectors, never copied). Every case whose inputs are identity policies and/or
 * one resource policy must reproduce iam-simulate's Allowed / ImplicitlyDenied / ExplicitlyDenied.
 * A case is excluded only for a property of its inputs (see REASONS), never for its outcome: an
 * out-of-scope policy type, a simulator-only query mode, an input AWS would reject, or an AWS service
 * rule that decides regardless of the policies. Wildcard-only actions (request resource "*") run.
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

interface OrgLevel {
  orgIdentifier: string;
  policies: object[];
}

interface Statement {
  Resource?: string | string[];
  NotResource?: string | string[];
}

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
  serviceControlPolicies?: OrgLevel[];
  resourceControlPolicies?: OrgLevel[];
  sessionPolicy?: object;
  endpointPolicies?: object[];
  simulation?: { mode?: string };
  expected: { response: 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied' };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.json') ? [p] : [];
  });
}

/** The case's resource policies, whichever field holds them. */
function resourceDocs(c: Case): object[] {
  return [...(c.resourcePolicy === undefined ? [] : [c.resourcePolicy]), ...(c.resourcePolicies ?? [])];
}

/** Every Resource and NotResource value of every policy in the case. */
function resourcePatterns(c: Case): string[] {
  const docs = [...c.identityPolicies, ...resourceDocs(c)];
  return docs
    .flatMap((d) => [(d as { Statement: Statement | Statement[] }).Statement].flat())
    .flatMap((s) => [s.Resource ?? [], s.NotResource ?? []].flat());
}

const AWS_MANAGED_RESOURCE = /:role\/aws-reserved\/|:iam::aws:policy\/|:alias\/aws\//;
/** IAM access levels Write, Permissions management and Tagging (the verbs the managed-resource cases use). */
const MUTATING_ACTION = /^[a-z0-9-]+:(Create|Delete|Update|Put|Attach|Detach|Tag|Untag|Set|Pass)/i;

/** Why a case is excluded: a short name (the summary's group) and what it means. */
const REASONS = {
  SCPs: 'an SCP document (an organisation level with no SCP denies everything, so it counts too)',
  RCPs: 'an RCP document (a level with none is RCPFullAWSAccess, which AWS attaches everywhere: not counted)',
  'permission boundaries': 'a non-empty permissionBoundaries list',
  'session policy': 'a session policy',
  'endpoint policies': 'a non-empty endpointPolicies list',
  'several resource policies': 'more than one resource policy',
  'simulator Discovery mode':
    'iam-simulate answers "allowed for some values of the context keys the request leaves unknown" ' +
    '(conditions on them are ignored, denies become escapes): not the decision for the request as given',
  'invalid identity policy':
    'IAM rejects the identity policy when it is attached (MalformedPolicyDocument), so AWS never evaluates it; ' +
    'our engine rejects it the same way',
  'simulator resource-pattern query':
    'the request resource is a pattern and the action is not wildcard-only: iam-simulate reads it as ' +
    '"any matching resource" (an Allow applies if it overlaps, a Deny only if it covers it); AWS matches a ' +
    'request ARN literally. Both readings agree when every policy resource is "*", so only cases naming ' +
    'another resource are excluded',
  'AWS service rule: sts:GetCallerIdentity':
    'needs no permission and works even under an explicit deny (STS API reference): not a policy decision',
  'AWS service rule: AWS-managed resource':
    'a mutating action on an AWS-owned resource (AWS managed policy, aws-reserved Identity Center role, alias/aws/ ' +
    'KMS alias): iam-simulate models the service refusing it, which no policy can grant',
} as const;
type Reason = keyof typeof REASONS;

/**
 * Every reason that excludes a case, most basic first; empty when it runs. Decided from the inputs
 * only, never from the expected answer.
 */
function exclusions(c: Case): { reason: Reason; detail?: string }[] {
  const out: { reason: Reason; detail?: string }[] = [];
  const add = (reason: Reason, detail?: string) => out.push(detail === undefined ? { reason } : { reason, detail });
  if ((c.serviceControlPolicies?.length ?? 0) > 0) add('SCPs');
  if (c.resourceControlPolicies?.some((l) => l.policies.length > 0)) add('RCPs');
  if ((c.permissionBoundaries?.length ?? 0) > 0) add('permission boundaries');
  if (c.sessionPolicy !== undefined) add('session policy');
  if ((c.endpointPolicies?.length ?? 0) > 0) add('endpoint policies');
  if (resourceDocs(c).length > 1) add('several resource policies');
  if (c.simulation?.mode !== undefined && c.simulation.mode !== 'Strict') add('simulator Discovery mode', c.simulation.mode);
  const invalid = c.identityPolicies
    .map((p) => validatePolicy(p, { kind: 'identity' }).errors[0])
    .find((e) => e !== undefined);
  if (invalid !== undefined) add('invalid identity policy', `${invalid.path}: ${invalid.message}`);
  const { action } = c.request;
  const { resource } = c.request.resource;
  if (/[*?]/.test(resource) && c.request.wildcardOnlyAction !== true && resourcePatterns(c).some((r) => r !== '*'))
    add('simulator resource-pattern query', resource);
  if (/^sts:GetCallerIdentity$/i.test(action)) add('AWS service rule: sts:GetCallerIdentity');
  if (AWS_MANAGED_RESOURCE.test(resource) && MUTATING_ACTION.test(action))
    add('AWS service rule: AWS-managed resource', `${action} on ${resource}`);
  return out;
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
  const resourceDoc = resourceDocs(c)[0];
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
  (JSON.parse(readFileSync(f, 'utf8')) as Case[]).map((c) => ({ file: path.relative(root, f), c, reasons: exclusions(c) })),
);
const runnable = cases.filter(({ reasons }) => reasons.length === 0);
const excluded = cases.filter(({ reasons }) => reasons.length > 0);

/** Counts by first reason, then every excluded case with all its reasons. */
function report(): string {
  const counts = new Map<Reason, number>();
  for (const { reasons } of excluded) counts.set(reasons[0]!.reason, (counts.get(reasons[0]!.reason) ?? 0) + 1);
  return [
    `iam-simulate: ${runnable.length} of ${cases.length} cases run, ${excluded.length} excluded (counted by first reason):`,
    ...[...counts].sort((a, b) => b[1] - a[1]).map(([r, n]) => `  ${String(n).padStart(3)}  ${r}: ${REASONS[r]}`),
    'excluded cases:',
    ...excluded.map(
      ({ file, c, reasons }) =>
        `  ${file}: "${c.name}" (${reasons.map(({ reason, detail }) => (detail === undefined ? reason : `${reason}: ${detail}`)).join('; ')})`,
    ),
  ].join('\n');
}

describe('iam-simulate conformance (identity + one resource policy)', () => {
  it('finds the vectors and excludes only out-of-scope cases', () => {
    expect(cases.length).toBeGreaterThan(400);
    console.log(report());
    // The exclusions must not swallow plain identity/resource-policy cases wholesale.
    expect(runnable.length).toBeGreaterThan(cases.length / 2);
  });

  it.each(runnable.map(({ file, c }) => [`${file}: ${c.name}`, c] as const))('%s', (_name, c) => {
    expect(run(c)).toBe(c.expected.response);
  });
});
