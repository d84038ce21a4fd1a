/**
 * `latticed validate -f FILE`: checks a configuration the way `latticed up` would, without serving it,
 * so a change can be gated in CI. Errors and warnings print as `FILE: PATH: message`.
 */
import path from 'node:path';
import type { Command } from 'commander';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Validate a configuration file (schema, references, policies, secrets and certificates) without serving it')
    .requiredOption('-f, --file <file>', 'the configuration file (YAML or JSON)')
    .option('--schema-only', 'skip the checks that read secrets and certificate files')
    .option('--strict', 'exit 1 on warnings too')
    .action(async (o: { file: string; schemaOnly?: boolean; strict?: boolean }) => {
      process.exitCode = await validateFile(o.file, o);
    });
}

async function validateFile(file: string, o: { schemaOnly?: boolean; strict?: boolean }): Promise<number> {
  const { loadConfigFile, buildSnapshot, configWarnings, ConfigError } = await import('../network/index.js');
  try {
    const config = await loadConfigFile(file);
    // Building the snapshot resolves secret references and reads certificates: the errors `up` would hit.
    if (!o.schemaOnly) await buildSnapshot(config, { revision: 1, baseDir: path.dirname(path.resolve(file)), file });
    const warnings = configWarnings(config);
    for (const w of warnings) process.stderr.write(`${file}: ${w.path}: warning: ${w.message}\n`);
    process.stdout.write(`${file}: valid${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : ''}\n`);
    return o.strict && warnings.length > 0 ? 1 : 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const i of err.issues) process.stderr.write(`${file}: ${i.path}: ${i.message}\n`);
    return 1;
  }
}
