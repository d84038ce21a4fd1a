/** Status lines (stderr, prefixed) and the SIGTERM/SIGINT drain shared by single-process and worker mode. */
import { describeError } from './up-reload.js';

export const log = (line: string): void => {
  process.stderr.write(line.split('\n').map((l) => `latticed: ${l}\n`).join(''));
};

/** SIGTERM/SIGINT run `stop` once; a second signal exits at once. */
export function onShutdownSignals(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log(`${signal} again: exiting without draining`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: draining`);
    stop(signal).then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (e: unknown) => {
        log(`shutdown failed: ${describeError(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
