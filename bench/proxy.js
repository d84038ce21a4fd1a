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
 *   latticed-iam-2w  the same with `--workers 2`
 *
 * Every latticed run writes its access log (the product always does). Two phases: saturation
 * (wrk -c CONNS, rps and p50/p99) and a fixed moderate rate (bench/support/paced.lua: each
 * connection waits DELAY_MS between requests) where p99 is compared. All contenders run at once
 * and ROUNDS rounds interleave them; figures are medians over rounds, and ratios/differences are
 * medians of per-round values against the baseline's run of the same round. Before timing, each target
 * must answer 200 (and latticed-iam must answer 403 to an unsigned request), or the run aborts.
 *
 * Needs wrk (Debian `wrk`) and nginx (Debian `nginx`); installs them with apt-get when missing and
 * allowed (root), else skips nginx and stops for wrk. Environment: BENCH_ROUNDS (default 3),
 * BENCH_DURATION (s per wrk run, default 5),
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
function wrk(port, headers, { conns, paced }) {
  const args = ['-t', '1', '-c', String(conns), '-d', `${DURATION}s`, '--latency', '--timeout', '5s'];
  args.push(...headerArgs(headers));
  if (paced) args.push('-s', path.join(support, 'paced.lua'));
  args.push(`http://127.0.0.1:${port}/api/stock`);
  const out = execFileSync('wrk', args, { encoding: 'utf8', env: { ...process.env, DELAY_MS: String(DELAY_MS) } });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const pct = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
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

async function startLatticed(name, upstreamPort, authType, workers) {
  const port = await freePort();
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latticed.json');
  fs.writeFileSync(file, JSON.stringify(latticedConfig(port, upstreamPort, authType)));
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

  for (const [name, workers] of [['latticed-iam', 1], ['latticed-iam-2w', 2]]) {
    if (!wanted(name)) continue;
    const l = await startLatticed(name, upstreamPort, 'AWS_IAM', workers);
    const unsigned = await probe(l.port, { host: `${HOST}:${l.port}` });
    if (unsigned !== 403) throw new Error(`${name}: an unsigned request got ${unsigned}, expected 403`);
    // Signed afresh each round, so every header set is used well inside the 5-minute skew window.
    contenders.push({ name, pid: l.child.pid, port: l.port, headers: () => signedHeaders(l) });
  }

  const samples = new Map(contenders.map((c) => [c.name, []]));
  for (const c of contenders) {
    const headers = await c.headers();
    const status = await probe(c.port, headers);
    if (status !== 200) throw new Error(`${c.name}: expected 200 before timing, got ${status}`);
    execFileSync('wrk', ['-t', '1', '-c', String(CONNS), '-d', '2s', ...headerArgs(headers), `http://127.0.0.1:${c.port}/api/stock`], { stdio: 'ignore' });
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of contenders) {
      const headers = await c.headers();
      const cpuBefore = cpuMs(c.pid);
      const sat = wrk(c.port, headers, { conns: CONNS });
      // direct: the upstream's own cost; proxies: the proxy's alone (the upstream's is the same for all).
      const cpuUs = ((cpuMs(c.pid) - cpuBefore) * 1000) / sat.requests;
      const paced = wrk(c.port, headers, { conns: PACED_CONNS, paced: true });
      samples.get(c.name).push({ ...sat, cpuUs, pacedRps: paced.rps, pacedP99: paced.p99 });
      console.error(`round ${round} ${c.name.padEnd(16)} ${sat.rps.toFixed(0)} rps  ${cpuUs.toFixed(0)} µs CPU/req  p50 ${sat.p50.toFixed(2)} ms  p99 ${sat.p99.toFixed(2)} ms | paced ${paced.rps.toFixed(0)} rps p99 ${paced.p99.toFixed(2)} ms`);
    }
  }
  const median = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const results = [...samples].map(([name, xs]) => ({
    name,
    rps: median(xs.map((x) => x.rps)),
    p50: median(xs.map((x) => x.p50)),
    p99: median(xs.map((x) => x.p99)),
    cpuUs: median(xs.map((x) => x.cpuUs)),
    pacedRps: median(xs.map((x) => x.pacedRps)),
    pacedP99: median(xs.map((x) => x.pacedP99)),
  }));

  // Ratios and differences are taken per round (each contender against the baseline's run of the
  // same round, minutes apart at most), then the median over rounds: steadier than ratios of medians.
  const baseXs = samples.get('node-proxy');
  const perRound = (xs, f) => median(xs.map((x, i) => f(x, baseXs[i])));
  const rows = results.map((r) => {
    const xs = samples.get(r.name);
    return {
      ...r,
      ratio: perRound(xs, (x, b) => x.rps / b.rps),
      cpuRatio: perRound(xs, (x, b) => b.cpuUs / x.cpuUs),
      pacedP99Delta: perRound(xs, (x, b) => x.pacedP99 - b.pacedP99),
    };
  });
  const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  const lines = [
    `| contender | rps | p50 ms | p99 ms | rps vs node-proxy | CPU µs/req | CPU efficiency vs node-proxy | paced rps | paced p99 ms | paced p99 vs node-proxy |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map((r) => `| ${r.name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.ratio)}x | ${fmt(r.cpuUs, 0)} | ${fmt(r.cpuRatio)}x | ${fmt(r.pacedRps, 0)} | ${fmt(r.pacedP99)} | ${r.pacedP99Delta >= 0 ? '+' : ''}${fmt(r.pacedP99Delta)} ms |`),
  ];
  console.log(lines.join('\n'));
  const iam = rows.find((r) => r.name === 'latticed-iam') ?? { ratio: NaN, cpuRatio: NaN, pacedP99Delta: NaN };
  console.log(`\ntargets: latticed-iam rps ${fmt(iam.ratio)}x node-proxy (target >= 0.80): ${iam.ratio >= 0.8 ? 'met' : 'NOT met'} ` +
    `(CPU per request: ${fmt(iam.cpuRatio)}x node-proxy's efficiency); ` +
    `paced p99 ${iam.pacedP99Delta >= 0 ? '+' : ''}${fmt(iam.pacedP99Delta)} ms vs node-proxy (target <= +1 ms): ${iam.pacedP99Delta <= 1 ? 'met' : 'NOT met'}`);
  console.log(`medians of ${ROUNDS} interleaved rounds (ratios and differences: medians of per-round values); wrk -t1 -c${CONNS} -d${DURATION}s; paced: -c${PACED_CONNS}, ${DELAY_MS} ms between requests per connection; node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
