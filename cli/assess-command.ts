import { constants } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { formatDuration } from '#core/duration.ts';
import { describeIssues } from '#core/validation.ts';
import { type AssessReport, assess } from '#rehearsal/assess/assess.ts';
import { parseScenario, ScenarioError } from '#rehearsal/script/scenario.ts';
import { EXIT, type Output, printJson } from './conventions.ts';

export interface AssessFlags {
  readonly rps?: string;
  readonly seed?: string;
  readonly runs?: string;
  readonly noise?: string;
  readonly json?: boolean;
  /** Draw the assessment's chart to this SVG file. */
  readonly chart?: string;
}

const number = (what: string) =>
  z.coerce
    .number({ error: `must be a number: ${what}` })
    .refine(Number.isFinite, { error: `must be a number: ${what}` });

const flagsSchema = z.object({
  rps: number('requests per second')
    .pipe(z.number().positive({ error: 'must be above 0 requests per second' }))
    .default(100),
  seed: number('the seed')
    .pipe(z.number().int({ error: 'must be a whole number' }))
    .default(1),
  runs: number('healthy runs')
    .pipe(
      z
        .number()
        .int({ error: 'must be a whole number of runs' })
        .min(0)
        .max(500, { error: 'must be at most 500 runs' }),
    )
    .default(20),
  noise: number('the noise, such as 0.1 for ±10%')
    .pipe(z.number().min(0, { error: 'must be 0 or more' }).max(1, { error: 'must be at most 1 (±100%)' }))
    .default(0.1),
});

const seconds = (s: number | null) => (s === null ? '-' : formatDuration(Math.round(s)));

export function formatAssessment(r: AssessReport): string {
  const { rps, seed, runs, sigma } = r.options;
  const lines = [
    `${r.name}`,
    `  assessed at ${rps} requests/s, seed ${seed}, noise ±${Math.round(sigma * 100)}% around each baseline; new version: ${r.target}`,
    `  watches: ${r.signals.map((s) => `${s.name} (${s.source}, ${s.kind}, baseline ${s.baseline})`).join('; ') || 'nothing assess can vary'}`,
    `  onsets: start ${seconds(r.onsets.start)}, mid-step ${seconds(r.onsets['mid-step'])}, last step ${seconds(r.onsets['last-step'])}`,
    '',
    `  ${'kind'.padEnd(10)} ${'change'.padEnd(6)} ${'onset'.padEnd(9)} ${'detected'.padEnd(8)} ${'to rollback'.padStart(11)} ${'bad requests'.padStart(12)} ${'step'.padStart(4)}`,
  ];
  for (const c of r.cells)
    lines.push(
      `  ${c.kind.padEnd(10)} ${c.degradation.padEnd(6)} ${c.onset.padEnd(9)} ${(c.detected ? 'yes' : 'no').padEnd(8)} ${seconds(c.secondsToRollback).padStart(11)} ${String(c.badRequests).padStart(12)} ${String(c.stepReached).padStart(4)}`,
    );
  lines.push('');
  const frozen = r.cells.filter((c) => c.frozenAt !== null).length;
  if (frozen > 0)
    lines.push(
      `  frozen by onFailure "freeze": ${frozen} caught cell(s) kept their traffic (to rollback -); their bad requests are counted until the freeze, after which a person decides`,
    );
  lines.push(
    `  healthy new version: ${r.healthy.falseRollbacks} false rollback(s) in ${runs} seeded run(s) (${(r.healthy.rate * 100).toFixed(0)}%)`,
  );
  for (const kind of r.unwatched)
    lines.push(`  ${kind}: no check or alarm the profile watches carries it, so no ${kind} change is seen`);
  return `${lines.join('\n')}\n`;
}

async function refuseUnwritable(file: string): Promise<void> {
  try {
    await access(dirname(resolve(file)), constants.W_OK);
  } catch (error) {
    throw new Error(`the chart cannot be written to ${file}: ${(error as Error).message}`);
  }
}

/** `stepshift assess <scenario>`: exit 0 with the report; 2 when the file or a flag cannot be used. */
export async function assessCommand(file: string, flags: AssessFlags, io: { out: Output }): Promise<number> {
  const parsed = flagsSchema.safeParse(flags);
  if (!parsed.success)
    throw new Error(`the options are not usable: ${describeIssues(parsed.error).join('; ')}`);
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(file, [`cannot be read as JSON: ${(error as Error).message}`]);
  }
  parseScenario(document, file);
  // A chart that could not be written is refused before the minute of rehearsals, not after.
  if (flags.chart !== undefined) await refuseUnwritable(flags.chart);
  const { noise, ...rest } = parsed.data;
  const report = await assess(document, file, { ...rest, sigma: noise });
  if (flags.chart !== undefined) {
    const chart = flags.chart;
    try {
      // Vega loads only when a chart is asked for: the assessment alone does not pay for it.
      const [{ renderSvg }, { assessChartSpec }] = await Promise.all([
        import('./chart/render.ts'),
        import('./chart/assess-spec.ts'),
      ]);
      await writeFile(chart, await renderSvg(assessChartSpec(report)));
    } catch (error) {
      throw new Error(`the chart could not be written to ${chart}: ${(error as Error).message}`);
    }
  }
  if (flags.json) printJson(io.out, report);
  else
    io.out.write(`${formatAssessment(report)}${flags.chart === undefined ? '' : `chart: ${flags.chart}\n`}`);
  return EXIT.ok;
}
