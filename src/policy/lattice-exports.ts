/** The Lattice part of latticed/policy: the request context of an HTTP call, and layered authorization. */
export {
  authorizeLattice,
  latticeDenyMessage,
  type LatticeAuthorization,
  type LatticeAuthorizationResult,
  type LatticeLayerConfig,
  type LatticeLayerResult,
} from './lattice.js';
export { buildRequestContext, INVOKE_ACTION, type HttpRequestDescription, type LatticePrincipalType } from './request-context.js';
export { latticeRequestPreparer } from './request-context-view.js';
