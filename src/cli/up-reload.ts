/**
 * Reload: the file watcher (chokidar) and SIGHUP both ask for a reload; reloads run one at a time and
 * requests that arrive during one collapse into a single follow-up. A valid, changed file becomes the
 * next revision; an unchanged hash does nothing; an invalid file is reported and the old snapshot stays.
 */
import { watch } from 'chokidar';
import { ConfigError } from '../network/index.js';
import type { Snapshot } from '../network/snapshot.js';
import { loadCandidate, type Candidate } from './up-node.js';

export type ReloadOutcome =
  | { kind: 'swapped'; revision: number; hash: string }
  | { kind: 'unchanged'; revision: number }
  | { kind: 'rejected'; revision: number; message: string };

export interface ReloaderOptions {
  file: string;
  current(): Snapshot;
  /** Puts a validated candidate into service (in this process, or in every worker). */
  apply(next: Candidate): Promise<void>;
  log(line: string): void;
}

export interface Reloader {
  reload(reason: string): Promise<ReloadOutcome>;
  close(): Promise<void>;
}

export function describeError(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

async function reloadOnce(o: ReloaderOptions, reason: string): Promise<ReloadOutcome> {
  const current = o.current();
  let next: Candidate;
  try {
    next = await loadCandidate(o.file, current.revision + 1);
  } catch (e) {
    const message = describeError(e);
    o.log(`reload (${reason}) rejected; still serving revision ${current.revision}:\n${message}`);
    return { kind: 'rejected', revision: current.revision, message };
  }
  if (next.snapshot.hash === current.hash) {
    o.log(`reload (${reason}): configuration unchanged; still serving revision ${current.revision}`);
    return { kind: 'unchanged', revision: current.revision };
  }
  try {
    await o.apply(next);
  } catch (e) {
    // Not applied (e.g. a new listener port is taken): apply() undid it, so the old revision serves
    // and the same file can be retried (SIGHUP) once the cause is gone.
    const message = describeError(e);
    const serving = o.current().revision;
    o.log(`reload (${reason}) rejected; still serving revision ${serving}:\n${message}`);
    return { kind: 'rejected', revision: serving, message };
  }
  o.log(`reload (${reason}): serving revision ${next.snapshot.revision} (hash ${next.snapshot.hash.slice(0, 12)})`);
  return { kind: 'swapped', revision: next.snapshot.revision, hash: next.snapshot.hash };
}

export function startReloader(o: ReloaderOptions): Reloader {
  let running: Promise<ReloadOutcome> | undefined;
  let queued: Promise<ReloadOutcome> | undefined;
  const reload = (reason: string): Promise<ReloadOutcome> => {
    if (queued) return queued;
    if (!running) {
      running = reloadOnce(o, reason).finally(() => (running = undefined));
      return running;
    }
    // One follow-up reads the file after the running reload, so the latest edit always lands.
    queued = running.catch(() => undefined).then(() => {
      queued = undefined;
      return reload(reason);
    });
    return queued;
  };
  const watcher = watch(o.file, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } });
  const onFile = (): void => void reload('file changed').catch((e: unknown) => o.log(`reload failed: ${describeError(e)}`));
  watcher.on('change', onFile).on('add', onFile);
  watcher.on('error', (e) => o.log(`watching ${o.file}: ${describeError(e)}`));
  const onHup = (): void => void reload('SIGHUP').catch((e: unknown) => o.log(`reload failed: ${describeError(e)}`));
  process.on('SIGHUP', onHup);
  return {
    reload,
    async close() {
      process.off('SIGHUP', onHup);
      await watcher.close();
    },
  };
}
