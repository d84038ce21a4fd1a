/**
 * latticed/network — the Lattice resource model: the configuration file (types, parsing, JSON Schema
 * and semantic validation), stable AWS-format ids, and compiling it into the data plane's Snapshot.
 *
 *   const config = await loadConfigFile('latticed.yaml');            // throws ConfigError
 *   const snapshot = await buildSnapshot(config, { revision: 1, baseDir: path.dirname(file) });
 */
export type * from './config-types.js';
export type {
  Snapshot, NodeSettings, PortBinding, VpcRuntime, VpcAssociationRuntime, ServiceNetworkRuntime, ServiceRuntime,
  ListenerRuntime, MatchedRoute, RouteAction, WeightedTargetGroup, TargetGroupRuntime, TargetRuntime,
  HealthCheckConfig, HeaderMap,
} from './snapshot.js';
export { ConfigError, type ConfigIssue } from './errors.js';
export { parseConfigText } from './parse.js';
export { validateConfig } from './validate.js';
export { configWarnings } from './warnings.js';
export { loadConfigFile } from './load.js';
export { buildSnapshot, type BuildOptions } from './build-snapshot.js';
export { configHash, canonicalJson } from './hash.js';
export { CONFIG_SCHEMA_PATH } from './schema.js';
export { latticeId, iamUniqueId, serviceDnsName, arns, partitionOf } from './ids.js';
export { HEALTH_CHECK_DEFAULTS } from './health-check.js';
export { NODE_DEFAULTS } from './settings.js';
export { parseIp, parseCidr, PrefixTable } from './ip-prefix.js';
