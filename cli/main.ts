import { Command } from 'commander';
import { operatorCommand } from './operator-command.ts';
import { planCommand } from './plan-command.ts';
import { rehearseCommand } from './rehearse-command.ts';
import { startCommand } from './start-command.ts';
import { statusCommand } from './status-command.ts';

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

program
  .command('start')
  .description(
    'Start a release of <service> at <version> on the deployed state machine. The release id names the execution, so starting it twice finds the first.',
  )
  .argument('<service>', 'the service, as its release profile names it')
  .argument('<version>', 'the version to release; the profile turns it into the new target')
  .option('--release-id <id>', 'the release id (default: <service>-<version>)')
  .option('--state-machine <arn>', 'the state machine ARN (default: $STEPSHIFT_STATE_MACHINE_ARN)')
  .option('--wait', 'follow the release to its end; exit 0 when it promotes, 1 when it does not')
  .option('--json', 'print the release as JSON')
  .action(
    async (
      service: string,
      version: string,
      flags: { releaseId?: string; stateMachine?: string; wait?: boolean; json?: boolean },
    ) => {
      process.exitCode = await startCommand(service, version, flags);
    },
  );

program
  .command('status')
  .description(
    'Where a release is, by its id. Exit 0: promoted or running; 1: rolled back, rejected, stopped or failed; 2: not found.',
  )
  .argument('<releaseId>', 'the release id (for CodePipeline, the pipeline execution id)')
  .option('--state-machine <arn>', 'the state machine ARN (default: $STEPSHIFT_STATE_MACHINE_ARN)')
  .option('--json', 'print the release as JSON')
  .action(async (releaseId: string, flags: { stateMachine?: string; json?: boolean }) => {
    process.exitCode = await statusCommand(releaseId, flags);
  });

const tableOption = [
  '--table <name>',
  "stepshift's table (default: $STEPSHIFT_TABLE_NAME, the stack's TableName output)",
] as const;
const exits = 'Exit 0: done or recorded; 1: no running release has that id; 2: could not ask.';

program
  .command('abort')
  .description(`Roll a running release back now. ${exits}`)
  .argument('<releaseId>', 'the release id')
  .option(...tableOption)
  .option('--reason <text>', "why, in words; it becomes part of the rollback's reason")
  .option('--by <name>', 'who asks (default: $USER)')
  .option('--json', 'print the outcome as JSON')
  .action(
    async (releaseId: string, flags: { table?: string; reason?: string; by?: string; json?: boolean }) => {
      process.exitCode = await operatorCommand('abort', releaseId, flags);
    },
  );

program
  .command('promote')
  .description(`Skip the rest of the current step (with --full, every remaining step). ${exits}`)
  .argument('<releaseId>', 'the release id')
  .option(...tableOption)
  .option('--full', 'promote now: skip every remaining step')
  .option('--by <name>', 'who asks (default: $USER)')
  .option('--json', 'print the outcome as JSON')
  .action(
    async (releaseId: string, flags: { table?: string; full?: boolean; by?: string; json?: boolean }) => {
      process.exitCode = await operatorCommand('promote', releaseId, flags);
    },
  );

program
  .command('approve')
  .description(`Answer a release's manual confirmPromotion hook: promote once its checks pass. ${exits}`)
  .argument('<releaseId>', 'the release id')
  .option(...tableOption)
  .option('--by <name>', 'who approves (default: $USER)')
  .option('--json', 'print the outcome as JSON')
  .action(async (releaseId: string, flags: { table?: string; by?: string; json?: boolean }) => {
    process.exitCode = await operatorCommand('approve', releaseId, flags);
  });

program
  .command('reject')
  .description(`Answer a release's manual confirmPromotion hook: roll back instead of promoting. ${exits}`)
  .argument('<releaseId>', 'the release id')
  .option(...tableOption)
  .option('--reason <text>', "why, in words; it becomes part of the rollback's reason")
  .option('--by <name>', 'who rejects (default: $USER)')
  .option('--json', 'print the outcome as JSON')
  .action(
    async (releaseId: string, flags: { table?: string; reason?: string; by?: string; json?: boolean }) => {
      process.exitCode = await operatorCommand('reject', releaseId, flags);
    },
  );

for (const [command, description] of [
  [
    'pause',
    'Hold a running release at its current weight when this step ends; analysis keeps running and can still roll back.',
  ],
  ['resume', 'Let a paused (or frozen) release go on.'],
] as const) {
  program
    .command(command)
    .description(`${description} ${exits}`)
    .argument('<releaseId>', 'the release id')
    .option(...tableOption)
    .option('--by <name>', 'who asks (default: $USER)')
    .option('--json', 'print the outcome as JSON')
    .action(async (releaseId: string, flags: { table?: string; by?: string; json?: boolean }) => {
      process.exitCode = await operatorCommand(command, releaseId, flags);
    });
}

await program.parseAsync();
