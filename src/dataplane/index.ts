/**
 * latticed/dataplane — the request path: listeners, the per-service pipeline (connection gate,
 * path normalisation, SigV4 authentication, Lattice authorization, routing, forwarding), health
 * checks, upstream pools and graceful drain. See docs/dataplane.md.
 */
export { startDataPlane } from './data-plane.js';
export type { DataPlane } from './data-plane.js';
export type { DataPlaneOptions, DataPlaneLimits, DataPlaneTimeouts } from './options.js';
export { normalizeTarget } from './normalize-path.js';
export type { NormalizedTarget, PathError } from './normalize-path.js';
export { identityHeader, identityTagsHeader, networkHeader, targetHeader } from './identity-headers.js';
export { statusMatcher } from './health-checker.js';
