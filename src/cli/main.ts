import { Command } from 'commander';
import { registerPolicyCommands } from './policy.js';

const program = new Command();
program
  .name('latticed')
  .description('A self-hosted zero-trust service network that speaks Amazon VPC Lattice\'s wire formats.')
  .version('0.1.0');

registerPolicyCommands(program);

await program.parseAsync(process.argv);
