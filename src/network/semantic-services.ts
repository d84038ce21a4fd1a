/** Semantic checks of services, listeners, rules and target groups, and of the node settings. */
import { isIP } from 'node:net';
import type { LatticedConfig, RuleActionConfig } from './config-types.js';
import type { Issues } from './issues.js';
import type { Model, ServiceNode } from './model.js';

function checkAction(issues: Issues, model: Model, action: RuleActionConfig, path: string): void {
  if (action.forward === undefined) return;
  const groups = action.forward.targetGroups;
  const at = `${path}.forward.targetGroups`;
  const resolved = groups.map((g, k) => {
    const tg = model.targetGroupByIdentifier(g.targetGroupIdentifier);
    if (tg === undefined)
      issues.add(`${at}[${k}].targetGroupIdentifier`, `target group "${g.targetGroupIdentifier}" is not defined in targetGroups (by name, id or ARN)`);
    return { name: tg?.cfg.name };
  });
  issues.unique(resolved, (r) => r.name, (_, k) => `${at}[${k}].targetGroupIdentifier`, 'target group in this forward action');
  if (groups.length > 1)
    groups.forEach((g, k) => {
      if (g.weight === undefined) issues.add(`${at}[${k}].weight`, 'weight is required when a forward action has more than one target group');
    });
  if (groups.every((g) => g.weight === 0)) issues.add(at, 'every weight is 0: the action could never forward a request');
}

function checkService(issues: Issues, model: Model, svc: ServiceNode, accountIds: Set<string>): void {
  const { cfg, path } = svc;
  if (cfg.accountId !== undefined && !accountIds.has(cfg.accountId))
    issues.add(`${path}.accountId`, `account "${cfg.accountId}" is not defined in accounts`);
  if (cfg.authPolicy !== undefined) issues.policy(cfg.authPolicy, `${path}.authPolicy`, 'resource');
  issues.unique(svc.listeners, (l) => l.name, (l) => `${l.path}.name`, 'listener name');
  issues.unique(svc.listeners, (l) => String(l.port), (l) => `${l.path}.port`, 'listener port');
  const https = svc.listeners.find((l) => l.cfg.protocol === 'HTTPS');
  if (https !== undefined && cfg.certificate === undefined)
    issues.add(`${path}.certificate`, `is required: listener ${https.path} is HTTPS (give certFile and keyFile)`);
  for (const l of svc.listeners) {
    checkAction(issues, model, l.cfg.defaultAction, `${l.path}.defaultAction`);
    issues.unique(l.rules, (r) => r.name, (r) => `${r.path}.name`, 'rule name');
    issues.unique(l.rules, (r) => String(r.cfg.priority), (r) => `${r.path}.priority`, 'rule priority');
    for (const r of l.rules) checkAction(issues, model, r.cfg.action, `${r.path}.action`);
  }
}

function checkTargetGroups(issues: Issues, model: Model, config: LatticedConfig, accountIds: Set<string>): void {
  const vpcIds = new Set((config.vpcs ?? []).map((v) => v.vpcId));
  issues.unique(model.targetGroups, (t) => t.cfg.name, (t) => `${t.path}.name`, 'target group name');
  issues.uniqueIds(model.targetGroups, 'target group id');
  for (const { cfg, path } of model.targetGroups) {
    if (cfg.accountId !== undefined && !accountIds.has(cfg.accountId))
      issues.add(`${path}.accountId`, `account "${cfg.accountId}" is not defined in accounts`);
    const vpc = cfg.config.vpcIdentifier;
    if (vpc !== undefined && !vpcIds.has(vpc)) issues.add(`${path}.config.vpcIdentifier`, `VPC "${vpc}" is not defined in vpcs`);
    const hc = cfg.config.healthCheck;
    if (hc !== undefined) {
      const hp = `${path}.config.healthCheck`;
      const range = (v: number | undefined, name: string, lo: number, hi: number) => {
        if (v !== undefined && v !== 0 && (v < lo || v > hi)) issues.add(`${hp}.${name}`, `must be 0 (the default) or from ${lo} to ${hi}`);
      };
      range(hc.healthCheckIntervalSeconds, 'healthCheckIntervalSeconds', 5, 300);
      range(hc.healthCheckTimeoutSeconds, 'healthCheckTimeoutSeconds', 1, 120);
      range(hc.healthyThresholdCount, 'healthyThresholdCount', 2, 10);
      range(hc.unhealthyThresholdCount, 'unhealthyThresholdCount', 2, 10);
      if (cfg.config.protocolVersion === 'GRPC' && hc.enabled === true && hc.protocolVersion === undefined)
        issues.add(`${hp}.protocolVersion`, 'is required when health checks are enabled on a GRPC target group (HTTP1 or HTTP2)');
    }
    const targets = cfg.targets ?? [];
    targets.forEach((t, k) => {
      const tp = `${path}.targets[${k}]`;
      if (cfg.type === 'IP') {
        if (isIP(t.id) === 0) issues.add(`${tp}.id`, `"${t.id}" is not an IP address (type IP targets are addresses)`);
        if (t.address !== undefined) issues.add(`${tp}.address`, 'is only for INSTANCE targets; an IP target connects to its id');
      } else {
        if (!/^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(t.id)) issues.add(`${tp}.id`, `"${t.id}" is not an instance id such as i-0123456789abcdef0`);
        if (t.address === undefined) issues.add(`${tp}.address`, 'is required for INSTANCE targets: the IP or host name to connect to');
      }
    });
    issues.unique(targets, (t) => `${t.id}:${t.port ?? cfg.config.port}`, (_, k) => `${path}.targets[${k}]`, 'target (id:port)');
  }
}

/** One local port serves one protocol, and a host name picks at most one service on it. */
function checkPortsAndHosts(issues: Issues, model: Model): void {
  const ports = new Map<number, { protocol: string; path: string }>();
  const hosts = new Map<string, string>();
  for (const svc of model.services) {
    for (const l of svc.listeners) {
      const seen = ports.get(l.port);
      if (seen === undefined) ports.set(l.port, { protocol: l.cfg.protocol, path: l.path });
      else if (seen.protocol !== l.cfg.protocol)
        issues.add(`${l.path}.protocol`, `port ${l.port} is ${l.cfg.protocol} here but ${seen.protocol} at ${seen.path}; a port serves one protocol`);
    }
    const custom = svc.cfg.customDomainName?.toLowerCase();
    for (const [host, at] of [[svc.dnsName, `${svc.path}.name`], [custom, `${svc.path}.customDomainName`]] as const) {
      if (host === undefined) continue;
      const other = hosts.get(host);
      if (other !== undefined) issues.add(at, `host name "${host}" is already used at ${other}`);
      else hosts.set(host, at);
    }
  }
}

export function checkServices(config: LatticedConfig, model: Model, issues: Issues): void {
  const accountIds = new Set(config.accounts.map((a) => a.id));
  issues.unique(model.services, (s) => s.cfg.name, (s) => `${s.path}.name`, 'service name');
  issues.uniqueIds(model.services, 'service id');
  for (const svc of model.services) checkService(issues, model, svc, accountIds);
  const allListeners = model.services.flatMap((s) => s.listeners);
  issues.uniqueIds(allListeners, 'listener id');
  issues.uniqueIds(allListeners.flatMap((l) => l.rules), 'rule id');
  checkTargetGroups(issues, model, config, accountIds);
  checkPortsAndHosts(issues, model);
  const addr = config.node?.listenAddress;
  if (addr !== undefined && isIP(addr) === 0) issues.add('$.node.listenAddress', `"${addr}" is not an IP address`);
}
