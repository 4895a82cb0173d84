import { Command, CommanderError } from 'commander';
import type { OperatorCommand } from '#core/shapes.ts';
import type { AssessFlags } from './assess-command.ts';
import { EXIT, guarded, withAwsOptions } from './conventions.ts';
import type { DoctorFlags } from './doctor-command.ts';
import type { OperatorFlags } from './operator-command.ts';
import type { AwsCommandOptions } from './start-command.ts';
import { version } from './version.ts';

type StartFlags = AwsCommandOptions & { releaseId?: string; wait?: boolean };

const io = { out: process.stdout, err: process.stderr, env: process.env };

/**
 * Each command's module is imported when it runs, so `--version` or `status` does not load the
 * rehearsal, nor `rehearse` the operator commands (the bundle splits along these imports).
 * Every action runs guarded: whatever it throws ends as one sentence and exit 2, never a stack trace.
 */
const run = (doing: string, json: boolean | undefined, action: () => Promise<number>): Promise<void> =>
  guarded(doing, io, json, action).then((code) => {
    process.exitCode = code;
  });

const program = new Command()
  .name('stepshift')
  .description('Progressive delivery for AWS service meshes: canary releases gated on CloudWatch alarms.')
  .version(version, '--version', 'print the version')
  // A usage error (unknown option, missing argument) is "could not ask": exit 2, as the AWS CLI does.
  .exitOverride();

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
  .option('--chart <file.svg>', "draw the release's chart to this SVG file (one scenario)")
  .option(
    '--watch',
    'replay the release through the view `stepshift watch` shows, on the virtual clock (with --json: its last view, as "view")',
  )
  .action((files: string[], flags: { json?: boolean; chart?: string; watch?: boolean }) =>
    run('rehearsing', flags.json, async () =>
      (await import('./rehearse-command.ts')).rehearseCommand(files, flags),
    ),
  );

program
  .command('plan')
  .description(
    "Validate a release profile (or a scenario's) and print its steps, timing and Step Functions cost.",
  )
  .argument('<file>', 'a release profile JSON file, or a scenario file')
  .option('--json', 'print the plan as JSON')
  .action((file: string, flags: { json?: boolean }) =>
    run(`planning ${file}`, flags.json, async () =>
      (await import('./plan-command.ts')).planCommand(file, flags),
    ),
  );

program
  .command('assess')
  .description(
    "How fast a scenario's profile catches a bad version: rehearses a grid of degradations (error rate ×2, ×5, ×10; latency +20%, +50%, +100%; from the start, mid-step, the last step) with seeded noise, and healthy runs for the false-rollback rate. Offline. Exit 0: assessed; 2: the file or an option cannot be used.",
  )
  .argument('<scenario>', 'a scenario file whose release promotes when nothing is wrong (see examples/)')
  .option('--rps <n>', 'requests per second the service serves (default 100)')
  .option('--seed <n>', 'seed of the noise; the same seed gives the same report (default 1)')
  .option('--runs <n>', 'healthy runs for the false-rollback rate (default 20)')
  .option('--noise <sigma>', "the noise's relative standard deviation around each baseline (default 0.1)")
  .option('--json', 'print the report as one JSON document')
  .option('--chart <file.svg>', 'draw the assessment as a chart to this SVG file')
  .action((file: string, flags: AssessFlags) =>
    run(`assessing ${file}`, flags.json, async () =>
      (await import('./assess-command.ts')).assessCommand(file, flags, io),
    ),
  );

withAwsOptions(
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
    .option('--json', 'print the release as JSON'),
).action((service: string, version: string, flags: StartFlags) =>
  run(`starting ${service} ${version}`, flags.json, async () =>
    (await import('./start-command.ts')).startCommand(service, version, flags),
  ),
);

withAwsOptions(
  program
    .command('status')
    .description(
      'Where a release is, by its id. Exit 0: promoted or running; 1: rolled back, rejected, stopped or failed, or no such release; 2: could not ask.',
    )
    .argument('<releaseId>', 'the release id (for CodePipeline, the pipeline execution id)')
    .option('--state-machine <arn>', 'the state machine ARN (default: $STEPSHIFT_STATE_MACHINE_ARN)')
    .option('--json', 'print the release as JSON'),
).action((releaseId: string, flags: AwsCommandOptions) =>
  run(`reading release ${releaseId}`, flags.json, async () =>
    (await import('./watch-command.ts')).statusViewCommand(releaseId, flags),
  ),
);

withAwsOptions(
  program
    .command('watch')
    .description(
      'Follow a release until it ends: its steps, weights and events, from its execution history. Exit 0: promoted; 1: ended otherwise, or no such release; 2: could not ask.',
    )
    .argument('<releaseId>', 'the release id')
    .option('--state-machine <arn>', 'the state machine ARN (default: $STEPSHIFT_STATE_MACHINE_ARN)')
    .option('--json', 'print the release and its last view as JSON when it ends'),
).action((releaseId: string, flags: AwsCommandOptions) =>
  run(`watching release ${releaseId}`, flags.json, async () =>
    (await import('./watch-command.ts')).watchCommand(releaseId, flags),
  ),
);

withAwsOptions(
  program
    .command('list')
    .description(
      'The releases running now: step, weights, state, next check and trigger. Exit 0; 2: could not ask.',
    )
    .option('--service <name>', 'only the releases of this service')
    .option('--state-machine <arn>', 'the state machine ARN (default: $STEPSHIFT_STATE_MACHINE_ARN)')
    .option('--json', 'print {"releases": [...]}'),
).action((flags: AwsCommandOptions & { service?: string }) =>
  run('listing running releases', flags.json, async () =>
    (await import('./list-command.ts')).listCommand(flags),
  ),
);

withAwsOptions(
  program
    .command('history')
    .description(
      "A service's releases, newest first: outcome and why, duration, trigger, how far each got. Exit 0; 2: could not ask.",
    )
    .argument('<service>', 'the service, as its release profile names it')
    .option('--limit <n>', 'at most this many releases (default 20)')
    .option('--since <when>', 'only releases started since: 7d, 12h, 30m, or an ISO 8601 time')
    .option('--state-machine <arn>', 'the state machine ARN (default: $STEPSHIFT_STATE_MACHINE_ARN)')
    .option('--json', 'print {"service", "releases": [...]}'),
).action((service: string, flags: AwsCommandOptions & { limit?: string; since?: string }) =>
  run(`reading the history of ${service}`, flags.json, async () =>
    (await import('./history-command.ts')).historyCommand(service, flags),
  ),
);

withAwsOptions(
  program
    .command('doctor')
    .description(
      'Before the first release: check each release profile against the account, read-only (its route, canary target, alarms), and say what to change. Exit 0: nothing to change; 1: findings; 2: could not ask.',
    )
    .argument(
      '[profiles]',
      'a profile file (JSON or YAML) or a folder of them; with --scenario, default: its profile',
    )
    .option('--scenario <file>', "check against this scenario's simulated account instead of AWS (offline)")
    .option(
      '--ping-webhooks',
      'send each webhook hook one signed test call (marked "ping": true) and check it answers 2xx',
    )
    .option('--json', 'print every check as one JSON document'),
).action((path: string | undefined, flags: DoctorFlags) =>
  run(`doctor ${path ?? flags.scenario ?? ''}`.trim(), flags.json, async () =>
    (await import('./doctor-command.ts')).doctorCommand(path, flags),
  ),
);

const tableOption = [
  '--table <name>',
  "stepshift's table (default: $STEPSHIFT_TABLE_NAME, the stack's TableName output)",
] as const;
const exits = 'Exit 0: done or recorded; 1: no running release has that id; 2: could not ask.';

withAwsOptions(
  program
    .command('report')
    .description(
      'A release as a page for a change ticket: what was released, the plan, each check, the outcome and why, who acted, and the chart. Exit 0: written; 1: no such release; 2: could not ask.',
    )
    .argument('<release>', 'a release id, or the JSON file of `stepshift rehearse <scenario> --json`')
    .option('--format <format>', 'md (Markdown, the default) or json')
    .option('--chart <file.svg>', "draw the release's chart to this SVG file too; the Markdown links to it")
    .option('--state-machine <arn>', 'the state machine ARN (default: $STEPSHIFT_STATE_MACHINE_ARN)')
    .option(
      '--service <name>',
      "find the release's execution through the table's ledger (for releases an EventBridge rule started)",
    )
    .option(...tableOption),
).action((release: string, flags: import('./report-command.ts').ReportFlags) =>
  run(`reporting on ${release}`, flags.format === 'json', async () =>
    (await import('./report-command.ts')).reportCommand(release, flags),
  ),
);

/** The operator commands: each takes a release id, the table, who asks, and the AWS options. */
const operators: readonly {
  readonly command: OperatorCommand;
  readonly description: string;
  readonly by: string;
  readonly reason?: true;
  readonly full?: true;
}[] = [
  { command: 'abort', description: 'Roll a running release back now.', by: 'who asks', reason: true },
  {
    command: 'promote',
    description: 'Skip the rest of the current step (with --full, every remaining step).',
    by: 'who asks',
    full: true,
  },
  {
    command: 'approve',
    description: "Answer a release's manual confirmPromotion hook: promote once its checks pass.",
    by: 'who approves',
  },
  {
    command: 'reject',
    description: "Answer a release's manual confirmPromotion hook: roll back instead of promoting.",
    by: 'who rejects',
    reason: true,
  },
  {
    command: 'pause',
    description:
      'Hold a running release at its current weight when this step ends; analysis keeps running and can still roll back.',
    by: 'who asks',
  },
  { command: 'resume', description: 'Let a paused (or frozen) release go on.', by: 'who asks' },
];

for (const op of operators) {
  const command = program
    .command(op.command)
    .description(`${op.description} ${exits}`)
    .argument('<releaseId>', 'the release id')
    .option(...tableOption);
  if (op.full) command.option('--full', 'promote now: skip every remaining step');
  if (op.reason) command.option('--reason <text>', "why, in words; it becomes part of the rollback's reason");
  command.option('--by <name>', `${op.by} (default: $USER)`).option('--json', 'print the outcome as JSON');
  withAwsOptions(command).action((releaseId: string, flags: OperatorFlags) =>
    run(`${op.command} ${releaseId}`, flags.json, async () =>
      (await import('./operator-command.ts')).operatorCommand(op.command, releaseId, flags),
    ),
  );
}

try {
  await program.parseAsync();
} catch (error) {
  // Commander has printed its own line (the usage error, or the help and version it was asked for).
  if (!(error instanceof CommanderError)) throw error;
  process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.couldNotAsk;
}
