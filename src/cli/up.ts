/** Registers `latticed up`; the node itself loads on use (up-run.ts), so other commands start fast. */
import { Command, Option } from 'commander';
import { parseWorkers, type UpOptions } from './up-options.js';

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('Serve the service network described by a configuration file; reload on change or SIGHUP')
    .requiredOption('-f, --file <file>', 'the configuration file (YAML or JSON)')
    .option('--state-dir <dir>', 'master key and access log live here (default: node.stateDir, else .latticed)')
    .option('--access-log <path>', 'access-log file (default: node.accessLog.file, else STATE_DIR/access.log)')
    .option('--access-log-stdout', 'also write each access-log record to stdout')
    .addOption(new Option('--workers <n>', 'worker processes sharing the listeners (default: node.workers, else 1)').argParser(parseWorkers))
    .option('--listen <address>', 'address the listeners bind to (default: node.listenAddress, else 127.0.0.1)')
    .action(async (o: UpOptions) => {
      await (await import('./up-run.js')).up(o);
    });
}
