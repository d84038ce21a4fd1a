/**
 * What `latticed policy simulate` prints: a JSON result (one shape for `--json` and `--cases`) and
 * the same result for people.
 */
import {
  explainResult,
  type LatticeAuthorizationResult,
  type PolicyResult,
  type StatementRef,
} from '../policy/index.js';

export interface LayerJson {
  layer: string;
  /** The policy file this result came from; absent when the layer has no policy. */
  file?: string;
  decision: PolicyResult['decision'];
  determining: readonly StatementRef[];
  noPolicy?: true;
  explanation: string[];
}

/** The result of one simulated request. `decision` is `Allow`/`Deny` for Lattice requests, the policy decision for raw IAM requests. */
export interface SimulationJson {
  decision: 'Allow' | 'Deny' | 'ExplicitDeny' | 'ImplicitDeny';
  allowed: boolean;
  layer?: string;
  statement?: StatementRef;
  denial?: 'explicit' | 'implicit';
  message?: string;
  determining?: readonly StatementRef[];
  layers?: LayerJson[];
  explanation?: string[];
}

/** The policy files behind a Lattice result's layers, to name them in the output. */
export interface LayerFiles {
  identity: readonly string[];
  network?: string;
  service?: string;
}

export function latticeJson(d: LatticeAuthorizationResult, files: LayerFiles): SimulationJson {
  const out: SimulationJson = { decision: d.allowed ? 'Allow' : 'Deny', allowed: d.allowed };
  if (d.layer !== undefined) out.layer = d.layer;
  if (d.statement !== undefined) out.statement = d.statement;
  if (d.denial !== undefined) out.denial = d.denial;
  if (d.message !== undefined) out.message = d.message;
  out.layers = d.layers.map((l) => {
    const file =
      l.noPolicy === true ? undefined : l.layer === 'Identity' ? files.identity[l.policyIndex ?? 0] : l.layer === 'Network' ? files.network : files.service;
    const j: LayerJson = { layer: l.layer, decision: l.result.decision, determining: l.result.determining, explanation: explainResult(l.result) };
    if (file !== undefined) j.file = file;
    if (l.noPolicy === true) {
      j.noPolicy = true;
      j.explanation = [
        l.layer === 'Identity'
          ? 'ImplicitDeny: the caller has no identity policy (give --identity-policy, or --skip-identity to evaluate the auth policies alone)'
          : `ImplicitDeny: authType AWS_IAM with no auth policy denies every request`,
      ];
    }
    return j;
  });
  return out;
}

export function policyJson(r: PolicyResult): SimulationJson {
  return { decision: r.decision, allowed: r.decision === 'Allow', determining: r.determining, explanation: explainResult(r) };
}

function ref(s: StatementRef): string {
  return s.sid !== undefined && s.sid !== '' ? `statement ${s.index} (${JSON.stringify(s.sid)})` : `statement ${s.index}`;
}

/** The human-readable form of a result. */
export function humanLines(j: SimulationJson): string[] {
  const lines: string[] = [];
  const where = j.layer !== undefined ? ` (${j.layer} layer${j.statement !== undefined ? `, ${ref(j.statement)}` : ''})` : '';
  lines.push(`Decision: ${j.decision}${where}`);
  if (j.layers !== undefined && j.layers.length === 0) lines.push('No layer applies: the service network and the service both have authType NONE.');
  if (j.message !== undefined) lines.push(`Message:  ${j.message}`);
  for (const l of j.layers ?? []) {
    lines.push('', `${l.layer}${l.file !== undefined ? ` (${l.file})` : ''}:`);
    for (const e of l.explanation) lines.push(`  ${e}`);
  }
  if (j.explanation !== undefined) lines.push(...j.explanation);
  return lines;
}
