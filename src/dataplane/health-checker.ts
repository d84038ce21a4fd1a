/**
 * Background HTTP health checks with Lattice's semantics: every `healthCheckIntervalSeconds`, a
 * GET of `path` on the target (or `port`) with a `healthCheckTimeoutSeconds` timeout; a status in
 * `matcher.httpCode` is a success; `healthyThresholdCount` successes in a row make a target
 * healthy, `unhealthyThresholdCount` failures in a row unhealthy. Checks are reconciled on swap:
 * unchanged ones keep their timers and counts.
 */
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import type { HealthCheckConfig, Snapshot, TargetGroupRuntime, TargetRuntime } from '../network/snapshot.js';
import type { TargetHealth } from './target-health.js';

/** Parses `200`, `200-299` or `200,202,300-399` into a predicate. */
export function statusMatcher(spec: string): (status: number) => boolean {
  const ranges: [number, number][] = [];
  for (const part of spec.split(',')) {
    const [a, b] = part.trim().split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (Number.isInteger(lo) && Number.isInteger(hi)) ranges.push([lo, hi]);
  }
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/**
 * One HTTP/1.1 probe. The timeout is a deadline for the whole exchange, not an idle timer: a target
 * that trickles its headers, sends 1xx responses forever or never ends its body fails the check
 * when it expires, and its connection is closed.
 */
function probeHttp1(cfg: HealthCheckConfig, target: TargetRuntime, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const mod = cfg.protocol === 'HTTPS' ? https : http;
    let settled = false;
    const settle = (status: number | undefined, err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (status === undefined) reject(err ?? new Error('health check: connection closed'));
      else resolve(status);
    };
    const req = mod.request(
      { host: target.address, port, path: cfg.path, method: 'GET', agent: false, rejectUnauthorized: false, headers: { 'user-agent': 'latticed-health-check' } },
      (res) => {
        res.resume();
        res.on('end', () => settle(res.statusCode ?? 0));
        res.on('error', (err) => settle(undefined, err));
      },
    );
    const timer = setTimeout(() => {
      const err = new Error('health check timed out');
      settle(undefined, err);
      req.destroy(err);
    }, cfg.healthCheckTimeoutSeconds * 1000);
    req.on('error', (err) => settle(undefined, err));
    // A response cut short ends here too (after 'aborted'), without 'end'.
    req.on('close', () => settle(undefined));
    req.end();
  });
}

function probeHttp2(cfg: HealthCheckConfig, target: TargetRuntime, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const scheme = cfg.protocol === 'HTTPS' ? 'https' : 'http';
    const session = http2.connect(`${scheme}://${target.address}:${port}`, { rejectUnauthorized: false });
    let settled = false;
    const settle = (status: number | undefined, err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (status === undefined) {
        session.destroy();
        reject(err ?? new Error('health check: stream closed'));
      } else {
        resolve(status);
        session.close();
      }
    };
    const timer = setTimeout(() => settle(undefined, new Error('health check timed out')), cfg.healthCheckTimeoutSeconds * 1000);
    session.on('error', (err) => settle(undefined, err));
    // Closed (GOAWAY, a clean close) before answering: a failure, not a wait for the timer.
    session.on('close', () => settle(undefined));
    const stream = session.request({ ':method': 'GET', ':path': cfg.path, 'user-agent': 'latticed-health-check' });
    stream.on('response', (h) => {
      stream.close();
      settle(Number(h[':status']));
    });
    stream.on('error', (err) => settle(undefined, err));
    stream.on('close', () => settle(undefined));
    stream.end();
  });
}

class Check {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  private readonly matches: (status: number) => boolean;
  private running: Promise<void> | undefined;

  constructor(
    readonly key: string,
    private readonly cfg: HealthCheckConfig,
    private readonly target: TargetRuntime,
    private readonly health: TargetHealth,
  ) {
    this.matches = statusMatcher(cfg.matcher.httpCode);
  }

  start(): void {
    this.timer = setInterval(() => void this.run(), this.cfg.healthCheckIntervalSeconds * 1000);
    this.timer.unref();
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /**
   * One probe; exported for tests through `HealthChecker.runOnce`. A probe still running when the
   * next interval comes (its timeout is longer than the interval) is waited for, not doubled.
   */
  run(): Promise<void> {
    this.running ??= this.probe().finally(() => (this.running = undefined));
    return this.running;
  }

  private async probe(): Promise<void> {
    const port = this.cfg.port ?? this.target.port;
    let ok: boolean;
    try {
      const probe = this.cfg.protocolVersion === 'HTTP2' ? probeHttp2 : probeHttp1;
      ok = this.matches(await probe(this.cfg, this.target, port));
    } catch {
      ok = false;
    }
    // A probe that was running when its check was removed must not leave state behind.
    if (this.stopped) return;
    if (ok) {
      this.failures = 0;
      if (++this.successes >= this.cfg.healthyThresholdCount) this.health.set(this.target.key, true);
    } else {
      this.successes = 0;
      if (++this.failures >= this.cfg.unhealthyThresholdCount) this.health.set(this.target.key, false);
    }
  }
}

function checkId(group: TargetGroupRuntime, target: TargetRuntime): string {
  return `${target.key}|${JSON.stringify(group.healthCheck)}`;
}

export class HealthChecker {
  private readonly checks = new Map<string, Check>();

  constructor(private readonly health: TargetHealth) {}

  /** Starts checks for new targets, stops checks for targets (or configurations) that are gone. */
  reconcile(snapshot: Snapshot): void {
    const wanted = new Map<string, { group: TargetGroupRuntime; target: TargetRuntime }>();
    for (const group of snapshot.targetGroups.values()) {
      if (!group.healthCheck.enabled) continue;
      for (const target of group.targets) wanted.set(checkId(group, target), { group, target });
    }
    const liveKeys = new Set<string>();
    for (const { target } of wanted.values()) liveKeys.add(target.key);
    for (const [id, check] of this.checks) {
      if (wanted.has(id)) continue;
      check.stop();
      this.checks.delete(id);
      if (!liveKeys.has(check.key)) this.health.forget(check.key);
    }
    // A target group whose checks were disabled forgets its targets' old state.
    for (const group of snapshot.targetGroups.values()) {
      if (!group.healthCheck.enabled) for (const t of group.targets) this.health.forget(t.key);
    }
    for (const [id, { group, target }] of wanted) {
      if (this.checks.has(id)) continue;
      const check = new Check(target.key, group.healthCheck, target, this.health);
      this.checks.set(id, check);
      check.start();
    }
  }

  /** Runs every check once and waits for them (tests). */
  async runOnce(): Promise<void> {
    await Promise.all([...this.checks.values()].map((c) => c.run()));
  }

  stop(): void {
    for (const c of this.checks.values()) c.stop();
    this.checks.clear();
  }
}
