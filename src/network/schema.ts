/**
 * The shipped JSON Schema (schemas/latticed-config.schema.json), compiled once with ajv (draft 2020-12,
 * allErrors, ajv-formats), and its errors turned into ConfigIssues with JSONPaths and plain messages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ConfigIssue } from './errors.js';
import { member, pointerToPath } from './json-path.js';

/** Absolute path of the schema file: `schemas/` at the package root, from both src/ and dist/. */
export const CONFIG_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/latticed-config.schema.json', import.meta.url));

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
type AddFormats = (ajv: Ajv2020) => unknown;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    // Annotation only: a plain-language explanation used in place of ajv's message.
    ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
    compiled = ajv.compile(JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as object);
  }
  return compiled;
}

/** Optimal-string-alignment distance (a swap of two neighbours costs 1: `prot` -> `port`), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i, ...new Array<number>(y.length).fill(0)]);
  for (let j = 0; j <= y.length; j++) d[0]![j] = j;
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[x.length]![y.length]!;
}

/** The known field a misspelt one most likely meant, if any is close enough. */
function closest(word: string, options: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 4));
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(word, o);
    if (d < bestD) [best, bestD] = [o, d];
  }
  return bestD <= limit ? best : undefined;
}

function describe(e: ErrorObject): ConfigIssue {
  const path = pointerToPath(e.instancePath);
  const parent = (e.parentSchema ?? {}) as { 'x-hint'?: string; properties?: Record<string, unknown> };
  const props = Object.keys(parent.properties ?? {});
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: member(path, String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const hint = closest(key, props);
      return { path: member(path, key), message: `unknown field${hint === undefined ? '' : ` (did you mean "${hint}"?)`}` };
    }
    case 'minProperties':
    case 'maxProperties':
      if (parent['x-hint'] !== undefined) return { path, message: parent['x-hint'] };
      if (props.length > 0 && p.limit === 1) {
        const exactly = (parent as { maxProperties?: number }).maxProperties === 1;
        return { path, message: `must have ${exactly ? 'exactly' : 'at least'} one of: ${props.join(', ')}` };
      }
      break;
    case 'enum':
      return { path, message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'pattern':
    case 'type':
    case 'format':
      if (parent['x-hint'] !== undefined) return { path, message: parent['x-hint'] };
      break;
  }
  return { path, message: e.message ?? e.keyword };
}

/** Checks the shapes. Returns every issue (deduplicated), or an empty list. */
export function schemaIssues(raw: unknown): ConfigIssue[] {
  const validate = validator();
  if (validate(raw)) return [];
  const seen = new Set<string>();
  const out: ConfigIssue[] = [];
  for (const e of validate.errors ?? []) {
    const issue = describe(e);
    const key = `${issue.path}\0${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(issue);
    }
  }
  return out;
}
