/**
 * One data-plane node in this process: master key, credential resolver over the current snapshot's
 * IAM view, access log and listeners. `latticed up` runs one of these, or one per worker process.
 */
import path from 'node:path';
import { buildSnapshot, loadConfigFile, type LatticedConfig } from '../network/index.js';
import type { Snapshot } from '../network/snapshot.js';
import { createCredentialResolver, loadMasterKey } from '../iam/index.js';
import { startDataPlane } from '../dataplane/index.js';
import { createFileAccessLog } from '../observability/index.js';
import type { NodeStartup } from './up-options.js';

export interface Candidate {
  config: LatticedConfig;
  snapshot: Snapshot;
}

/** Reads and validates the file and compiles it; throws the network module's ConfigError when invalid. */
export async function loadCandidate(file: string, revision: number): Promise<Candidate> {
  const config = await loadConfigFile(file);
  return { config, snapshot: await compile(file, config, revision) };
}

/** Compiles an already-validated configuration (workers get it from the primary over IPC). */
export function compile(file: string, config: LatticedConfig, revision: number): Promise<Snapshot> {
  return buildSnapshot(config, { revision, baseDir: path.dirname(file), env: process.env });
}

export interface NodeRuntime {
  readonly snapshot: Snapshot;
  /** Swaps atomically; resolves once new listener ports are bound. If one cannot be, the swap is undone and it rejects. */
  swap(next: Snapshot): Promise<void>;
  /** Stops accepting, lets in-flight requests finish within the grace period, flushes the log. */
  close(): Promise<void>;
}

export async function startNodeRuntime(startup: NodeStartup, first: Snapshot): Promise<NodeRuntime> {
  const masterKey = await loadMasterKey({ env: process.env, stateDir: startup.stateDir });
  let current = first;
  const credentials = createCredentialResolver(() => current.iam, masterKey);
  const accessLog = createFileAccessLog({ path: startup.accessLogPath, stdout: startup.accessLogStdout, minLength: startup.accessLogBufferBytes });
  const dataPlane = await startDataPlane({ snapshot: first, credentials, accessLog, listenAddress: startup.listenAddress });
  let closing: Promise<void> | undefined;
  return {
    get snapshot() {
      return current;
    },
    async swap(next) {
      const previous = current;
      dataPlane.swap(next);
      current = next;
      try {
        await dataPlane.settled();
      } catch (err) {
        // The data plane went back to the previous snapshot: so does this node (and its IAM view).
        if (current === next) current = previous;
        throw err;
      }
    },
    close() {
      closing ??= (async () => {
        try {
          await dataPlane.close({ graceMs: startup.shutdownGraceMs });
        } finally {
          // The data plane already waited for the flush; a disk that stalls must not keep the process.
          await Promise.race([accessLog.close(), new Promise((r) => setTimeout(r, 2000).unref())]);
        }
      })();
      return closing;
    },
  };
}
