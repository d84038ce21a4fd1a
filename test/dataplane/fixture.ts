/**
 * Hand-built snapshots and real upstream servers on 127.0.0.1 for data-plane tests. Nothing here
 * depends on src/network's config loader: the Snapshot interfaces are implemented directly.
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startDataPlane, type DataPlane, type DataPlaneOptions } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { compilePolicy, type AuthType } from '../../src/policy/index.js';
import type {
  ListenerRuntime,
  NodeSettings,
  PortBinding,
  RouteAction,
  ServiceNetworkRuntime,
  ServiceRuntime,
  Snapshot,
  TargetGroupRuntime,
  VpcRuntime,
} from '../../src/network/snapshot.js';
import type { IamSnapshot } from '../../src/iam/types.js';
import { resolveHealthCheck } from '../../src/network/health-check.js';

export const REGION = 'us-west-2';
export const ACCOUNT = '123456789012';
export const PORT = 80;

export interface TargetGroupSpec {
  id: string;
  port: number;
  protocolVersion?: 'HTTP1' | 'HTTP2' | 'GRPC';
  targets?: { address: string; port: number }[];
  healthCheck?: Partial<TargetGroupRuntime['healthCheck']>;
}

export interface RuleSpec {
  pathPrefix?: string;
  method?: string;
  action: RouteAction | { targetGroups: [string, number][] };
}

export interface ServiceSpec {
  name: string;
  id?: string;
  authType?: AuthType;
  policy?: object;
  ports?: number[];
  rules?: RuleSpec[];
  /** Default action: target-group ids with weights. */
  forward: [string, number][];
  customDomainName?: string;
}

export interface VpcSpec {
  id: string;
  /** Exact source addresses of this VPC (tests use distinct 127.x addresses). */
  addresses: string[];
  /** Associated with the service network? Default true. */
  associated?: boolean;
  /** Ports its security groups allow. Default: every port. */
  allowPorts?: number[];
}

export interface SnapshotSpec {
  revision?: number;
  networkAuthType?: AuthType;
  networkPolicy?: object;
  vpcs?: VpcSpec[];
  services: ServiceSpec[];
  targetGroups: TargetGroupSpec[];
  ports?: PortBinding[];
  iam?: IamSnapshot;
}

export const SETTINGS: NodeSettings = {
  listenAddress: '127.0.0.1',
  workers: 1,
  accessLog: { stdout: false, bufferBytes: 131072 },
  verifiedSignatureCacheSize: 10000,
  allowPathParameters: false,
  http1FastPath: true,
  limits: { maxHeaderBytes: 16384, maxHeaderCount: 50, maxRequestIdBytes: 512 },
  timeouts: { requestTimeoutSeconds: 5, headersTimeoutSeconds: 5, idleTimeoutSeconds: 5, upstreamConnectTimeoutSeconds: 2, shutdownGraceSeconds: 5 },
};

const EMPTY_IAM: IamSnapshot = { accounts: new Map(), roles: new Map(), users: new Map(), accessKeys: new Map() };

function pad17(s: string): string {
  return (s.replace(/[^0-9a-z]/g, '') + '00000000000000000').slice(0, 17);
}

export function serviceHost(name: string, id: string): string {
  return `${name}-${id.slice(4)}.7d67968.vpc-lattice-svcs.${REGION}.on.aws`;
}

/** A target group as the snapshot holds it: Lattice's health-check defaults, disabled unless a test turns checks on. */
export function targetGroupRuntime(tg: TargetGroupSpec): TargetGroupRuntime {
  const id = `tg-${pad17(tg.id)}`;
  return {
    id,
    arn: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:targetgroup/${id}`,
    name: tg.id,
    type: 'IP',
    protocol: 'HTTP',
    protocolVersion: tg.protocolVersion ?? 'HTTP1',
    port: tg.port,
    healthCheck: { ...resolveHealthCheck({ name: tg.id, type: 'IP', config: { port: tg.port, protocol: 'HTTP' } }), enabled: false, ...tg.healthCheck },
    targets: (tg.targets ?? [{ address: '127.0.0.1', port: tg.port }]).map((t) => ({
      id: t.address,
      address: t.address,
      port: t.port,
      key: `${id}/${t.address}:${t.port}`,
    })),
  };
}

export function buildSnapshot(spec: SnapshotSpec): Snapshot {
  const targetGroups = new Map<string, TargetGroupRuntime>();
  for (const tg of spec.targetGroups) targetGroups.set(tg.id, targetGroupRuntime(tg));
  const forward = (groups: [string, number][]): RouteAction => {
    const list = groups.map(([name, weight]) => ({ targetGroup: targetGroups.get(name)!, weight }));
    return { type: 'forward', targetGroups: list, totalWeight: list.reduce((a, g) => a + g.weight, 0) };
  };
  const snId = 'sn-' + pad17('net' + (spec.revision ?? 1));
  const routes = new Map<number, Map<string, ServiceRuntime>>();
  const network: ServiceNetworkRuntime = {
    id: snId,
    arn: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:servicenetwork/${snId}`,
    name: 'shop',
    authType: spec.networkAuthType ?? 'NONE',
    ...(spec.networkPolicy ? { policy: compilePolicy(spec.networkPolicy, { kind: 'resource' }) } : {}),
    routes,
  };
  const services = new Map<string, ServiceRuntime>();
  const ports = new Set<number>();
  for (const svc of spec.services) {
    const id = svc.id ?? `svc-${pad17(svc.name)}`;
    const arn = `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/${id}`;
    const listeners = new Map<number, ListenerRuntime>();
    const service: ServiceRuntime = {
      id,
      arn,
      name: svc.name,
      dnsName: serviceHost(svc.name, id),
      ...(svc.customDomainName ? { customDomainName: svc.customDomainName } : {}),
      authType: svc.authType ?? 'NONE',
      ...(svc.policy ? { policy: compilePolicy(svc.policy, { kind: 'resource' }) } : {}),
      tags: { team: 'inventory' },
      listeners,
    };
    const rules = (svc.rules ?? []).map((r, i) => ({
      ...r,
      arn: `${arn}/listener/listener-x/rule/rule-${i}`,
      action: 'type' in r.action ? r.action : forward(r.action.targetGroups),
    }));
    const defaultAction = forward(svc.forward);
    for (const port of svc.ports ?? [PORT]) {
      ports.add(port);
      const listenerId = `listener-${pad17(svc.name + port)}`;
      listeners.set(port, {
        id: listenerId,
        arn: `${arn}/listener/${listenerId}`,
        port,
        protocol: 'HTTP',
        match(method, path) {
          for (const r of rules) {
            if (r.method !== undefined && r.method !== method) continue;
            if (r.pathPrefix !== undefined && !path.startsWith(r.pathPrefix)) continue;
            return { ruleArn: r.arn, action: r.action };
          }
          return { action: defaultAction };
        },
      });
      let byHost = routes.get(port);
      if (byHost === undefined) routes.set(port, (byHost = new Map()));
      byHost.set(service.dnsName, service);
      if (svc.customDomainName) byHost.set(svc.customDomainName, service);
    }
    services.set(id, service);
  }
  const byAddress = new Map<string, VpcRuntime>();
  for (const v of spec.vpcs ?? [{ id: 'vpc-0client00000000001', addresses: ['127.0.0.1'] }]) {
    const vpc: VpcRuntime = {
      id: v.id,
      arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${v.id}`,
      ownerAccount: ACCOUNT,
      ...(v.associated === false
        ? {}
        : {
            association: {
              id: `snva-${pad17(v.id)}`,
              arn: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:servicenetworkvpcassociation/snva-${pad17(v.id)}`,
              serviceNetwork: network,
              securityGroupIds: ['sg-0123456789abcdef0'],
              allowsIngress: (_ip: string, port: number) => v.allowPorts === undefined || v.allowPorts.includes(port),
            },
          }),
    };
    for (const a of v.addresses) byAddress.set(a, vpc);
  }
  const portBindings = new Map<number, PortBinding>();
  for (const p of ports) portBindings.set(p, { port: p, protocol: 'HTTP', certificates: [] });
  for (const b of spec.ports ?? []) portBindings.set(b.port, b);
  return {
    revision: spec.revision ?? 1,
    hash: `hash-${spec.revision ?? 1}`,
    region: REGION,
    iam: spec.iam ?? EMPTY_IAM,
    vpcForAddress: (ip) => byAddress.get(ip),
    ports: portBindings,
    targetGroups: new Map([...targetGroups.values()].map((t) => [t.id, t])),
    settings: SETTINGS,
    serviceNetworks: new Map([[network.id, network]]),
    services,
  };
}

export interface Echo {
  port: number;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** An HTTP/1.1 upstream that answers with what it received, as JSON. `/slow` waits, `/status/N` answers N. */
export async function startEcho(name = 'echo'): Promise<Echo> {
  const requests: Echo['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const delay = req.url?.startsWith('/slow') ? 300 : 0;
      const status = req.url?.startsWith('/status/') ? Number(req.url.slice(8)) : 200;
      setTimeout(() => {
        const out = JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(status, { 'content-type': 'application/json', connection: 'keep-alive', 'x-upstream': name });
        res.end(out);
      }, delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** An h2c upstream echoing the request, with a trailer. */
export async function startH2Echo(): Promise<Echo> {
  const requests: Echo['requests'] = [];
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ method: String(headers[':method']), url: String(headers[':path']), headers: headers as http.IncomingHttpHeaders, body });
      stream.respond({ ':status': 200, 'content-type': 'application/json' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-trailer': 'kept' }));
      stream.end(JSON.stringify({ path: headers[':path'], body }));
    });
    stream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => { sessions.add(s); s.on('close', () => sessions.delete(s)); });
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise((r) => { for (const s of sessions) s.destroy(); server.close(() => r()); }),
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  trailers: NodeJS.Dict<string>;
}

/** One HTTP/1.1 request; `localAddress` picks the source address (and so the VPC). */
export function request(
  port: number,
  opts: { method?: string; path?: string; host?: string; headers?: Record<string, string | string[]>; body?: string; localAddress?: string; rawPath?: boolean },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        headers: { host: opts.host ?? 'unknown', ...opts.headers },
        agent: false,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), trailers: res.trailers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Waits until `check` holds (access-log writes happen on response close, just after the client sees the end). */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface EchoPlane {
  echo: Echo;
  dp: DataPlane;
  /** The bound port of the fixture's listener (PORT). */
  port: number;
  snapshot: Snapshot;
  log: ReturnType<typeof createMemoryAccessLog>;
}

/**
 * An echo target and a data plane in front of it, for one describe block: started in beforeAll,
 * stopped in afterAll. `spec` gets the echo's port, for its target groups.
 */
export function echoPlane(spec: (echoPort: number) => SnapshotSpec, options: Partial<DataPlaneOptions> = {}): EchoPlane {
  const plane = { log: createMemoryAccessLog() } as EchoPlane;
  beforeAll(async () => {
    plane.echo = await startEcho();
    plane.snapshot = buildSnapshot(spec(plane.echo.port));
    plane.dp = await startDataPlane({ snapshot: plane.snapshot, credentials: () => undefined, accessLog: plane.log, ephemeralPorts: true, ...options });
    plane.port = plane.dp.ports().get(PORT)!;
  });
  afterAll(async () => {
    await plane.dp.close({ graceMs: 200 });
    await plane.echo.close();
  });
  return plane;
}
