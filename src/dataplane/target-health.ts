/**
 * Target health, as the background checks last saw it, keyed by the target's stable key
 * (`${targetGroupId}/${address}:${port}`) so that it survives snapshot swaps. A target nobody has
 * checked yet counts as healthy, so a new target takes traffic at once (and a failing one leaves
 * after `unhealthyThresholdCount` checks).
 */
export class TargetHealth {
  private readonly unhealthy = new Set<string>();
  /** Bumped on every change, so per-target-group caches know when to rebuild. */
  version = 0;

  isHealthy(key: string): boolean {
    return !this.unhealthy.has(key);
  }

  set(key: string, healthy: boolean): void {
    const was = !this.unhealthy.has(key);
    if (was === healthy) return;
    if (healthy) this.unhealthy.delete(key);
    else this.unhealthy.add(key);
    this.version++;
  }

  forget(key: string): void {
    if (this.unhealthy.delete(key)) this.version++;
  }
}
