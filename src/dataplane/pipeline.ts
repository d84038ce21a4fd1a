/**
 * A service's request pipeline: an ordered list of small stages, compiled once per (listener,
 * service network) of a snapshot and cached with it. A stage returns true to continue, false when
 * it has answered the request, or a promise of either. Stages a service does not need are not in
 * its list: an authType NONE service network with an authType NONE service has no authentication
 * and no authorization stage at all.
 */
import type { ListenerRuntime, ServiceNetworkRuntime, ServiceRuntime } from '../network/snapshot.js';
import { authenticateStage, type Verifier } from './authenticate.js';
import { authorizeStage } from './authorize.js';
import { prepareStage } from './prepare-stage.js';
import { routeStage, type RouteRuntime } from './route-stage.js';
import type { RequestState } from './request-state.js';
import type { ResolvedSettings } from './options.js';

export type Stage = (s: RequestState) => boolean | Promise<boolean>;

export interface Pipeline {
  readonly service: ServiceRuntime;
  readonly network: ServiceNetworkRuntime;
  readonly listener: ListenerRuntime;
  /** Stage names, for tests and explanations. */
  readonly names: readonly string[];
  readonly stages: readonly Stage[];
}

export interface PipelineRuntime extends RouteRuntime {
  /** The SigV4 verifier for the current region, created on first use. */
  verifier: () => Verifier;
  settings: ResolvedSettings;
  now: () => number;
}

export function compilePipeline(rt: PipelineRuntime, listener: ListenerRuntime, service: ServiceRuntime, network: ServiceNetworkRuntime): Pipeline {
  const authenticated = network.authType === 'AWS_IAM' || service.authType === 'AWS_IAM';
  const names: string[] = ['prepare'];
  const stages: Stage[] = [prepareStage(rt.settings.limits, authenticated)];
  if (authenticated) {
    names.push('authenticate', 'authorize');
    stages.push(authenticateStage(rt.verifier()), authorizeStage(network, service, rt.now));
  }
  names.push('route');
  stages.push(routeStage(rt, listener, service, network));
  return { service, network, listener, names, stages };
}

/** Runs `stages` from `i`, synchronously until a stage returns a promise. */
export function runStages(s: RequestState, stages: readonly Stage[], i: number, onError: (s: RequestState, err: unknown) => void): void {
  try {
    for (; i < stages.length; i++) {
      const r = stages[i]!(s);
      if (r === true) continue;
      if (r === false) return;
      const next = i + 1;
      r.then((ok) => (ok ? runStages(s, stages, next, onError) : undefined), (err) => onError(s, err));
      return;
    }
  } catch (err) {
    onError(s, err);
  }
}

/** Per-snapshot cache: listener -> service network -> pipeline. Listener objects belong to one snapshot. */
export class PipelineCache {
  private readonly byListener = new WeakMap<ListenerRuntime, Map<ServiceNetworkRuntime, Pipeline>>();

  constructor(private readonly rt: PipelineRuntime) {}

  get(listener: ListenerRuntime, service: ServiceRuntime, network: ServiceNetworkRuntime): Pipeline {
    let m = this.byListener.get(listener);
    if (m === undefined) {
      m = new Map();
      this.byListener.set(listener, m);
    }
    let p = m.get(network);
    if (p === undefined) {
      p = compilePipeline(this.rt, listener, service, network);
      m.set(network, p);
    }
    return p;
  }
}
