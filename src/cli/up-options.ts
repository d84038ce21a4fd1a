/** Options of `latticed up`, as parsed by commander, and how each falls back to the file and the defaults. */
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { NodeSettings } from '../network/snapshot.js';

export interface UpOptions {
  file: string;
  stateDir?: string;
  accessLog?: string;
  accessLogStdout?: boolean;
  workers?: number;
  listen?: string;
}

/** Everything fixed at start-up; a reload never changes these (docs/operations.md). */
export interface NodeStartup {
  file: string;
  stateDir: string;
  accessLogPath: string;
  accessLogStdout: boolean;
  accessLogBufferBytes: number;
  listenAddress: string;
  workers: number;
  shutdownGraceMs: number;
}

/** Command line first, then the file's `node` section, then the defaults. */
export function resolveStartup(o: UpOptions, settings: NodeSettings, defaultStateDir: string): NodeStartup {
  const stateDir = path.resolve(o.stateDir ?? settings.stateDir ?? defaultStateDir);
  return {
    file: path.resolve(o.file),
    stateDir,
    accessLogPath: path.resolve(o.accessLog ?? settings.accessLog.file ?? path.join(stateDir, 'access.log')),
    accessLogStdout: o.accessLogStdout === true || settings.accessLog.stdout,
    accessLogBufferBytes: settings.accessLog.bufferBytes,
    listenAddress: o.listen ?? settings.listenAddress,
    workers: o.workers ?? settings.workers,
    shutdownGraceMs: settings.timeouts.shutdownGraceSeconds * 1000,
  };
}

export function parseWorkers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`must be an integer from 1 to 64, got "${v}"`);
  return n;
}
