import { Command } from 'commander';
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

await program.parseAsync();
