/**
 * Runs `latticed up -f FILE`: validate the file, compile a snapshot, serve it, reload on file change or
 * SIGHUP, and drain on SIGTERM/SIGINT. Status lines go to stderr, so stdout can carry the access log.
 */
import cluster from 'node:cluster';
import { DEFAULT_STATE_DIR } from '../iam/index.js';
import { bannerLines } from './up-banner.js';
import { loadCandidate, startNodeRuntime } from './up-node.js';
import { resolveStartup, type NodeStartup, type UpOptions } from './up-options.js';
import { describeError, startReloader } from './up-reload.js';
import { log, onShutdownSignals } from './up-signals.js';
import { runPrimary, runWorker } from './workers.js';

async function runSingle(startup: NodeStartup, first: Awaited<ReturnType<typeof loadCandidate>>): Promise<void> {
  const node = await startNodeRuntime(startup, first.snapshot);
  const reloader = startReloader({
    file: startup.file,
    current: () => node.snapshot,
    apply: (next) => node.swap(next.snapshot),
    log,
  });
  onShutdownSignals(async () => {
    await reloader.close();
    await node.close();
  });
  log(bannerLines(node.snapshot, startup).join('\n'));
  log('ready');
}

/**
 * Starts a node from a file and returns what it started with. Prints every configuration error (with
 * its path) and sets exit code 1 when the file is invalid.
 */
export async function up(o: UpOptions): Promise<NodeStartup | undefined> {
  if (cluster.isWorker) {
    await runWorker(log);
    return undefined;
  }
  // SIGHUP's default action ends the process: hold one that arrives while starting, replay it once serving.
  let earlyHup = false;
  const holdHup = (): void => void (earlyHup = true);
  process.on('SIGHUP', holdHup);
  let first;
  try {
    first = await loadCandidate(o.file, 1);
  } catch (e) {
    process.stderr.write(`${describeError(e)}\n`);
    process.exitCode = 1;
    return undefined;
  }
  const startup = resolveStartup(o, first.snapshot.settings, DEFAULT_STATE_DIR);
  try {
    await (startup.workers > 1 ? runPrimary(startup, first, log) : runSingle(startup, first));
    process.off('SIGHUP', holdHup);
    if (earlyHup) process.emit('SIGHUP', 'SIGHUP');
  } catch (e) {
    // e.g. a port already in use: say so plainly, and do not linger half-started.
    log(`cannot start: ${describeError(e)}`);
    process.exit(1);
  }
  return startup;
}

