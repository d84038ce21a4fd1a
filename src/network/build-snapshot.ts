/**
 * Compiles a validated configuration into the immutable Snapshot the data plane reads: routes keyed by
 * port then host, listener matchers, target groups, VPC lookup by most specific CIDR, per-association
 * security-group checks, compiled auth policies and the IAM view. External material (secrets,
 * certificates) is read here, once. Any problem is a ConfigError and no snapshot is produced.
 */
import { createHash } from 'node:crypto';
import { compilePolicy } from '../policy/index.js';
import type { LatticedConfig, RuleActionConfig, SecurityGroupConfig } from './config-types.js';
import { ConfigError } from './errors.js';
import { readCertificate, type CertificatePair } from './external.js';
import { configHash } from './hash.js';
import { resolveHealthCheck } from './health-check.js';
import { buildIam } from './iam-build.js';
import { arns } from './ids.js';
import { parseCidr, PrefixTable } from './ip-prefix.js';
import { Issues } from './issues.js';
import { compileListenerMatch } from './listener-match.js';
import { buildModel, serviceAssociationId, vpcAssociationId, type Model, type ServiceNode } from './model.js';
import { compileIngress } from './security-groups.js';
import { resolveSettings } from './settings.js';
import type {
  ListenerRuntime, MatchedRoute, PortBinding, RouteAction, ServiceNetworkRuntime, ServiceRuntime, Snapshot,
  TargetGroupRuntime, VpcRuntime,
} from './snapshot.js';
import { validateConfig } from './validate.js';

export interface BuildOptions {
  revision: number;
  /** Relative paths in the file (secret files, certificates, access log) resolve against this. */
  baseDir: string;
  /** Where `{ env: NAME }` secret references are read. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The configuration file, named in ConfigError messages (`FILE: PATH: message`). */
  file?: string;
}

/** Weight of a target group when a forward action lists only one and gives no weight. */
const DEFAULT_WEIGHT = 100;

function targetGroupRuntimes(model: Model): Map<string, TargetGroupRuntime> {
  const out = new Map<string, TargetGroupRuntime>();
  for (const { cfg, id, arn } of model.targetGroups) {
    const targets = (cfg.targets ?? []).map((t) => {
      const address = cfg.type === 'IP' ? t.id : t.address!;
      const port = t.port ?? cfg.config.port;
      return Object.freeze({ id: t.id, address, port, key: `${id}/${address}:${port}` });
    });
    out.set(id, Object.freeze({
      id,
      arn,
      name: cfg.name,
      type: cfg.type,
      protocol: cfg.config.protocol,
      protocolVersion: cfg.config.protocolVersion ?? 'HTTP1',
      port: cfg.config.port,
      healthCheck: resolveHealthCheck(cfg),
      targets: Object.freeze(targets),
    }));
  }
  return out;
}

function routeAction(action: RuleActionConfig, model: Model, tgs: Map<string, TargetGroupRuntime>): RouteAction {
  if (action.fixedResponse !== undefined) return Object.freeze({ type: 'fixedResponse', statusCode: action.fixedResponse.statusCode });
  const list = action.forward.targetGroups;
  const weighted = list
    .map((g) => ({ targetGroup: tgs.get(model.targetGroupByIdentifier(g.targetGroupIdentifier)!.id)!, weight: g.weight ?? DEFAULT_WEIGHT }))
    .filter((g) => g.weight > 0) // a 0 weight takes no traffic: leave it out of the pick
    .map((g) => Object.freeze(g));
  const totalWeight = weighted.reduce((sum, g) => sum + g.weight, 0);
  return Object.freeze({ type: 'forward', targetGroups: Object.freeze(weighted), totalWeight });
}

function serviceRuntime(svc: ServiceNode, model: Model, tgs: Map<string, TargetGroupRuntime>): ServiceRuntime {
  const listeners = new Map<number, ListenerRuntime>();
  for (const l of svc.listeners) {
    const defaultRoute: MatchedRoute = Object.freeze({ action: routeAction(l.cfg.defaultAction, model, tgs) });
    const rules = l.rules.map((r) => ({
      priority: r.cfg.priority,
      rule: r.cfg,
      route: Object.freeze({ ruleArn: r.arn, action: routeAction(r.cfg.action, model, tgs) }) as MatchedRoute,
    }));
    listeners.set(l.port, Object.freeze({
      id: l.id,
      arn: l.arn,
      port: l.port,
      protocol: l.cfg.protocol,
      match: compileListenerMatch(rules, defaultRoute),
    }));
  }
  const { cfg } = svc;
  return Object.freeze({
    id: svc.id,
    arn: svc.arn,
    name: cfg.name,
    dnsName: svc.dnsName,
    ...(cfg.customDomainName === undefined ? {} : { customDomainName: cfg.customDomainName.toLowerCase() }),
    authType: cfg.authType ?? 'NONE',
    ...(cfg.authPolicy === undefined ? {} : { policy: compilePolicy(cfg.authPolicy, { kind: 'resource' }) }),
    tags: Object.freeze({ ...cfg.tags }),
    listeners,
  });
}

function hostsOf(s: ServiceRuntime): string[] {
  return s.customDomainName === undefined ? [s.dnsName] : [s.dnsName, s.customDomainName];
}

function serviceNetworkRuntimes(model: Model, services: Map<string, ServiceRuntime>): Map<string, ServiceNetworkRuntime> {
  const out = new Map<string, ServiceNetworkRuntime>();
  for (const sn of model.serviceNetworks) {
    const routes = new Map<number, Map<string, ServiceRuntime>>();
    for (const a of sn.cfg.serviceAssociations ?? []) {
      const svc = services.get(model.serviceByIdentifier(a.serviceIdentifier)!.id)!;
      for (const port of svc.listeners.keys()) {
        let byHost = routes.get(port);
        if (byHost === undefined) routes.set(port, (byHost = new Map()));
        for (const host of hostsOf(svc)) byHost.set(host, svc);
      }
    }
    const { cfg } = sn;
    out.set(sn.id, Object.freeze({
      id: sn.id,
      arn: sn.arn,
      name: cfg.name,
      authType: cfg.authType ?? 'NONE',
      ...(cfg.authPolicy === undefined ? {} : { policy: compilePolicy(cfg.authPolicy, { kind: 'resource' }) }),
      routes,
    }));
  }
  return out;
}

function vpcLookup(model: Model, networks: Map<string, ServiceNetworkRuntime>): (ip: string) => VpcRuntime | undefined {
  const config = model.config;
  const groups = new Map<string, SecurityGroupConfig>((config.securityGroups ?? []).map((g) => [g.groupId, g]));
  const table = new PrefixTable<VpcRuntime>();
  for (const v of config.vpcs ?? []) {
    let association: VpcRuntime['association'];
    for (const sn of model.serviceNetworks) {
      const a = sn.cfg.vpcAssociations?.find((x) => x.vpcIdentifier === v.vpcId);
      if (a === undefined) continue;
      const id = vpcAssociationId(sn, v.vpcId, a.id);
      const securityGroupIds = Object.freeze([...(a.securityGroupIds ?? [])]);
      association = Object.freeze({
        id,
        arn: arns.vpcAssociation({ region: model.region, accountId: sn.accountId }, id),
        serviceNetwork: networks.get(sn.id)!,
        securityGroupIds,
        allowsIngress: compileIngress(securityGroupIds, groups),
      });
    }
    const runtime: VpcRuntime = Object.freeze({
      id: v.vpcId,
      arn: arns.vpc({ region: model.region, accountId: v.ownerId }, v.vpcId),
      ownerAccount: v.ownerId,
      ...(association === undefined ? {} : { association }),
    });
    for (const c of v.cidrBlocks) {
      const cidr = parseCidr(c);
      if (typeof cidr !== 'string') table.add(cidr, runtime);
    }
  }
  return (ip) => table.lookup(ip);
}

async function portBindings(
  model: Model,
  services: Map<string, ServiceRuntime>,
  baseDir: string,
  issues: Issues,
  material: string[],
): Promise<Map<number, PortBinding>> {
  const certs = new Map<string, CertificatePair | undefined>();
  for (const svc of model.services) {
    if (svc.cfg.certificate === undefined || !svc.listeners.some((l) => l.cfg.protocol === 'HTTPS')) continue;
    const pair = await readCertificate(svc.cfg.certificate, `${svc.path}.certificate`, baseDir, issues);
    if (pair !== undefined) material.push(pair.cert, pair.key);
    certs.set(svc.id, pair);
  }
  const out = new Map<number, { port: number; protocol: 'HTTP' | 'HTTPS'; certificates: PortBinding['certificates'][number][] }>();
  for (const svc of model.services) {
    for (const l of svc.listeners) {
      let binding = out.get(l.port);
      if (binding === undefined) out.set(l.port, (binding = { port: l.port, protocol: l.cfg.protocol, certificates: [] }));
      const pair = certs.get(svc.id);
      if (l.cfg.protocol === 'HTTPS' && pair !== undefined)
        binding.certificates.push(Object.freeze({ serverNames: Object.freeze(hostsOf(services.get(svc.id)!)), cert: pair.cert, key: pair.key }));
    }
  }
  return new Map([...out].map(([port, b]) => [port, Object.freeze({ ...b, certificates: Object.freeze(b.certificates) })]));
}

/**
 * Builds a snapshot. Validates again first (a bad configuration never becomes a snapshot), then reads
 * secrets and certificates. Throws ConfigError listing every problem.
 */
export async function buildSnapshot(config: LatticedConfig, options: BuildOptions): Promise<Snapshot> {
  const invalid = validateConfig(config);
  if (invalid.length > 0) throw new ConfigError(invalid, options.file);
  const issues = new Issues();
  const model = buildModel(config);
  const { iam, secrets } = await buildIam(config, options.baseDir, options.env ?? process.env, issues);
  const targetGroups = targetGroupRuntimes(model);
  const services = new Map(model.services.map((s) => [s.id, serviceRuntime(s, model, targetGroups)]));
  const serviceNetworks = serviceNetworkRuntimes(model, services);
  const material = [...secrets];
  const ports = await portBindings(model, services, options.baseDir, issues, material);
  if (issues.list.length > 0) throw new ConfigError(issues.list, options.file);

  // The hash covers what the file refers to as well, so that rotating a secret or a certificate
  // without editing the file still makes a new snapshot. Only digests of the material enter it.
  const h = createHash('sha256').update(configHash(config));
  for (const m of material) h.update('\0').update(createHash('sha256').update(m).digest('hex'));

  return Object.freeze({
    revision: options.revision,
    hash: h.digest('hex'),
    region: config.region,
    iam,
    vpcForAddress: vpcLookup(model, serviceNetworks),
    ports,
    targetGroups,
    settings: resolveSettings(config.node, options.baseDir),
    serviceNetworks,
    services,
  });
}
