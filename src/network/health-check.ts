/**
 * Lattice's health-check defaults (API reference HealthCheckConfig and the user guide "Health checks
 * for your target groups"): enabled by default only for HTTP1 target groups; protocol HTTP; the
 * target's own port; path `/`; every 30 s with a 5 s timeout; 5 successes to become healthy and 2
 * failures to become unhealthy; success is status 200. A 0 in the file means "the default", as in Lattice.
 */
import type { TargetGroupConfig } from './config-types.js';
import type { HealthCheckConfig } from './snapshot.js';

export const HEALTH_CHECK_DEFAULTS = {
  protocol: 'HTTP',
  path: '/',
  healthCheckIntervalSeconds: 30,
  healthCheckTimeoutSeconds: 5,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  httpCode: '200',
} as const;

const orDefault = (v: number | undefined, d: number): number => (v === undefined || v === 0 ? d : v);

export function resolveHealthCheck(tg: TargetGroupConfig): HealthCheckConfig {
  const hc = tg.config.healthCheck ?? {};
  const version = tg.config.protocolVersion ?? 'HTTP1';
  const d = HEALTH_CHECK_DEFAULTS;
  const port = hc.port === undefined || hc.port === 0 ? undefined : hc.port;
  return Object.freeze({
    enabled: hc.enabled ?? version === 'HTTP1',
    protocol: hc.protocol ?? d.protocol,
    protocolVersion: hc.protocolVersion ?? (version === 'HTTP2' ? 'HTTP2' : 'HTTP1'),
    ...(port === undefined ? {} : { port }),
    path: hc.path === undefined || hc.path === '' ? d.path : hc.path,
    healthCheckIntervalSeconds: orDefault(hc.healthCheckIntervalSeconds, d.healthCheckIntervalSeconds),
    healthCheckTimeoutSeconds: orDefault(hc.healthCheckTimeoutSeconds, d.healthCheckTimeoutSeconds),
    healthyThresholdCount: orDefault(hc.healthyThresholdCount, d.healthyThresholdCount),
    unhealthyThresholdCount: orDefault(hc.unhealthyThresholdCount, d.unhealthyThresholdCount),
    matcher: Object.freeze({ httpCode: hc.matcher?.httpCode || d.httpCode }),
  });
}
