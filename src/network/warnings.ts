/**
 * Warnings: things that are valid but almost certainly not what was meant. They never block a
 * configuration; `latticed up` can print them. Call on a configuration that validateConfig accepted.
 */
import { validatePolicy, type PolicyKind } from '../policy/index.js';
import type { LatticedConfig } from './config-types.js';
import type { ConfigIssue } from './errors.js';
import { member } from './json-path.js';
import { buildModel } from './model.js';

export function configWarnings(config: LatticedConfig): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const policy = (doc: unknown, path: string, kind: PolicyKind) => {
    for (const w of validatePolicy(doc, { kind }).warnings) add(path + w.path.slice(1), w.message);
  };
  const model = buildModel(config);

  for (const sn of model.serviceNetworks) {
    const { cfg, path } = sn;
    if (cfg.authPolicy !== undefined) policy(cfg.authPolicy, `${path}.authPolicy`, 'resource');
    if ((cfg.authType ?? 'NONE') === 'AWS_IAM' && cfg.authPolicy === undefined)
      add(`${path}.authType`, 'AWS_IAM without an authPolicy denies every request through this service network');
    if ((cfg.authType ?? 'NONE') === 'NONE' && cfg.authPolicy !== undefined)
      add(`${path}.authPolicy`, 'is not enforced: authType is NONE');
    if ((cfg.vpcAssociations ?? []).length === 0) add(path, 'has no VPC associations: no client can reach its services');
  }

  const associated = new Set(model.serviceNetworks.flatMap((sn) => (sn.cfg.serviceAssociations ?? []).map((a) => model.serviceByIdentifier(a.serviceIdentifier)?.id)));
  const usedGroups = new Set<string>();
  for (const svc of model.services) {
    const { cfg, path } = svc;
    if (cfg.authPolicy !== undefined) policy(cfg.authPolicy, `${path}.authPolicy`, 'resource');
    if ((cfg.authType ?? 'NONE') === 'AWS_IAM' && cfg.authPolicy === undefined)
      add(`${path}.authType`, 'AWS_IAM without an authPolicy denies every request to this service');
    if ((cfg.authType ?? 'NONE') === 'NONE' && cfg.authPolicy !== undefined) add(`${path}.authPolicy`, 'is not enforced: authType is NONE');
    if (!associated.has(svc.id)) add(path, 'is not associated with any service network: it is unreachable');
    if (svc.listeners.length === 0) add(path, 'has no listeners: it is unreachable');
    for (const l of svc.listeners) {
      for (const r of l.rules)
        r.cfg.match.httpMatch.headerMatches?.forEach((h, k) => {
          if (h.name.toLowerCase().startsWith('x-amzn-lattice-'))
            add(`${r.path}.match.httpMatch.headerMatches[${k}].name`, 'x-amzn-lattice-* headers are removed from requests before routing: this match never succeeds');
        });
      for (const action of [l.cfg.defaultAction, ...l.rules.map((r) => r.cfg.action)])
        for (const g of action.forward?.targetGroups ?? []) {
          const tg = model.targetGroupByIdentifier(g.targetGroupIdentifier);
          if (tg !== undefined) usedGroups.add(tg.id);
        }
    }
  }
  for (const tg of model.targetGroups) {
    if (!usedGroups.has(tg.id)) add(tg.path, 'is not used by any listener or rule');
    if ((tg.cfg.targets ?? []).length === 0) add(`${tg.path}.targets`, 'is empty: requests forwarded here fail with 503');
  }

  for (const [i, r] of (config.roles ?? []).entries())
    for (const [name, doc] of Object.entries(r.policies ?? {})) policy(doc, member(`$.roles[${i}].policies`, name), 'identity');
  for (const [i, u] of (config.users ?? []).entries())
    for (const [name, doc] of Object.entries(u.policies ?? {})) policy(doc, member(`$.users[${i}].policies`, name), 'identity');
  return out;
}
