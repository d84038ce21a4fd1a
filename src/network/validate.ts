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

function underAny(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`));
}

/**
 * Semantic checks also run when the shapes are wrong, so one pass reports as much as it can. A check
 * that trips over a malformed value is skipped (its schema error is already reported), and semantic
 * issues at or under a path with a schema error are dropped as consequences of it.
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
  const roots = shape.map((i) => i.path);
  return [...shape, ...issues.list.filter((i) => !underAny(i.path, roots))];
}
