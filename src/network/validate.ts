/**
 * validateConfig: the JSON Schema (shapes, unknown fields, ranges) plus semantic checks (references,
 * duplicates, conflicts, auth policies through src/policy). Returns every issue with its JSONPath.
 */
import type { LatticedConfig } from './config-types.js';
import type { ConfigIssue } from './errors.js';
import { Issues } from './issues.js';
import { buildModel, type Model } from './model.js';
import { schemaIssues } from './schema.js';
import { checkIdentity } from './semantic-identity.js';
import { checkNetwork } from './semantic-network.js';
import { checkServices } from './semantic-services.js';

function under(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);
}

/** The object holding the field at `path` (`$.a[0].b` -> `$.a[0]`); a top-level field stands for itself. */
function owner(path: string): string {
  const parent = path.replace(/(\.[A-Za-z_$][A-Za-z0-9_$]*|\[\d+\]|\['(?:[^'\\]|\\.)*'\])$/, '');
  return parent === '$' ? path : parent;
}

/** A semantic issue about a resource whose shape is already wrong (at its path or named in it) is noise. */
function consequence(issue: ConfigIssue, owners: readonly string[]): boolean {
  return owners.some((o) => under(issue.path, o) || issue.message.includes(o));
}

/**
 * Semantic checks also run when the shapes are wrong, so one pass reports as much as it can. A check
 * that trips over a malformed value is skipped (its schema error is already reported), and semantic
 * issues about an object that has a schema error are dropped as likely consequences of it.
 */
export function validateConfig(raw: unknown): ConfigIssue[] {
  const shape = schemaIssues(raw);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return shape;
  const config = raw as LatticedConfig;
  const issues = new Issues();
  let model: Model | undefined;
  try {
    model = buildModel(config);
  } catch {
    return shape;
  }
  const checks = [
    () => checkIdentity(config, issues),
    () => checkNetwork(config, model, issues),
    () => checkServices(config, model, issues),
  ];
  for (const check of checks) {
    const before = issues.list.length;
    try {
      check();
    } catch (e) {
      if (shape.length === 0) throw e;
      issues.list.length = before;
    }
  }
  const owners = shape.map((i) => owner(i.path));
  return [...shape, ...issues.list.filter((i) => !consequence(i, owners))];
}
