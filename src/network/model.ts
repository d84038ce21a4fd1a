/**
 * The configuration with every resource's identity worked out: ids (generated or explicit), ARNs,
 * owning account, defaults that identity depends on (listener ports and names), and lookups by
 * name, id or ARN. Semantic validation and snapshot building both start from this.
 */
import type {
  LatticedConfig, ListenerConfig, RuleConfig, ServiceConfig, ServiceNetworkConfig, TargetGroupConfig,
} from './config-types.js';
import { arns, latticeId, serviceDnsName } from './ids.js';
import { index, member } from './json-path.js';

export interface Located<T> {
  cfg: T;
  /** JSONPath of this resource in the file. */
  path: string;
}

export interface ServiceNetworkNode extends Located<ServiceNetworkConfig> { id: string; arn: string; accountId: string }
export interface TargetGroupNode extends Located<TargetGroupConfig> { id: string; arn: string; accountId: string }
export interface RuleNode extends Located<RuleConfig> { id: string; arn: string; name: string }
export interface ListenerNode extends Located<ListenerConfig> {
  id: string; arn: string; name: string; port: number; rules: RuleNode[];
}
export interface ServiceNode extends Located<ServiceConfig> {
  id: string; arn: string; accountId: string; dnsName: string; listeners: ListenerNode[];
}

export interface Model {
  config: LatticedConfig;
  region: string;
  /** The account that owns Lattice resources without an explicit `accountId`: the first of `accounts`. */
  defaultAccountId: string;
  serviceNetworks: ServiceNetworkNode[];
  services: ServiceNode[];
  targetGroups: TargetGroupNode[];
  /** By name, id and ARN. */
  serviceByIdentifier(identifier: string): ServiceNode | undefined;
  targetGroupByIdentifier(identifier: string): TargetGroupNode | undefined;
}

export const DEFAULT_PORT = { HTTP: 80, HTTPS: 443 } as const;

function indexBy<T extends { id: string; arn: string; cfg: { name: string } }>(nodes: T[]): (s: string) => T | undefined {
  const map = new Map<string, T>();
  // First definition wins; duplicates are reported by semantic validation.
  for (const n of nodes) for (const k of [n.cfg.name, n.id, n.arn]) if (!map.has(k)) map.set(k, n);
  return (s) => map.get(s);
}

function listenerNode(cfg: ListenerConfig, path: string, service: { id: string; arn: string }): ListenerNode {
  const port = cfg.port ?? DEFAULT_PORT[cfg.protocol];
  const name = cfg.name ?? `${cfg.protocol.toLowerCase()}-${port}`;
  const id = cfg.id ?? latticeId('listener', service.id, name);
  const arn = arns.listener(service.arn, id);
  const rules = (cfg.rules ?? []).map((r, i): RuleNode => {
    const ruleName = r.name ?? `priority-${r.priority}`;
    const ruleId = r.id ?? latticeId('rule', id, ruleName);
    return { cfg: r, path: index(member(path, 'rules'), i), id: ruleId, arn: arns.rule(arn, ruleId), name: ruleName };
  });
  return { cfg, path, id, arn, name, port, rules };
}

/** Assumes the configuration passed the JSON Schema (shapes are right); references are not yet checked. */
export function buildModel(config: LatticedConfig): Model {
  const region = config.region;
  const defaultAccountId = config.accounts[0]?.id ?? '000000000000';
  const scope = (accountId: string) => ({ region, accountId });

  const serviceNetworks = (config.serviceNetworks ?? []).map((cfg, i): ServiceNetworkNode => {
    const accountId = cfg.accountId ?? defaultAccountId;
    const id = cfg.id ?? latticeId('sn', accountId, cfg.name);
    return { cfg, path: `$.serviceNetworks[${i}]`, id, arn: arns.serviceNetwork(scope(accountId), id), accountId };
  });
  const services = (config.services ?? []).map((cfg, i): ServiceNode => {
    const accountId = cfg.accountId ?? defaultAccountId;
    const id = cfg.id ?? latticeId('svc', accountId, cfg.name);
    const arn = arns.service(scope(accountId), id);
    const path = `$.services[${i}]`;
    const listeners = (cfg.listeners ?? []).map((l, j) => listenerNode(l, `${path}.listeners[${j}]`, { id, arn }));
    return { cfg, path, id, arn, accountId, dnsName: serviceDnsName(cfg.name, id, region), listeners };
  });
  const targetGroups = (config.targetGroups ?? []).map((cfg, i): TargetGroupNode => {
    const accountId = cfg.accountId ?? defaultAccountId;
    const id = cfg.id ?? latticeId('tg', accountId, cfg.name);
    return { cfg, path: `$.targetGroups[${i}]`, id, arn: arns.targetGroup(scope(accountId), id), accountId };
  });

  return {
    config,
    region,
    defaultAccountId,
    serviceNetworks,
    services,
    targetGroups,
    serviceByIdentifier: indexBy(services),
    targetGroupByIdentifier: indexBy(targetGroups),
  };
}

export function vpcAssociationId(sn: ServiceNetworkNode, vpcId: string, explicit?: string): string {
  return explicit ?? latticeId('snva', sn.id, vpcId);
}

export function serviceAssociationId(sn: ServiceNetworkNode, serviceId: string, explicit?: string): string {
  return explicit ?? latticeId('snsa', sn.id, serviceId);
}
