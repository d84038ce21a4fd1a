/**
 * `startDataPlane`: binds a listener per configured port, serves requests through the compiled
 * pipelines of the current snapshot, runs health checks, and swaps snapshots atomically (requests
 * already in flight finish on the snapshot they started with).
 */
import type { PortBinding, Snapshot } from '../network/snapshot.js';
import { createLatticeVerifier, type Verifier } from './authenticate.js';
import { Balancer } from './balancer.js';
import { HealthChecker } from './health-checker.js';
import { PortListener } from './listeners.js';
import { resolveSettings, type DataPlaneOptions } from './options.js';
import type { PipelineRuntime } from './pipeline.js';
import { RequestHandler } from './request-handler.js';
import { TargetHealth } from './target-health.js';
import { Upstreams } from './upstreams.js';

export interface DataPlane {
  /** Configured port -> bound port, for every port listening now. */
  ports(): Map<number, number>;
  /** Atomically replaces the snapshot; binds and unbinds listener ports as the set changes. */
  swap(snapshot: Snapshot): void;
  /** Resolves when the port changes of the last swap are done (bound or closed); rejects if a bind failed. */
  settled(): Promise<void>;
  /** Stops accepting, finishes in-flight requests (cut after `graceMs`, default 30 s), flushes the log. */
  close(options?: { graceMs?: number }): Promise<void>;
  /** Runs every health check once (tests, `latticed` diagnostics). */
  checkHealth(): Promise<void>;
  /** Requests in flight now. */
  inFlight(): number;
}

/** The least time the access log gets to flush on close, even past the grace period. */
const FLUSH_FLOOR_MS = 2000;

function sameBinding(a: PortBinding, b: PortBinding): boolean {
  return a.protocol === b.protocol;
}

export async function startDataPlane(options: DataPlaneOptions): Promise<DataPlane> {
  const settings = resolveSettings(options.snapshot, options);
  const now = options.now ?? Date.now;
  const address = options.listenAddress ?? options.snapshot.settings?.listenAddress ?? '127.0.0.1';
  const overrides = options.portOverrides instanceof Map ? options.portOverrides : new Map(Object.entries(options.portOverrides ?? {}).map(([k, v]) => [Number(k), v]));
  const bindPort = (port: number): number => overrides.get(port) ?? (options.ephemeralPorts === true ? 0 : port);

  const health = new TargetHealth();
  const upstreams = new Upstreams(settings.limits, settings.timeouts);
  const checker = new HealthChecker(health);
  const verifierFor = (region: string, cacheSize: number | undefined): Verifier =>
    createLatticeVerifier(region, options.credentials, options.now === undefined ? undefined : now, cacheSize);
  // Created on first use: only AWS_IAM pipelines need one. It depends on the region and the cache
  // size; its caches survive other reloads (every hit still asks the resolver, which reads the new IAM state).
  let verifier: Verifier | undefined;
  let verifierKey = '';
  const rt: PipelineRuntime = {
    verifier: () => {
      const snapshot = handler.snapshot;
      const cacheSize = snapshot.settings?.verifiedSignatureCacheSize;
      const key = `${snapshot.region}/${cacheSize}`;
      if (verifier === undefined || verifierKey !== key) {
        verifier = verifierFor(snapshot.region, cacheSize);
        verifierKey = key;
      }
      return verifier;
    },
    settings,
    now,
    balancer: new Balancer(health),
    upstreams,
  };
  const handler = new RequestHandler(options.snapshot, rt, options.accessLog, options.acceptUnknownSources === true);
  const listeners = new Map<number, PortListener>();
  let pending: Promise<void> = Promise.resolve();
  /** The last snapshot whose ports were all bound: what a failed swap goes back to. */
  let applied = options.snapshot;
  let closing: Promise<void> | undefined;

  /** Binds one listener; the error names the address and both ports. */
  async function bind(port: number, binding: PortBinding): Promise<PortListener> {
    const listener = new PortListener(port, binding, handler, settings);
    try {
      await listener.listen(address, bindPort(port));
      return listener;
    } catch (err) {
      throw new Error(`cannot listen on ${address}:${bindPort(port)} (port ${port}): ${(err as Error).message}`);
    }
  }

  /**
   * Makes the listening ports those of `snapshot`. Ports that are new are bound first: if one cannot
   * be, the ones just bound are closed again and nothing else changes (the caller rolls back), so a
   * rejected change never closes a port that was serving. Then kept ports take the new binding,
   * removed ones close gracefully, and a port whose protocol changed is closed, then bound again.
   */
  async function applyPorts(snapshot: Snapshot): Promise<void> {
    const added: [number, PortListener][] = [];
    const errors: Error[] = [];
    for (const [port, binding] of snapshot.ports) {
      if (listeners.has(port)) continue;
      try {
        added.push([port, await bind(port, binding)]);
      } catch (err) {
        errors.push(err as Error);
      }
    }
    if (errors.length > 0) {
      await Promise.all(added.map(([, l]) => l.close(0).catch(() => undefined)));
      throw new AggregateError(errors, errors.map((e) => e.message).join('; '));
    }
    const rebind: [number, PortBinding][] = [];
    const closes: Promise<void>[] = [];
    for (const [port, listener] of listeners) {
      const next = snapshot.ports.get(port);
      if (next !== undefined && sameBinding(listener.binding, next)) {
        listener.update(next);
        continue;
      }
      listeners.delete(port);
      closes.push(listener.close(30_000));
      if (next !== undefined) rebind.push([port, next]);
    }
    for (const [port, l] of added) listeners.set(port, l);
    // A port whose protocol changed is closed before it is bound again.
    await Promise.all(closes.map((c) => c.catch(() => undefined)));
    for (const [port, binding] of rebind) {
      try {
        listeners.set(port, await bind(port, binding));
      } catch (err) {
        errors.push(err as Error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('; '));
  }

  checker.reconcile(options.snapshot);
  try {
    await applyPorts(options.snapshot);
  } catch (err) {
    for (const l of listeners.values()) await l.close(0);
    checker.stop();
    throw err;
  }
  if (options.healthChecks === false) checker.stop();

  return {
    ports() {
      const m = new Map<number, number>();
      for (const [port, l] of listeners) m.set(port, l.boundPort);
      return m;
    },
    swap(snapshot) {
      if (closing !== undefined) return;
      const use = (s: Snapshot): void => {
        // From here on new requests use `s`; in-flight ones keep theirs.
        handler.snapshot = s;
        if (options.healthChecks !== false) checker.reconcile(s);
        upstreams.reconcile(s);
      };
      use(snapshot);
      pending = pending
        .catch(() => undefined)
        .then(async () => {
          await applyPorts(snapshot);
          applied = snapshot;
        })
        .catch(async (err: unknown) => {
          // A swap whose ports cannot be bound is not applied: back to the last snapshot that was
          // (unless a later swap already replaced this one), and to its ports (best effort).
          if (handler.snapshot === snapshot && closing === undefined) {
            use(applied);
            await applyPorts(applied).catch(() => undefined);
          }
          throw err;
        });
      pending.catch((err: Error) => process.emitWarning(`latticed: ${err.message}`));
    },
    settled() {
      return pending;
    },
    close(opts) {
      closing ??= (async () => {
        const graceMs = opts?.graceMs ?? 30_000;
        handler.draining = true;
        await pending.catch(() => undefined);
        checker.stop();
        const deadline = Date.now() + graceMs;
        await Promise.all([...listeners.values()].map((l) => l.close(graceMs)));
        listeners.clear();
        await Promise.race([handler.idle(), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
        await upstreams.close(Math.max(0, deadline - Date.now()));
        // A disk that stalls (rather than fails) must not hold shutdown: the flush gets what is left
        // of the grace period, and at least FLUSH_FLOOR_MS so that a drain that used it all still logs.
        const flushMs = Math.max(FLUSH_FLOOR_MS, deadline - Date.now());
        await Promise.race([options.accessLog.flush().catch(() => undefined), new Promise((r) => setTimeout(r, flushMs).unref())]);
      })();
      return closing;
    },
    checkHealth() {
      return checker.runOnce();
    },
    inFlight() {
      return handler.inFlight;
    },
  };
}
