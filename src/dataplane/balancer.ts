/**
 * Routing's last two choices: a weighted random choice among a forward action's target groups, then
 * round robin among the chosen group's healthy targets. When every target is unhealthy the group
 * fails open (Lattice's behaviour) and round-robins among all of them.
 */
import type { TargetGroupRuntime, TargetRuntime, WeightedTargetGroup } from '../network/snapshot.js';
import type { TargetHealth } from './target-health.js';

interface GroupState {
  next: number;
  version: number;
  healthy: readonly TargetRuntime[];
}

export class Balancer {
  // Keyed by the snapshot's target-group object: a new snapshot starts fresh rotation state.
  private readonly groups = new WeakMap<TargetGroupRuntime, GroupState>();

  constructor(
    private readonly health: TargetHealth,
    private readonly random: () => number = Math.random,
  ) {}

  chooseGroup(groups: readonly WeightedTargetGroup[], totalWeight: number): TargetGroupRuntime | undefined {
    if (groups.length === 1) return groups[0]!.weight > 0 ? groups[0]!.targetGroup : undefined;
    if (totalWeight <= 0) return undefined;
    let r = this.random() * totalWeight;
    for (const g of groups) {
      if (r < g.weight) return g.targetGroup;
      r -= g.weight;
    }
    // Floating-point leftovers land on the last group with weight.
    for (let i = groups.length - 1; i >= 0; i--) if (groups[i]!.weight > 0) return groups[i]!.targetGroup;
    return undefined;
  }

  chooseTarget(group: TargetGroupRuntime): TargetRuntime | undefined {
    const targets = group.targets;
    if (targets.length === 0) return undefined;
    let state = this.groups.get(group);
    if (state === undefined) {
      state = { next: 0, version: -1, healthy: targets };
      this.groups.set(group, state);
    }
    if (state.version !== this.health.version) {
      const healthy = targets.filter((t) => this.health.isHealthy(t.key));
      state.healthy = healthy.length > 0 ? healthy : targets; // fail open
      state.version = this.health.version;
    }
    const list = state.healthy;
    const t = list[state.next % list.length]!;
    state.next = (state.next + 1) % 1_000_000_007;
    return t;
  }
}
