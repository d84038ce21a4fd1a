/**
 * `latticed up --workers N`: node:cluster. The primary validates the file, watches it and owns the
 * revision; each worker runs a full data plane on the shared listening sockets. The primary sends
 * workers the validated configuration (never the file path alone, so all workers compile the very
 * same text) and a reload counts as done when every worker has swapped.
 */
import cluster, { type Worker } from 'node:cluster';
import type { LatticedConfig } from '../network/index.js';
import { loadMasterKey } from '../iam/index.js';
import { bannerLines } from './up-banner.js';
import { compile, startNodeRuntime, type Candidate, type NodeRuntime } from './up-node.js';
import type { NodeStartup } from './up-options.js';
import { describeError, startReloader } from './up-reload.js';
import { onShutdownSignals } from './up-signals.js';

type ToWorker =
  | { t: 'start'; startup: NodeStartup; config: LatticedConfig; revision: number }
  | { t: 'swap'; config: LatticedConfig; revision: number }
  | { t: 'stop' };
type FromWorker = { t: 'hello' } | { t: 'ready' } | { t: 'swapped'; revision: number } | { t: 'failed'; message: string };

const SWAP_TIMEOUT_MS = 15_000;

/** Resolves with the first message from `w` that `accept` takes; rejects when it exits first or times out. */
function awaitMessage(w: Worker, accept: (m: FromWorker) => boolean, timeoutMs: number): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('exit', onExit);
    };
    const onMessage = (m: FromWorker): void => {
      if (m.t === 'failed') {
        done();
        reject(new Error(`worker ${w.id}: ${m.message}`));
      } else if (accept(m)) {
        done();
        resolve(m);
      }
    };
    const onExit = (): void => {
      done();
      reject(Object.assign(new Error(`worker ${w.id} exited`), { exited: true }));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`worker ${w.id} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    w.on('message', onMessage);
    w.on('exit', onExit);
  });
}

export async function runPrimary(startup: NodeStartup, first: Candidate, log: (l: string) => void): Promise<void> {
  // Create the key file once, before N workers would race to create it.
  await loadMasterKey({ env: process.env, stateDir: startup.stateDir });
  let current = first;
  let stopping = false;
  const workers = new Set<Worker>();
  /** Workers that were sent their start message: the ones a reload must reach. */
  const started = new Set<Worker>();

  const fork = async (replacement = false): Promise<void> => {
    const w = cluster.fork();
    workers.add(w);
    // A send to a worker whose channel just closed (it is dying) emits 'error': log it, never crash the primary.
    w.on('error', (e: unknown) => log(`worker ${w.id}: ${describeError(e)}`));
    w.on('exit', (code, signal) => {
      workers.delete(w);
      started.delete(w);
      if (stopping) return;
      log(`worker ${w.id} exited (${signal ?? code}); starting a replacement`);
      // After a pause, and only if no shutdown began meanwhile (Ctrl-C reaches workers first).
      setTimeout(() => {
        if (!stopping) void fork(true).catch((e: unknown) => log(`replacement worker failed: ${describeError(e)}`));
      }, 200);
    });
    // A worker loads the CLI before it listens for messages; it says hello once it does.
    await awaitMessage(w, (m) => m.t === 'hello', 30_000);
    if (stopping) {
      // Shutdown began while it was loading: it has nothing to drain.
      w.process.kill('SIGTERM');
      return;
    }
    const ready = awaitMessage(w, (m) => m.t === 'ready', 30_000);
    w.send({ t: 'start', startup, config: current.config, revision: current.snapshot.revision } satisfies ToWorker);
    // From here on it gets every swap (after its start, in order); before, `current` at start covers it.
    started.add(w);
    await ready;
    if (replacement) log(`worker ${w.id} serving revision ${current.snapshot.revision}`);
  };

  await Promise.all(Array.from({ length: startup.workers }, fork));

  const reloader = startReloader({
    file: startup.file,
    current: () => current.snapshot,
    apply: async (next) => {
      /** Sends every started worker the swap and waits for all their answers; rejects with the first failure. */
      const swapAll = async (to: Candidate): Promise<void> => {
        const msg: ToWorker = { t: 'swap', config: to.config, revision: to.snapshot.revision };
        const rev = to.snapshot.revision;
        const answers = await Promise.allSettled(
          [...started].map((w) => {
            const acked = awaitMessage(w, (m) => m.t === 'swapped' && m.revision === rev, SWAP_TIMEOUT_MS);
            // One that is disconnecting gets nothing: its exit settles `acked`, its replacement starts on `current`.
            if (w.isConnected()) w.send(msg);
            return acked;
          }),
        );
        // A worker that died meanwhile is not a failure of the swap: its replacement starts on `current`.
        for (const a of answers) if (a.status === 'rejected' && (a.reason as { exited?: boolean }).exited !== true) throw a.reason;
      };
      const previous = current;
      // The primary's view moves first, so a worker restarted meanwhile starts on the new config.
      current = next;
      try {
        await swapAll(next);
      } catch (err) {
        // A worker could not apply it (its swap was undone, e.g. a port is taken): the reload is
        // rejected, so every worker goes back to the previous configuration, whichever swapped.
        current = previous;
        await swapAll(previous).catch((e: unknown) => log(`restoring revision ${previous.snapshot.revision}: ${describeError(e)}`));
        throw err;
      }
    },
    log,
  });

  onShutdownSignals(async () => {
    stopping = true;
    await reloader.close();
    await Promise.all(
      [...workers].map(async (w) => {
        const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        // A started worker drains; one still loading has not listened for messages yet and holds nothing.
        if (started.has(w) && w.isConnected()) w.send({ t: 'stop' } satisfies ToWorker);
        else w.process.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, startup.shutdownGraceMs + 5_000))]);
        if (!w.isDead()) w.process.kill('SIGKILL');
      }),
    );
  });
  log(bannerLines(current.snapshot, startup).join('\n'));
  log('ready');
}

/** A worker: waits for its configuration, serves it, swaps on request, drains on 'stop' or a signal. */
export function runWorker(log: (l: string) => void): Promise<void> {
  let node: NodeRuntime | undefined;
  let startup: NodeStartup | undefined;
  const send = (m: FromWorker): void => void process.send?.(m);
  const stop = async (): Promise<void> => {
    await node?.close();
  };
  // Ctrl-C reaches the whole process group; the primary also sends 'stop'. Either drains once.
  onShutdownSignals(stop);
  // Reloads are the primary's: a SIGHUP to the whole group (a closed terminal) must not kill workers.
  process.on('SIGHUP', () => undefined);
  const handle = async (m: ToWorker): Promise<void> => {
    try {
      if (m.t === 'start') {
        startup = m.startup;
        node = await startNodeRuntime(startup, await compile(startup.file, m.config, m.revision));
        send({ t: 'ready' });
      } else if (m.t === 'swap') {
        if (!node || !startup) throw new Error('swap before start');
        await node.swap(await compile(startup.file, m.config, m.revision));
        send({ t: 'swapped', revision: m.revision });
      } else if (m.t === 'stop') {
        await stop();
        process.exit(0);
      }
    } catch (e) {
      log(`worker ${cluster.worker?.id}: ${describeError(e)}`);
      send({ t: 'failed', message: describeError(e) });
    }
  };
  // One message at a time, in order: a swap that arrives while the worker is still starting (a
  // replacement forked just before a reload) waits for the start instead of being lost.
  let queue = Promise.resolve();
  process.on('message', (m: ToWorker) => {
    queue = queue.then(() => handle(m));
  });
  send({ t: 'hello' });
  return Promise.resolve();
}
