import { Command } from 'commander';
import { registerPolicyCommands } from './policy.js';
import { registerUpCommand } from './up.js';
import { registerDemoCommand } from './demo.js';
import { registerCredentialsCommand } from './credentials.js';
import { registerValidateCommand } from './validate.js';

const program = new Command();
program
  .name('latticed')
  .description('A self-hosted zero-trust service network that speaks Amazon VPC Lattice\'s wire formats.')
  .version('0.1.0');

registerPolicyCommands(program);
registerUpCommand(program);
registerDemoCommand(program);
registerCredentialsCommand(program);
registerValidateCommand(program);

await program.parseAsync(process.argv);
