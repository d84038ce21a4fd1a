/** Runs the real `node bin/latticed.js up` in a child process and waits for it to serve. */
import { spawn, type ChildProcess } from 'node:child_process';
import { latticedBin, projectRoot } from './build.js';

export interface LatticedProcess {
  child: ChildProcess;
  /** Everything it wrote to stderr (status lines) so far. */
  readonly stderr: string;
  /** Resolves once stderr contains `text` after `from` (an earlier length of `stderr`). */
  waitFor(text: string | RegExp, from?: number, timeoutMs?: number): Promise<void>;
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startLatticed(args: string[], env: NodeJS.ProcessEnv = {}): Promise<LatticedProcess> {
  const child = spawn(process.execPath, [latticedBin, 'up', ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (process.env.E2E_VERBOSE) process.stderr.write(d);
    for (const w of waiters) w();
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: LatticedProcess = {
    child,
    get stderr() {
      return stderr;
    },
    waitFor(text, from = 0, timeoutMs = 20_000) {
      const seen = (): boolean => {
        const tail = stderr.slice(from);
        return typeof text === 'string' ? tail.includes(text) : text.test(tail);
      };
      if (seen()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!seen()) return;
          cleanup();
          resolve();
        };
        const onExit = (): void => {
          cleanup();
          reject(new Error(`latticed exited before printing ${String(text)}:\n${stderr}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${String(text)}:\n${stderr}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
        };
        waiters.add(check);
        child.once('exit', onExit);
      });
    },
    signal(sig) {
      child.kill(sig);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  await proc.waitFor('latticed: ready');
  return proc;
}
