/** Registers `latticed demo` (what `npm start` runs); the demo itself loads on use (demo-run.ts). */
import { Command } from 'commander';

export interface DemoOptions {
  stateDir?: string;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the order-inventory example: its apps, latticed in front of them, and commands to try')
    .option('--state-dir <dir>', 'state directory (default: the example\'s node.stateDir, .latticed/demo)')
    .action(async (o: DemoOptions) => (await import('./demo-run.js')).demo(o));
}
