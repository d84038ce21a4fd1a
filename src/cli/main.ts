import { Command } from 'commander';

const program = new Command();
program
  .name('latticed')
  .description('A self-hosted zero-trust service network that speaks Amazon VPC Lattice\'s wire formats.')
  .version('0.1.0');

await program.parseAsync(process.argv);
