/**
 * `latticed policy simulate`: evaluates one request (`--request`) or many (`--cases FILE.jsonl`)
 * against the given auth and identity policies, with the library the data plane uses.
 */
import { readFileSync } from 'node:fs';
import {
  authorizeLattice,
  buildRequestContext,
  compilePolicy,
  evaluatePolicy,
  PolicyValidationError,
  type AuthType,
  type CompiledPolicy,
  type HttpRequestDescription,
  type LatticeAuthorization,
  type PolicyKind,
} from '../policy/index.js';
import { humanLines, latticeJson, policyJson, type LayerFiles, type SimulationJson } from './policy-output.js';
import { parseRequest, parseRequestText, RequestError, type ParsedRequest } from './policy-request.js';

export interface SimulateOptions {
  servicePolicy?: string;
  serviceAuthType?: string;
  networkPolicy?: string;
  networkAuthType?: string;
  identityPolicy?: string[];
  skipIdentity?: boolean;
  /** A single policy for raw IAM requests. */
  policy?: string;
  kind?: string;
  request?: string;
  cases?: string;
  serviceArn?: string;
  serviceNetworkArn?: string;
  json?: boolean;
}

/** A user error: printed as is, exit status 1. */
export class CliError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'CliError';
  }
}

interface Loaded {
  file: string;
  policy: CompiledPolicy;
  kind: PolicyKind;
}

export function loadPolicy(file: string, kind: PolicyKind): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError([`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  try {
    return { file, policy: compilePolicy(text, { kind }), kind };
  } catch (e) {
    if (e instanceof PolicyValidationError) throw new CliError(e.issues.map((i) => `${file}: ${i.path}: ${i.message}`));
    throw e;
  }
}

function authType(flag: string, value: string | undefined, hasPolicy: boolean): AuthType {
  if (value === undefined) return hasPolicy ? 'AWS_IAM' : 'NONE';
  const v = value.toUpperCase();
  if (v !== 'NONE' && v !== 'AWS_IAM') throw new CliError([`${flag}: must be NONE or AWS_IAM, got "${value}"`]);
  return v;
}

function parseKind(kind: string | undefined): PolicyKind {
  if (kind === undefined || kind === 'resource' || kind === 'identity') return kind ?? 'resource';
  throw new CliError([`--kind: must be resource or identity, got "${kind}"`]);
}

/** Everything a simulation needs, loaded and compiled once. */
export class Simulator {
  readonly auth: LatticeAuthorization;
  readonly files: LayerFiles;
  /** The policy a raw IAM request is checked against, when exactly one was given. */
  readonly single: Loaded | undefined;
  readonly defaults: Partial<HttpRequestDescription>;

  constructor(o: SimulateOptions) {
    const identity = (o.identityPolicy ?? []).map((f) => loadPolicy(f, 'identity'));
    const network = o.networkPolicy !== undefined ? loadPolicy(o.networkPolicy, 'resource') : undefined;
    const service = o.servicePolicy !== undefined ? loadPolicy(o.servicePolicy, 'resource') : undefined;
    const own = o.policy !== undefined ? loadPolicy(o.policy, parseKind(o.kind)) : undefined;
    this.auth = {
      identityPolicies: identity.map((l) => l.policy),
      network: { authType: authType('--network-auth-type', o.networkAuthType, network !== undefined) },
      service: { authType: authType('--service-auth-type', o.serviceAuthType, service !== undefined) },
    };
    if (network !== undefined) this.auth.network!.policy = network.policy;
    if (service !== undefined) this.auth.service!.policy = service.policy;
    if (o.skipIdentity === true) this.auth.skipIdentity = true;
    this.files = { identity: identity.map((l) => l.file) };
    if (network !== undefined) this.files.network = network.file;
    if (service !== undefined) this.files.service = service.file;
    const all = [own, ...identity, network, service].filter((x): x is Loaded => x !== undefined);
    this.single = own ?? (all.length === 1 ? all[0] : undefined);
    this.defaults = {};
    if (o.serviceArn !== undefined) this.defaults.serviceArn = o.serviceArn;
    if (o.serviceNetworkArn !== undefined) this.defaults.serviceNetworkArn = o.serviceNetworkArn;
  }

  run(req: ParsedRequest): SimulationJson {
    if (req.form === 'iam') {
      if (this.single === undefined)
        throw new RequestError(['$: a raw IAM request ({action, resource, principal, context}) is checked against exactly one policy: give --policy FILE']);
      return policyJson(evaluatePolicy(this.single.policy, req.iam, { explain: true }));
    }
    return latticeJson(authorizeLattice(this.auth, buildRequestContext(req.http), { explain: true }), this.files);
  }
}

/** Whether a result meets a case's `expected`: a decision, or the layer that denied. */
export function meetsExpectation(result: SimulationJson, expected: string): boolean {
  switch (expected) {
    case 'Allow':
      return result.allowed;
    case 'Deny':
      return !result.allowed;
    case 'ExplicitDeny':
      return result.decision === 'ExplicitDeny' || (result.decision === 'Deny' && result.denial === 'explicit');
    case 'ImplicitDeny':
      return result.decision === 'ImplicitDeny' || (result.decision === 'Deny' && result.denial === 'implicit');
    default:
      return !result.allowed && result.layer === expected;
  }
}

function readRequestOption(value: string): string {
  if (!value.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch (e) {
    throw new CliError([`--request ${value}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
}

/** `simulate --request`: prints the result, for people or as JSON. Returns the exit status. */
export function simulateOne(o: SimulateOptions, out: (line: string) => void): number {
  const sim = new Simulator(o);
  let parsed: ParsedRequest;
  try {
    parsed = parseRequestText(readRequestOption(o.request!), sim.defaults);
  } catch (e) {
    if (e instanceof RequestError) throw new CliError(e.issues.map((i) => `--request: ${i}`));
    throw e;
  }
  let result: SimulationJson;
  try {
    result = sim.run(parsed);
  } catch (e) {
    if (e instanceof RequestError) throw new CliError(e.issues.map((i) => `--request: ${i}`));
    throw e;
  }
  if (o.json === true) out(JSON.stringify(result, null, 2));
  else for (const l of humanLines(result)) out(l);
  if (parsed.case.expected !== undefined && !meetsExpectation(result, parsed.case.expected)) return 1;
  return 0;
}

/**
 * `simulate --cases FILE.jsonl`: one JSON result per non-blank line, in order. A line that is not a
 * valid request prints `{line, error}`. Returns 1 when any line failed or missed its `expected`.
 */
export function simulateCases(o: SimulateOptions, out: (line: string) => void): number {
  const sim = new Simulator(o);
  let text: string;
  try {
    text = readFileSync(o.cases!, 'utf8');
  } catch (e) {
    throw new CliError([`${o.cases}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  let status = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const line = i + 1;
    try {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (e) {
        throw new RequestError([`$: not valid JSON: ${(e as Error).message}`]);
      }
      const parsed = parseRequest(value, sim.defaults);
      const result = sim.run(parsed);
      const record: Record<string, unknown> = { line };
      if (parsed.case.name !== undefined) record.name = parsed.case.name;
      Object.assign(record, result);
      if (parsed.case.expected !== undefined) {
        record.expected = parsed.case.expected;
        record.ok = meetsExpectation(result, parsed.case.expected);
        if (record.ok !== true) status = 1;
      }
      out(JSON.stringify(record));
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      status = 1;
      out(JSON.stringify({ line, error: e.issues.map((x) => `${o.cases}:${line}: ${x}`) }));
    }
  }
  return status;
}
