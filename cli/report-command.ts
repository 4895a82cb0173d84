import { storyOfRehearsal } from './chart/from-rehearsal.ts';
import type { ReleaseStory } from './chart/story.ts';
import {
  type AwsFlags,
  type AwsTarget,
  awsTarget,
  describeFailure,
  EXIT,
  failed,
  type Output,
  printJson,
} from './conventions.ts';
import type { LedgerLookup } from './report/aws-story.ts';
import { reportMarkdown } from './report/markdown.ts';
import { RehearsalFileError, readRehearsalFile } from './report/rehearsal-file.ts';

export interface ReportFlags extends AwsFlags {
  /** md (the default) or json. */
  readonly format?: string;
  /** Draw the release's chart to this SVG file too; the Markdown links to it. */
  readonly chart?: string;
  /** The deployed state machine (for a release id); default $STEPSHIFT_STATE_MACHINE_ARN. */
  readonly stateMachine?: string;
  /** The release's service: find its execution through the table's ledger rather than by its name. */
  readonly service?: string;
  /** stepshift's table, for --service; default $STEPSHIFT_TABLE_NAME. */
  readonly table?: string;
}

/** Where a release id's story comes from: its execution's history (cli/report/aws-story.ts). */
export type StoryOfRelease = (
  releaseId: string,
  stateMachineArn: string,
  target: AwsTarget,
  lookup?: LedgerLookup,
) => Promise<ReleaseStory | { readonly notFound: string }>;

export interface ReportContext {
  readonly out: Output;
  readonly err: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly storyOfRelease: StoryOfRelease;
}

const defaultContext: ReportContext = {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
  storyOfRelease: async (...args) => (await import('./report/aws-story.ts')).storyOfRelease(...args),
};

/** A rehearsal's JSON file rather than a release id: release ids never end in ".json". */
const isFile = (target: string) => target.endsWith('.json');

/**
 * `stepshift report <id | rehearsal.json> --format md|json [--chart file.svg]`: the release as a page
 * for a change ticket. Exit 0 when the report was written (whatever the release's outcome: the report
 * says it); 1 when Step Functions has no such release; 2 when it could not be made.
 */
export async function reportCommand(
  target: string,
  flags: ReportFlags,
  context: ReportContext = defaultContext,
): Promise<number> {
  const format = flags.format ?? 'md';
  const json = format === 'json';
  if (format !== 'md' && format !== 'json') {
    return failed(
      context,
      `--format ${JSON.stringify(format)} is not one the report knows: give md or json`,
      false,
    );
  }
  let story: ReleaseStory;
  if (isFile(target)) {
    try {
      story = storyOfRehearsal(await readRehearsalFile(target));
    } catch (error) {
      if (!(error instanceof RehearsalFileError)) throw error;
      return failed(context, error.message, json);
    }
  } else {
    const stateMachine = flags.stateMachine ?? context.env.STEPSHIFT_STATE_MACHINE_ARN;
    if (!stateMachine) {
      return failed(
        context,
        `no state machine given to find release ${target} on: pass --state-machine <arn> or set STEPSHIFT_STATE_MACHINE_ARN (the StateMachineArn output of the deployed stack), or give a rehearsal's JSON file`,
        json,
      );
    }
    const aws = awsTarget(flags);
    if (typeof aws === 'string') return failed(context, aws, json);
    const table = flags.table ?? context.env.STEPSHIFT_TABLE_NAME;
    if (flags.service !== undefined && !table) {
      return failed(
        context,
        `--service reads release ${target} from the table's ledger: pass --table <name> or set STEPSHIFT_TABLE_NAME (the stack's TableName output)`,
        json,
      );
    }
    const lookup = flags.service !== undefined && table ? { service: flags.service, table } : undefined;
    const found = await context.storyOfRelease(target, stateMachine, aws, lookup);
    if ('notFound' in found) {
      context.err.write(`${found.notFound}\n`);
      if (json) printJson(context.out, { error: found.notFound, notFound: true });
      return EXIT.no;
    }
    story = found;
  }
  if (flags.chart !== undefined) {
    try {
      const { writeChart } = await import('./chart/write.ts');
      await writeChart(story, flags.chart);
    } catch (error) {
      return failed(context, describeFailure(error, `writing the chart to ${flags.chart}`), json);
    }
  }
  if (json) printJson(context.out, { ...story, ...(flags.chart ? { chart: flags.chart } : {}) });
  else context.out.write(reportMarkdown(story, flags.chart));
  return EXIT.ok;
}
