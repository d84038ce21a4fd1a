/**
 * npm run bench:proxy — latticed as a reverse proxy, against the proxies a user would otherwise run,
 * in one session on loopback with one upstream (bench/support/upstream.js):
 *
 *   direct         wrk -> upstream
 *   node-proxy     node:http + undici Pool, keep-alive (bench/support/node-proxy.js): the baseline
 *   nginx          proxy_pass, one worker, upstream keep-alive (bench/support/nginx.conf.template)
 *   latticed-none  `latticed up`, authType NONE everywhere
 *   latticed-iam   `latticed up`, AWS_IAM on the network and the service, SigV4-signed requests
 *                  (role session credentials from `latticed credentials`; one signed header set
 *                  reused inside the 5-minute skew window, as wrk sends fixed headers)
 *   latticed-iam-nocache  latticed-iam with node.verifiedSignatureCacheSize 0: every request's
 *                  signature computed in full (wrk's one header set is otherwise a cache hit after
 *                  the first request, as a busy real caller's repeats within a second are)
 *   latticed-iam-2w  the same as latticed-iam with `--workers 2`
 *   node-proxy-batched  the baseline with latticed's end-of-poll write holding (responses corked until
 *                  setImmediate, bodiless requests dispatched there): a reference, not a target
 *   node-proxy-signed  the baseline process sent latticed-iam's signed requests (forwarded, not
 *                  verified): for reading the gap, not a target
 *   node-floor     only when BENCH_ONLY names it: Node's llhttp straight off the socket, raw response
 *                  writes, the same undici Pool (bench/support/node-floor.js): how much of node-proxy's
 *                  cost is node:http's request/response objects; a reference, not a target
 *
 * Every latticed run writes its access log (the product always does). Two phases: saturation
 * (wrk -c CONNS, rps and p50/p99) and a fixed moderate rate (bench/support/paced.lua: each
 * connection waits DELAY_MS on average between requests, drawn from [0.5, 1.5) * DELAY_MS) where p99
 * is compared. The same rate in lock-step (every wait exactly DELAY_MS, so all connections send at
 * once) is reported beside it: its p99 is the time to drain a burst of PACED_CONNS requests, which
 * follows CPU per request more than latency. All contenders run at once. In each of ROUNDS rounds,
 * every contender's run of each phase directly follows a node-proxy run of the same phase, and
 * ratios/differences are taken within these pairs; figures are medians. Before timing, each target
 * must answer 200 (and latticed-iam must answer 403 to an unsigned request), or the run aborts; then
 * each is loaded for BENCH_WARM_S seconds (warmUp).
 *
 * Needs wrk (Debian `wrk`) and nginx (Debian `nginx`); installs them with apt-get when missing and
 * allowed (root), else skips nginx and stops for wrk. Environment: BENCH_ROUNDS (default 3),
 * BENCH_DURATION (s per wrk run, default 5), BENCH_WARM_S (warm-up load per contender, default 30;
 * see warmUp), BENCH_SETTLE_S (unmeasured paced load before each paced run, default 3; see settle),
 * BENCH_CONNS (default 64), BENCH_PACED_CONNS (default 16), BENCH_DELAY_MS (default 10),
 * BENCH_ONLY (comma-separated contender names; node-proxy always runs, as the baseline),
 * LATTICED_NODE_OPTIONS (extra node flags for latticed, e.g. --cpu-prof).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const support = path.join(root, 'bench/support');
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNS = Number(process.env.BENCH_CONNS ?? 64);
const PACED_CONNS = Number(process.env.BENCH_PACED_CONNS ?? 16);
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_S = Number(process.env.BENCH_WARM_S ?? 30);
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 3);
const HOST = 'inventory.bench.internal';
const ONLY = process.env.BENCH_ONLY ? new Set(['node-proxy', ...process.env.BENCH_ONLY.split(',')]) : undefined;
const wanted = (name) => ONLY === undefined || ONLY.has(name);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-bench-'));
const children = [];
process.on('exit', () => {
  // SIGTERM, not SIGKILL: nginx's master must live long enough to stop its workers.
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
});

const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

function ensureTool(cmd, pkg, required) {
  if (has(cmd) || (cmd === 'nginx' && fs.existsSync('/usr/sbin/nginx'))) return true;
  if (process.getuid?.() === 0 && has('apt-get')) {
    console.error(`installing ${pkg} (apt-get)...`);
    execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`], { stdio: 'inherit' });
    return has(cmd) || fs.existsSync('/usr/sbin/nginx');
  }
  if (required) throw new Error(`${cmd} not found: install it (Debian: apt-get install ${pkg})`);
  console.error(`${cmd} not found; skipping its row (Debian: apt-get install ${pkg})`);
  return false;
}

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Starts a process and resolves once `ready` appears on stdout or stderr. */
function start(cmd, args, ready, env = {}) {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const on = (d) => {
      out += d;
      if (out.includes(ready)) resolve(child);
    };
    child.stdout.setEncoding('utf8').on('data', on);
    child.stderr.setEncoding('utf8').on('data', on);
    child.once('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`)));
  });
}

/** curl-free check: one request with node:http, returns the status. */
async function probe(port, headers) {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/api/stock', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
}

/**
 * CPU time (ms) used so far by a process and its descendants (nginx's worker, latticed's workers), from
 * /proc. CPU per request is what the contenders cost, and unlike throughput it hardly moves when other
 * processes compete for the cores. Linux only; NaN elsewhere.
 */
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);
function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let ms = (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
      for (const k of kids ? kids.split(' ') : []) ms += cpuMs(Number(k));
    }
    return ms;
  } catch {
    return NaN;
  }
}

const toMs = (v, unit) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? NaN);

/** wrk adds its own Host unless given one spelled exactly `Host` (two Host headers get 400). */
const headerArgs = (headers) => Object.entries(headers).flatMap(([k, v]) => ['-H', `${k.toLowerCase() === 'host' ? 'Host' : k}: ${v}`]);

/** Runs wrk and parses rps, p50 and p99 (ms). */
function wrk(port, headers, { conns, paced, jitter = true, seconds = DURATION }) {
  const args = ['-t', '1', '-c', String(conns), '-d', `${seconds}s`, '--latency', '--timeout', '5s'];
  args.push(...headerArgs(headers));
  if (paced) args.push('-s', path.join(support, 'paced.lua'));
  args.push(`http://127.0.0.1:${port}/api/stock`);
  const out = execFileSync('wrk', args, { encoding: 'utf8', env: { ...process.env, DELAY_MS: String(DELAY_MS), JITTER: jitter ? '1' : '0' } });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const pct = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  if (!(requests > 0)) throw new Error(`wrk got no response from port ${port}:\n${out}`);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1];
  if (errors !== '0' || socketErrors) throw new Error(`wrk saw failures on port ${port}:\n${out}`);
  return { rps, requests, p50: pct(50), p99: pct(99) };
}

function latticedConfig(listenPort, upstreamPort, authType) {
  const invoke = { 'invoke-lattice': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] } };
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/bench-role' }, Action: 'vpc-lattice-svcs:Invoke', Resource: '*', Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET', 'aws:PrincipalOrgID': 'o-benchorg' } } }],
  };
  const auth = authType === 'AWS_IAM' ? { authType, authPolicy: policy } : { authType };
  return {
    region: 'us-west-2',
    organizations: [{ id: 'o-benchorg' }],
    accounts: [{ id: '123456789012', organizationId: 'o-benchorg' }],
    roles: [{ roleName: 'bench-role', accountId: '123456789012', policies: invoke }],
    vpcs: [{ vpcId: 'vpc-0be0c000000000001', ownerId: '123456789012', cidrBlocks: ['127.0.0.0/24'] }],
    securityGroups: [{ groupId: 'sg-0be0c000000000001', vpcId: 'vpc-0be0c000000000001', ipPermissions: [{ ipProtocol: 'tcp', fromPort: listenPort, toPort: listenPort, ipRanges: [{ cidrIp: '127.0.0.0/24' }] }] }],
    serviceNetworks: [{ name: 'bench', ...auth, vpcAssociations: [{ vpcIdentifier: 'vpc-0be0c000000000001', securityGroupIds: ['sg-0be0c000000000001'] }], serviceAssociations: [{ serviceIdentifier: 'inventory' }] }],
    services: [{ name: 'inventory', customDomainName: HOST, ...auth, listeners: [{ protocol: 'HTTP', port: listenPort, defaultAction: { forward: { targetGroups: [{ targetGroupIdentifier: 'inventory-tg' }] } } }] }],
    targetGroups: [{ name: 'inventory-tg', type: 'IP', config: { port: upstreamPort, protocol: 'HTTP', healthCheck: { enabled: false } }, targets: [{ id: '127.0.0.1' }] }],
  };
}

async function startLatticed(name, upstreamPort, authType, workers, node = {}) {
  const port = await freePort();
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latticed.json');
  fs.writeFileSync(file, JSON.stringify({ ...latticedConfig(port, upstreamPort, authType), node }));
  const nodeFlags = (process.env.LATTICED_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const args = [...nodeFlags, path.join(root, 'bin/latticed.js'), 'up', '-f', file, '--state-dir', path.join(dir, 'state'), ...(workers > 1 ? ['--workers', String(workers)] : [])];
  const child = await start(process.execPath, args, 'latticed: ready');
  return { child, port, file, stateDir: path.join(dir, 'state') };
}

/** Signs GET /api/stock once with a role session from `latticed credentials`. */
async function signedHeaders(l) {
  const out = execFileSync(process.execPath, [path.join(root, 'bin/latticed.js'), 'credentials', '--role', 'bench-role', '--format', 'json', '-f', l.file, '--state-dir', l.stateDir], { encoding: 'utf8' });
  const c = JSON.parse(out);
  const signer = new SignatureV4({ service: 'vpc-lattice-svcs', region: 'us-west-2', sha256: Sha256, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
  const req = new HttpRequest({ method: 'GET', protocol: 'http:', hostname: HOST, port: l.port, path: '/api/stock', headers: { host: `${HOST}:${l.port}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  return (await signer.sign(req)).headers;
}

/**
 * Load before timing: V8 keeps optimising (and re-optimising, as object shapes settle) for a while,
 * longer for a process with more JavaScript per request; latticed needs 15-25 s of load to reach
 * its steady CPU per request. Every contender gets the same WARM_S seconds.
 */
function warmUp(c, headers) {
  const before = cpuMs(c.pid);
  const { requests } = wrk(c.port, headers, { conns: CONNS, seconds: WARM_S });
  console.error(`warm-up ${c.name}: ${WARM_S} s, ${(((cpuMs(c.pid) - before) * 1000) / requests).toFixed(0)} µs CPU/req on average`);
}

/**
 * The paced rate, unmeasured, for SETTLE_S seconds before a paced run: each paced run follows the
 * contender's saturation run, and a V8 heap still sized for saturation (a young generation grown to
 * its maximum, so fewer but longer scavenges: 1.4-1.8 ms against 0.5-0.9 ms once it has shrunk back
 * at this rate) is the recovery from that run, not the steady state at a moderate rate that the
 * paced p99 is about. Every contender and the baseline get the same.
 */
function settle(c, headers) {
  if (SETTLE_S > 0) wrk(c.port, headers, { conns: PACED_CONNS, paced: true, seconds: SETTLE_S });
}

async function main() {
  ensureTool('wrk', 'wrk', true);
  const nginxOk = ensureTool('nginx', 'nginx', false);
  const nginxBin = has('nginx') ? 'nginx' : '/usr/sbin/nginx';
  const upstreamPort = await freePort();
  const upstream = await start(process.execPath, [path.join(support, 'upstream.js'), String(upstreamPort)], 'ready');

  // Every contender runs for the whole session; rounds interleave them, so the noise of this shared
  // machine hits all alike, and each figure is the median over rounds.
  const contenders = [];
  if (wanted('direct')) contenders.push({ name: 'direct', pid: upstream.pid, port: upstreamPort, headers: async () => ({ host: HOST }) });

  const proxyPort = await freePort();
  const proxy = await start(process.execPath, [path.join(support, 'node-proxy.js'), String(proxyPort), String(upstreamPort)], 'ready');
  contenders.push({ name: 'node-proxy', pid: proxy.pid, port: proxyPort, headers: async () => ({ host: HOST }) });

  // The baseline with latticed's end-of-poll write holding: what that technique alone does for a plain proxy.
  if (wanted('node-proxy-batched')) {
    const batchedPort = await freePort();
    const batched = await start(process.execPath, [path.join(support, 'node-proxy.js'), String(batchedPort), String(upstreamPort), '--batched'], 'ready');
    contenders.push({ name: 'node-proxy-batched', pid: batched.pid, port: batchedPort, headers: async () => ({ host: HOST }) });
  }

  // Opt-in (named in BENCH_ONLY): the forwarding core without node:http's request and response objects.
  if (ONLY?.has('node-floor')) {
    const floorPort = await freePort();
    const floor = await start(process.execPath, [path.join(support, 'node-floor.js'), String(floorPort), String(upstreamPort)], 'ready');
    contenders.push({ name: 'node-floor', pid: floor.pid, port: floorPort, headers: async () => ({ host: HOST }) });
  }

  if (nginxOk && wanted('nginx')) {
    const nginxPort = await freePort();
    const dir = path.join(work, 'nginx');
    fs.mkdirSync(dir, { recursive: true });
    const conf = fs.readFileSync(path.join(support, 'nginx.conf.template'), 'utf8').replaceAll('{{DIR}}', dir).replaceAll('{{PORT}}', String(nginxPort)).replaceAll('{{UPSTREAM}}', String(upstreamPort));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
    const nginx = spawn(nginxBin, ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    children.push(nginx);
    for (let i = 0; i < 50; i++) {
      if (await probe(nginxPort, { host: HOST }).catch(() => 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    contenders.push({ name: 'nginx', pid: nginx.pid, port: nginxPort, headers: async () => ({ host: HOST }) });
  }

  if (wanted('latticed-none')) {
    const l = await startLatticed('none', upstreamPort, 'NONE', 1);
    contenders.push({ name: 'latticed-none', pid: l.child.pid, port: l.port, headers: async () => ({ host: `${HOST}:${l.port}` }) });
  }

  for (const [name, workers, node] of [['latticed-iam', 1], ['latticed-iam-nocache', 1, { verifiedSignatureCacheSize: 0 }], ['latticed-iam-2w', 2]]) {
    if (!wanted(name)) continue;
    const l = await startLatticed(name, upstreamPort, 'AWS_IAM', workers, node);
    const unsigned = await probe(l.port, { host: `${HOST}:${l.port}` });
    if (unsigned !== 403) throw new Error(`${name}: an unsigned request got ${unsigned}, expected 403`);
    // Signed afresh each round, so every header set is used well inside the 5-minute skew window.
    contenders.push({ name, pid: l.child.pid, port: l.port, headers: () => signedHeaders(l) });
    // The baseline process again, sent latticed-iam's signed requests (~1.5 KB of headers instead of
    // ~50 bytes), which it forwards unverified: how much of the gap is the bigger request itself.
    if (name === 'latticed-iam' && wanted('node-proxy-signed')) {
      contenders.push({ name: 'node-proxy-signed', pid: proxy.pid, port: proxyPort, headers: () => signedHeaders(l) });
    }
  }

  for (const c of contenders) {
    const headers = await c.headers();
    const status = await probe(c.port, headers);
    if (status !== 200) throw new Error(`${c.name}: expected 200 before timing, got ${status}`);
    warmUp(c, headers);
  }
  // Each contender's every run is paired with a run of the baseline just before it (a few seconds
  // apart), phase by phase: this shared machine's speed drifts by tens of percent over a minute,
  // so only adjacent runs compare fairly. Ratios and differences are per pair, then the median.
  const baseline = contenders.find((c) => c.name === 'node-proxy');
  const pairs = new Map(contenders.map((c) => [c.name, []]));
  const phases = {
    sat: (c, headers) => {
      const cpuBefore = cpuMs(c.pid);
      const sat = wrk(c.port, headers, { conns: CONNS });
      // direct: the upstream's own cost; proxies: the proxy's alone (the upstream's is the same for all).
      return { ...sat, cpuUs: ((cpuMs(c.pid) - cpuBefore) * 1000) / sat.requests };
    },
    paced: (c, headers) => {
      settle(c, headers);
      const r = wrk(c.port, headers, { conns: PACED_CONNS, paced: true });
      return { pacedRps: r.rps, pacedP99: r.p99 };
    },
    lockstep: (c, headers) => {
      settle(c, headers);
      return { lockstepP99: wrk(c.port, headers, { conns: PACED_CONNS, paced: true, jitter: false }).p99 };
    },
  };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of contenders) {
      if (c === baseline) continue;
      const headers = await c.headers();
      const baseHeaders = await baseline.headers();
      const x = {};
      const b = {};
      for (const phase of Object.values(phases)) {
        Object.assign(b, phase(baseline, baseHeaders));
        Object.assign(x, phase(c, headers));
      }
      pairs.get(c.name).push([x, b]);
      pairs.get(baseline.name).push([b, b]);
      for (const [name, m] of [[baseline.name, b], [c.name, x]]) {
        console.error(`round ${round} ${name.padEnd(20)} ${m.rps.toFixed(0)} rps  ${m.cpuUs.toFixed(0)} µs CPU/req  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms | paced ${m.pacedRps.toFixed(0)} rps p99 ${m.pacedP99.toFixed(2)} ms | lock-step p99 ${m.lockstepP99.toFixed(2)} ms`);
      }
    }
  }
  const median = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const rows = [...pairs].map(([name, ps]) => {
    const of = (f) => median(ps.map(([x]) => f(x)));
    const vs = (f) => median(ps.map(([x, b]) => f(x, b)));
    return {
      name,
      rps: of((x) => x.rps),
      p50: of((x) => x.p50),
      p99: of((x) => x.p99),
      cpuUs: of((x) => x.cpuUs),
      pacedRps: of((x) => x.pacedRps),
      pacedP99: of((x) => x.pacedP99),
      lockstepP99: of((x) => x.lockstepP99),
      ratio: vs((x, b) => x.rps / b.rps),
      cpuRatio: vs((x, b) => b.cpuUs / x.cpuUs),
      pacedP99Delta: vs((x, b) => x.pacedP99 - b.pacedP99),
      lockstepP99Delta: vs((x, b) => x.lockstepP99 - b.lockstepP99),
    };
  });
  const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  const signed = (n) => `${n >= 0 ? '+' : ''}${fmt(n)}`;
  const lines = [
    `| contender | rps | p50 ms | p99 ms | rps vs node-proxy | CPU µs/req | CPU efficiency vs node-proxy | paced rps | paced p99 ms | paced p99 vs node-proxy | lock-step p99 ms | lock-step p99 vs node-proxy |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map((r) => `| ${r.name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.ratio)}x | ${fmt(r.cpuUs, 0)} | ${fmt(r.cpuRatio)}x | ${fmt(r.pacedRps, 0)} | ${fmt(r.pacedP99)} | ${signed(r.pacedP99Delta)} ms | ${fmt(r.lockstepP99)} | ${signed(r.lockstepP99Delta)} ms |`),
  ];
  console.log(lines.join('\n'));
  const iam = rows.find((r) => r.name === 'latticed-iam') ?? { ratio: NaN, cpuRatio: NaN, pacedP99Delta: NaN };
  console.log(`\ntargets: latticed-iam rps ${fmt(iam.ratio)}x node-proxy (target >= 0.80): ${iam.ratio >= 0.8 ? 'met' : 'NOT met'} ` +
    `(CPU per request: ${fmt(iam.cpuRatio)}x node-proxy's efficiency); ` +
    `paced p99 ${signed(iam.pacedP99Delta)} ms vs node-proxy (target <= +1 ms): ${iam.pacedP99Delta <= 1 ? 'met' : 'NOT met'} ` +
    `(lock-step: ${signed(iam.lockstepP99Delta)} ms)`);
  console.log(`medians of ${ROUNDS} rounds; each run paired with a node-proxy run just before it (ratios and differences: medians over pairs); wrk -t1 -c${CONNS} -d${DURATION}s; paced: -c${PACED_CONNS}, ${DELAY_MS} ms on average between requests per connection (lock-step: exactly); node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
