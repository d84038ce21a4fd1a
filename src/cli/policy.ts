/** The `latticed policy` command group: policy as code (validate, simulate). */
import { Command, Option } from 'commander';
import { CliError, simulateCases, simulateOne, type SimulateOptions } from './policy-simulate.js';
import { validateFiles, type ValidateOptions } from './policy-validate.js';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Runs an action; a CliError prints its lines to stderr; the status becomes the exit code. */
function guarded(fn: () => number): void {
  try {
    process.exitCode = fn();
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    for (const l of e.lines) process.stderr.write(`${l}\n`);
    process.exitCode = 1;
  }
}

const authTypes = ['NONE', 'AWS_IAM'];

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('Validate and simulate IAM auth policies (policy as code, for CI)');

  policy
    .command('validate')
    .description('Check policy documents; prints each error as FILE: JSONPATH: reason and exits 1 if any')
    .argument('<files...>', 'policy JSON files')
    .addOption(new Option('--kind <kind>', 'resource (auth policies: Principal required, 10 KB limit) or identity').choices(['resource', 'identity']).default('resource'))
    .option('--strict', 'exit 1 on warnings too')
    .option('-q, --quiet', 'print nothing for valid files')
    .action((files: string[], o: ValidateOptions) => guarded(() => validateFiles(files, o, print)));

  policy
    .command('simulate')
    .description('Decide requests as the data plane would: identity, service-network and service layers')
    .option('--service-policy <file>', 'the service auth policy')
    .addOption(new Option('--service-auth-type <type>', 'default AWS_IAM with --service-policy, else NONE').choices(authTypes))
    .option('--network-policy <file>', 'the service network auth policy')
    .addOption(new Option('--network-auth-type <type>', 'default AWS_IAM with --network-policy, else NONE').choices(authTypes))
    .option('--identity-policy <files...>', "the caller's identity-based policies")
    .option('--skip-identity', "treat an authenticated caller's identity policies as allowing (evaluate the auth policies alone)")
    .option('--policy <file>', 'the single policy a raw IAM request ({action, resource, principal, context}) is checked against')
    .addOption(new Option('--kind <kind>', 'the kind of --policy').choices(['resource', 'identity']).default('resource'))
    .option('--request <json>', 'one request: inline JSON, or @FILE')
    .option('--cases <file>', 'JSON Lines of requests, each with an optional "expected"; prints one JSON result per line')
    .option('--service-arn <arn>', 'default serviceArn for requests that leave it out')
    .option('--service-network-arn <arn>', 'default serviceNetworkArn for requests that leave it out')
    .option('--json', 'print the result as JSON')
    .action((o: SimulateOptions) =>
      guarded(() => {
        if ((o.request === undefined) === (o.cases === undefined)) throw new CliError(['simulate: give exactly one of --request or --cases']);
        return o.cases !== undefined ? simulateCases(o, print) : simulateOne(o, print);
      }),
    );
}
