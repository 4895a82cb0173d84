import { formatDuration } from '#core/duration.ts';
import { printJson } from './conventions.ts';
import { defaultObserveContext, type ObserveContext, onObserver, releaseViews } from './observe.ts';
import type { AwsCommandOptions } from './start-command.ts';
import type { ReleaseView } from './view/release-view.ts';

export interface ListFlags extends AwsCommandOptions {
  readonly service?: string;
}

/** At most this many running executions are read: one GetExecutionHistory each. */
export const LIST_LIMIT = 100;

/** One running release as `stepshift list` shows it. */
export interface ListedRelease {
  readonly releaseId: string;
  readonly service: string;
  readonly version?: string;
  /** "2/3", from 1; "0/3" before the first shift. */
  readonly step: string;
  readonly weights: string;
  readonly state: string;
  /** Seconds until the next check; absent between bakes. */
  readonly nextCheckSeconds?: number;
  readonly trigger?: string;
  readonly startedAt: string;
}

function listed(view: ReleaseView, startedAt: Date, now: number): ListedRelease {
  const step = view.step === undefined ? 0 : view.step + 1;
  return {
    releaseId: view.releaseId,
    service: view.service,
    ...(view.version ? { version: view.version } : {}),
    step: `${step}/${view.steps.length}`,
    weights: view.weights.map((w) => `${w.target} ${w.weight}%`).join(' · '),
    state: view.state,
    ...(view.nextCheckAt === undefined
      ? {}
      : { nextCheckSeconds: Math.max(0, Math.round((view.nextCheckAt - now) / 1000)) }),
    ...(view.trigger ? { trigger: view.trigger } : {}),
    startedAt: startedAt.toISOString(),
  };
}

/** Columns padded to their widest cell, so a person reads the table down. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * `stepshift list [--service <name>]`: the releases running now, from Step Functions (ListExecutions of
 * RUNNING executions, and each one's history). Exit 0, with or without any; 2 when it could not ask.
 */
export async function listCommand(
  options: ListFlags,
  context: ObserveContext = defaultObserveContext,
): Promise<number> {
  return onObserver(options, context, 'listing running releases', async (observer) => {
    const now = context.now();
    const releases: ListedRelease[] = [];
    const executions = await observer.executions({ running: true, limit: LIST_LIMIT });
    for await (const { execution, view } of releaseViews(
      observer,
      executions,
      options.service || undefined,
    )) {
      releases.push(listed(view, execution.startedAt, now));
    }
    if (options.json) {
      printJson(context.out, { releases });
      return 0;
    }
    if (!releases.length) {
      context.out.write(`no release${options.service ? ` of ${options.service}` : ''} is running\n`);
      return 0;
    }
    const rows = releases.map((r) => [
      r.releaseId,
      r.service,
      r.version ?? '',
      r.step,
      r.weights,
      r.state,
      r.nextCheckSeconds === undefined ? '' : `in ${formatDuration(r.nextCheckSeconds)}`,
      r.trigger ?? '',
    ]);
    context.out.write(
      `${table(['ID', 'SERVICE', 'VERSION', 'STEP', 'WEIGHTS', 'STATE', 'NEXT CHECK', 'TRIGGER'], rows)}\n`,
    );
    return 0;
  });
}
