import { Command } from 'commander';
import { planCommand } from './plan-command.ts';
import { rehearseCommand } from './rehearse-command.ts';

const program = new Command()
  .name('stepshift')
  .description('Progressive delivery for AWS service meshes: canary releases gated on CloudWatch alarms.');

program
  .command('rehearse')
  .description(
    'Run a release offline, through the deployed state machine definition, against a simulated AWS scripted by a scenario file.',
  )
  .argument('<scenario...>', 'scenario JSON files (see examples/)')
  .option(
    '--json',
    'print one JSON document (outcome, error, finalRoutes, timeline, calls) instead of the timeline',
  )
  .action(async (files: string[], flags: { json?: boolean }) => {
    process.exitCode = await rehearseCommand(files, flags);
  });

program
  .command('plan')
  .description(
    "Validate a release profile (or a scenario's) and print its steps, timing and Step Functions cost.",
  )
  .argument('<file>', 'a release profile JSON file, or a scenario file')
  .option('--json', 'print the plan as JSON')
  .action(async (file: string, flags: { json?: boolean }) => {
    process.exitCode = await planCommand(file, flags);
  });

await program.parseAsync();
