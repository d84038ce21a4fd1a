/**
 * The request JSON of `latticed policy simulate`: the HTTP-level form (what the data plane sees) or
 * the raw IAM form `{action, resource, principal, context}`. Checked against a JSON Schema, so that
 * a typo is an error naming the field, never silently ignored.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { EvaluationRequest, HttpRequestDescription } from '../policy/index.js';

/** Fields a `--cases` line may carry beside the request. */
export interface CaseFields {
  expected?: string;
  name?: string;
}

export type ParsedRequest =
  | { form: 'http'; http: HttpRequestDescription; case: CaseFields }
  | { form: 'iam'; iam: EvaluationRequest; case: CaseFields };

export const EXPECTED_VALUES = ['Allow', 'Deny', 'ExplicitDeny', 'ImplicitDeny', 'Identity', 'Network', 'Service'] as const;

const str = { type: 'string' };
const strMap = { type: 'object', additionalProperties: { type: 'string' } };
const strOrList = { description: 'a string or a list of strings', anyOf: [str, { type: 'array', items: str }] };
const caseProps = { expected: { enum: EXPECTED_VALUES }, name: str };

const httpSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'path', 'serviceArn'],
  properties: {
    ...caseProps,
    principal: str,
    principalAccount: str,
    principalOrgId: str,
    principalOrgPaths: { type: 'array', items: str },
    principalTags: strMap,
    principalType: { enum: ['Anonymous', 'AssumedRole', 'User', 'FederatedUser', 'Account'] },
    principalRoleArn: str,
    userId: str,
    sessionName: str,
    sourceIdentity: str,
    principalIsAWSService: { type: 'boolean' },
    method: { type: 'string', minLength: 1 },
    path: { type: 'string', pattern: '^/' },
    headers: { type: 'object', additionalProperties: strOrList },
    query: { type: 'object', additionalProperties: strOrList },
    port: { description: 'a port number, 1 to 65535', anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'string', pattern: '^[0-9]{1,5}$' }] },
    serviceArn: { type: 'string', pattern: '^arn:' },
    serviceNetworkArn: str,
    sourceVpc: str,
    sourceVpcOwnerAccount: str,
    sourceIp: str,
    resourceTags: strMap,
    secureTransport: { type: 'boolean' },
    time: { description: 'an RFC 3339 date-time or epoch milliseconds', anyOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }] },
  },
};

const iamSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'resource'],
  properties: {
    ...caseProps,
    principal: str,
    action: { type: 'string', minLength: 1 },
    resource: { type: 'string', minLength: 1 },
    resourceAccount: str,
    context: {
      type: 'object',
      additionalProperties: {
        description: 'a string, number or boolean, or a list of them',
        anyOf: [str, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { anyOf: [str, { type: 'number' }, { type: 'boolean' }] } }],
      },
    },
  },
};

// verbose: errors carry their schema, whose `description` names what an anyOf accepts.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
// RFC 3339 date-time, without pulling in every format of ajv-formats.
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)));
const validateHttp = ajv.compile(httpSchema);
const validateIam = ajv.compile(iamSchema);

/** A request that is not valid; each issue is `$.field: reason`. */
export class RequestError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(issues.join('; '));
    this.name = 'RequestError';
  }
}

function jsonPath(pointer: string): string {
  let out = '$';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
  const list = errors ?? [];
  // Where an anyOf failed, its branches' errors are noise: say what the field accepts instead.
  const anyOf = new Set(list.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out: string[] = [];
  for (const e of list) {
    const at = jsonPath(e.instancePath);
    if (e.keyword === 'anyOf') {
      const what = (e.parentSchema as { description?: string } | undefined)?.description;
      out.push(`${at}: must be ${what ?? 'of another type'}`);
    } else if (anyOf.has(e.instancePath) || [...anyOf].some((p) => e.instancePath.startsWith(`${p}/`))) continue;
    else if (e.keyword === 'additionalProperties') out.push(`${at}: unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`);
    else if (e.keyword === 'required') out.push(`${at}: missing field ${JSON.stringify((e.params as { missingProperty: string }).missingProperty)}`);
    else if (e.keyword === 'enum') out.push(`${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`);
    else out.push(`${at}: ${e.message ?? 'is invalid'}`);
  }
  return out.length > 0 ? [...new Set(out)] : ['$: is invalid'];
}

function caseFields(v: Record<string, unknown>): CaseFields {
  const c: CaseFields = {};
  if (typeof v.expected === 'string') c.expected = v.expected;
  if (typeof v.name === 'string') c.name = v.name;
  return c;
}

function stripCase(v: Record<string, unknown>): Record<string, unknown> {
  const { expected: _e, name: _n, ...rest } = v;
  return rest;
}

/**
 * Reads one request (already JSON-parsed). The raw IAM form is recognised by an `action`, `resource`
 * or `context` field; anything else is the HTTP form. `defaults` fill HTTP-form fields left out.
 */
export function parseRequest(value: unknown, defaults: Partial<HttpRequestDescription> = {}): ParsedRequest {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RequestError(['$: a request must be a JSON object']);
  const v = value as Record<string, unknown>;
  if ('action' in v || 'resource' in v || 'context' in v) {
    if (!validateIam(v)) throw new RequestError(describe(validateIam.errors));
    const r = stripCase(v) as { principal?: string; action: string; resource: string; resourceAccount?: string; context?: Record<string, unknown> };
    const context: Record<string, string | string[]> = {};
    for (const [k, x] of Object.entries(r.context ?? {})) context[k] = Array.isArray(x) ? x.map(String) : String(x);
    const iam: EvaluationRequest = { principal: r.principal ?? 'anonymous', action: r.action, resource: r.resource, context };
    if (r.resourceAccount !== undefined) iam.resourceAccount = r.resourceAccount;
    return { form: 'iam', iam, case: caseFields(v) };
  }
  const merged = { ...defaults, ...v };
  if (!validateHttp(merged)) throw new RequestError(describe(validateHttp.errors));
  return { form: 'http', http: stripCase(merged) as unknown as HttpRequestDescription, case: caseFields(v) };
}

/** Parses request text (`--request`): inline JSON. */
export function parseRequestText(text: string, defaults?: Partial<HttpRequestDescription>): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RequestError([`$: not valid JSON: ${(e as Error).message}`]);
  }
  return parseRequest(value, defaults);
}
