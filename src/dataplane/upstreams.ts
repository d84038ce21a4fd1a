/**
 * Upstream connections, kept across snapshot swaps while their target stays: an undici keep-alive
 * Pool per HTTP/1.1 target, one node:http2 session per HTTP/2 or gRPC target (h2c for HTTP, h2 over
 * TLS for HTTPS). Target certificates are not verified (as Lattice does not verify them).
 */
import http2, { type ClientHttp2Session } from 'node:http2';
import { Pool, type Dispatcher } from 'undici';
import { CheckPhaseQueue } from './end-of-poll.js';
import type { Snapshot, TargetGroupRuntime, TargetRuntime } from '../network/snapshot.js';
import type { DataPlaneLimits, DataPlaneTimeouts } from './options.js';

interface PendingDispatch {
  pool: Pool;
  options: Dispatcher.DispatchOptions;
  handler: Dispatcher.DispatchHandler;
}

function runDispatch(d: PendingDispatch): void {
  try {
    d.pool.dispatch(d.options, d.handler);
  } catch (err) {
    // undici reports a bad request to the handler itself; this is for anything else it throws.
    d.handler.onError?.(err as Error);
  }
}

function origin(group: TargetGroupRuntime, target: TargetRuntime): string {
  const host = target.address.indexOf(':') >= 0 ? `[${target.address}]` : target.address;
  return `${group.protocol === 'HTTPS' ? 'https' : 'http'}://${host}:${target.port}`;
}

export class Upstreams {
  private readonly pools = new Map<string, Pool>();
  private readonly sessions = new Map<string, ClientHttp2Session>();
  // Per target object: the origin string, computed once per snapshot.
  private readonly origins = new WeakMap<TargetRuntime, string>();
  private closed = false;
  private readonly dispatches = new CheckPhaseQueue(runDispatch);

  constructor(
    private readonly limits: DataPlaneLimits,
    readonly timeouts: DataPlaneTimeouts,
  ) {}

  private originOf(group: TargetGroupRuntime, target: TargetRuntime): string {
    let o = this.origins.get(target);
    if (o === undefined) {
      o = origin(group, target);
      this.origins.set(target, o);
    }
    return o;
  }

  pool(group: TargetGroupRuntime, target: TargetRuntime): Pool {
    const o = this.originOf(group, target);
    let pool = this.pools.get(o);
    if (pool === undefined) {
      pool = new Pool(o, {
        connections: this.limits.upstreamConnectionsPerTarget,
        pipelining: 1,
        keepAliveTimeout: this.timeouts.idleMs,
        headersTimeout: this.timeouts.upstreamResponseMs,
        bodyTimeout: this.timeouts.upstreamResponseMs,
        connectTimeout: this.timeouts.upstreamConnectMs,
        connect: { rejectUnauthorized: false },
      });
      pool.on('connectionError', () => undefined);
      this.pools.set(o, pool);
    }
    return pool;
  }

  /**
   * An HTTP/1.1 request, handed to its pool in this loop iteration's check phase, with every other
   * request of the same poll phase (end-of-poll.ts): their writes to the targets go out together.
   */
  dispatchSoon(pool: Pool, options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    this.dispatches.add({ pool, options, handler });
  }

  session(group: TargetGroupRuntime, target: TargetRuntime): ClientHttp2Session {
    const o = this.originOf(group, target);
    const existing = this.sessions.get(o);
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
    const session = http2.connect(o, { rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    const forget = () => {
      if (this.sessions.get(o) === session) this.sessions.delete(o);
    };
    session.on('error', forget);
    session.on('close', forget);
    session.on('goaway', forget);
    session.setTimeout(this.timeouts.idleMs, () => session.close());
    session.unref();
    this.sessions.set(o, session);
    return session;
  }

  /** Gracefully closes connections to targets that the new snapshot no longer has. */
  reconcile(snapshot: Snapshot): void {
    // Requests still waiting for the check phase chose their pool before the swap: they go first,
    // and close() below waits for them as for any request in flight.
    this.dispatches.flush();
    const live = new Set<string>();
    for (const group of snapshot.targetGroups.values()) for (const t of group.targets) live.add(this.originOf(group, t));
    for (const [o, pool] of this.pools) {
      if (live.has(o)) continue;
      this.pools.delete(o);
      void pool.close().catch(() => undefined);
    }
    for (const [o, session] of this.sessions) {
      if (live.has(o)) continue;
      this.sessions.delete(o);
      session.close();
    }
  }

  /** Waits for in-flight upstream requests, then closes everything; forced after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.dispatches.flush();
    const pools = [...this.pools.values()];
    const sessions = [...this.sessions.values()];
    this.pools.clear();
    this.sessions.clear();
    const graceful = Promise.all([
      ...pools.map((p) => p.close().catch(() => undefined)),
      ...sessions.map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.close(() => resolve())))),
    ]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const r = await Promise.race([graceful, timeout]);
    clearTimeout(timer);
    if (r === 'timeout') {
      await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
      for (const s of sessions) s.destroy();
    }
  }
}
