/** Registers `latticed credentials`; the work loads on use (credentials-run.ts). */
import { Command, Option } from 'commander';
import { CREDENTIAL_FORMATS } from './credentials-format.js';
import type { CredentialsOptions } from './credentials-run.js';

const collect = (v: string, all: string[] = []): string[] => [...all, v];

export function registerCredentialsCommand(program: Command): void {
  program
    .command('credentials')
    .description('Mint temporary credentials for a role (an STS session sealed under the node\'s master key)')
    .requiredOption('--role <role>', 'role name or ARN from the configuration file')
    .option('--session-name <name>', 'RoleSessionName, [\\w+=,.@-]{2,64} (default: latticed-UNIXTIME)')
    .option('--duration <seconds>', 'session duration, 900 up to the role\'s maxSessionDuration (default 3600)')
    .option('--source-identity <id>', 'SourceIdentity recorded with the session')
    .option('--tag <key=value>', 'session tag, repeatable; overrides the role\'s tag of the same key', collect)
    .addOption(new Option('--format <format>', 'output format').choices(CREDENTIAL_FORMATS).default('env'))
    .option('-f, --file <file>', 'the configuration file (YAML or JSON)', 'latticed.yaml')
    .option('--state-dir <dir>', 'where the master key lives (default: node.stateDir, else .latticed)')
    .option('--profile <name>', 'profile name for --format aws-profile (default: the role name)')
    .action(async (o: CredentialsOptions) => {
      await (await import('./credentials-run.js')).credentials(o);
    });
}
