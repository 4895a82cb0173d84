import { formatDuration } from '#core/duration.ts';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { formatEntry } from '#rehearsal/report/format.ts';
import { loadScenario, ScenarioError } from '#rehearsal/script/scenario.ts';
import { storyOfRehearsal } from './chart/from-rehearsal.ts';
import { sparkline } from './chart/sparkline.ts';
import type { ReleaseStory } from './chart/story.ts';
import { describeFailure, EXIT, failed, type Output, printJson } from './conventions.ts';
import type { ReleaseView } from './view/release-view.ts';

export interface RehearseFlags {
  readonly json?: boolean;
  /** Draw the release's chart to this SVG file (one scenario only). */
  readonly chart?: string;
  /** Replay the release through the view `stepshift watch` shows, on the virtual clock. */
  readonly watch?: boolean;
}

/**
 * One file's result in --json: its report with the file it came from, or, for a file that could not be
 * rehearsed, the file and why (outcome "not_run"), so every file given has its entry.
 */
export type RehearseResult =
  | (RehearsalReport & { readonly file: string; readonly view?: ReleaseView })
  | {
      readonly file: string;
      readonly outcome: 'not_run';
      readonly error: { readonly name: string; readonly message: string };
    };

/**
 * Exit code for one rehearsal: with `expect`, 0 exactly when it was met; without, 0 for promoted and
 * rolled_back (the release machinery worked) and 1 otherwise.
 */
function exitCodeFor(report: RehearsalReport): number {
  if (report.expectation) return report.expectation.met ? 0 : 1;
  return report.outcome === 'promoted' || report.outcome === 'rolled_back' ? 0 : 1;
}

/** "orders-v2: ▁▂▂▃▃▅▅▁ (10% to 50%, left at 0%)": the new version's share over the release, in one line. */
export function weightLine(story: ReleaseStory): string | undefined {
  const line = sparkline(story);
  if (!line || !story.plan) return undefined;
  const shares = story.weights.map((w) => w.canary).filter((w) => w > 0);
  const range = shares.length ? `${Math.min(...shares)}% to ${Math.max(...shares)}%` : 'never took traffic';
  return `${story.plan.canary}: ${line} (${range}, left at ${story.weights.at(-1)?.canary ?? 0}%)`;
}

function summary(report: RehearsalReport): string {
  const weights = weightLine(storyOfRehearsal(report));
  const lines = [
    '',
    `${report.name}: ${report.outcome.toUpperCase()}${report.error ? ` (${report.error.name})` : ''}`,
    ...(weights ? [`  ${weights}`] : []),
    `  ${report.stateTransitions} state transitions, ${report.calls.length} AWS calls, ${formatDuration(report.durationSeconds)} of virtual time in ${report.wallMilliseconds} ms of wall time`,
  ];
  for (const other of report.others) {
    lines.push(
      `  also ran: ${other.name}: ${other.outcome}${other.error ? ` (${other.error.name}: ${other.error.message})` : ''}`,
    );
  }
  // Guard runs that found nothing to do (a release that ended on its own terms) are left out.
  for (const run of report.guard.filter((g) => g.error || g.outcome?.action !== 'none')) {
    const what = run.error ? `failed with ${run.error.name}` : (run.outcome?.action ?? 'ran');
    lines.push(`  guard (${run.execution} ${run.status}, attempt ${run.attempt}): ${what}`);
  }
  for (const d of report.detections.filter((x) => x.detectionDelaySeconds !== undefined)) {
    lines.push(
      `  ${d.alarm}: ALARM at ${formatDuration(d.alarmAt)}, answered (${d.answer}) ${d.detectionDelaySeconds}s later; polling alone would have looked at ${formatDuration(Math.round(d.pollingWouldLookAt ?? 0))}`,
    );
  }
  if (report.heldLocks.length) lines.push(`  still locked: ${report.heldLocks.join(', ')}`);
  if (report.events.length) {
    lines.push(`  on the bus: ${report.events.map((e) => e.detailType).join(', ')}`);
  }
  if (report.error) lines.push(`  why: ${report.error.message}`);
  if (report.expectation) {
    lines.push(
      report.expectation.met
        ? `  expected ${report.expectation.outcome}: met`
        : `  expected ${report.expectation.outcome}${report.expectation.error ? ` with ${report.expectation.error}` : ''}, got ${report.outcome}${report.error ? ` with ${report.error.name}` : ''}: NOT MET`,
    );
  }
  return lines.join('\n');
}

/** Draws the rehearsal's chart into `file`; the sentence that says why it could not, if it could not. */
async function drawChart(report: RehearsalReport, file: string): Promise<string | undefined> {
  try {
    // Vega loads only when a chart is asked for: the rehearsal alone does not pay for it.
    const { writeChart } = await import('./chart/write.ts');
    await writeChart(storyOfRehearsal(report), file);
    return undefined;
  } catch (error) {
    return describeFailure(error, `writing the chart to ${file}`);
  }
}

/**
 * `stepshift rehearse <scenario...>`: returns the process exit code, the worst of the files'. With
 * --json, one document: the result object for one file, an array of them for several.
 */
export async function rehearseCommand(
  files: string[],
  flags: RehearseFlags,
  out: Output = process.stdout,
  err: Output = process.stderr,
): Promise<number> {
  if (flags.chart !== undefined && files.length !== 1) {
    return failed(
      { out, err },
      `--chart draws one release, and ${files.length} scenarios were given: rehearse one scenario with --chart`,
      flags.json,
    );
  }
  const results: RehearseResult[] = [];
  let exit: number = EXIT.ok;
  for (const file of files) {
    try {
      const scenario = await loadScenario(file);
      if (!flags.json) out.write(`${scenario.name}\n`);
      // The live view (log-update and its terminal helpers) loads only for --watch.
      const watch = flags.watch
        ? (await import('./view/rehearsal-watch.ts')).watchRehearsal(scenario, flags.json ? undefined : out)
        : undefined;
      const report = await rehearse(
        scenario,
        watch
          ? { onEntry: watch.onEntry }
          : flags.json
            ? {}
            : { onEntry: (e) => out.write(`${formatEntry(e)}\n`) },
      );
      const view = watch?.end(report.durationSeconds);
      results.push({ file, ...report, ...(view ? { view } : {}) });
      if (!flags.json) out.write(`${summary(report)}\n\n`);
      if (flags.chart !== undefined) {
        const problem = await drawChart(report, flags.chart);
        if (problem) {
          err.write(`${problem}\n`);
          exit = EXIT.couldNotAsk;
        } else if (!flags.json) out.write(`chart: ${flags.chart}\n`);
      }
      exit = Math.max(exit, exitCodeFor(report));
    } catch (error) {
      // A scenario that cannot be read is the file's result; anything else is a bug, told in one sentence too.
      const message =
        error instanceof ScenarioError ? error.message : describeFailure(error, `rehearsing ${file}`);
      err.write(`${message.replace(/\s+$/, '')}\n`);
      results.push({
        file,
        outcome: 'not_run',
        error: { name: error instanceof Error ? error.name : 'Error', message },
      });
      exit = EXIT.couldNotAsk;
    }
  }
  if (flags.json) printJson(out, files.length === 1 ? results[0] : results);
  return exit;
}
