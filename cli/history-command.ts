import * as z from 'zod';
import { formatDuration } from '#core/duration.ts';
import { failed, printJson } from './conventions.ts';
import { table } from './list-command.ts';
import { defaultObserveContext, type ObserveContext, onObserver, releaseViews } from './observe.ts';
import type { AwsCommandOptions } from './start-command.ts';
import type { ReleaseView } from './view/release-view.ts';

export interface HistoryFlags extends AwsCommandOptions {
  readonly limit?: string;
  readonly since?: string;
}

/** Executions read to find a service's releases: the state machine runs every service's. */
export const HISTORY_SCAN_LIMIT = 1000;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "--since 7d" (or 12h, 30m), or an ISO 8601 time; the flags as the command uses them. */
function parseFlags(flags: HistoryFlags, now: number) {
  return z
    .object({
      limit: z.coerce
        .number({ error: '--limit must be a whole number' })
        .int('--limit must be a whole number')
        .min(1, '--limit must be at least 1')
        .max(HISTORY_SCAN_LIMIT, `--limit must be at most ${HISTORY_SCAN_LIMIT}`)
        .default(20),
      since: z
        .string()
        .transform((text, ctx) => {
          const ago = /^([1-9][0-9]*)(m|h|d)$/.exec(text);
          if (ago) return new Date(now - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS]);
          const at = Date.parse(text);
          if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(at)) return new Date(at);
          ctx.addIssue({
            code: 'custom',
            message: `--since ${JSON.stringify(text)} is neither a span such as 7d, 12h or 30m nor an ISO 8601 time such as 2026-01-31T09:00:00Z`,
          });
          return z.NEVER;
        })
        .optional(),
    })
    .safeParse({ limit: flags.limit, since: flags.since });
}

/** One past (or running) release of a service, as `stepshift history` shows it. */
export interface PastRelease {
  readonly releaseId: string;
  readonly version?: string;
  /** promoted, rolled_back, rejected, stopped, failed, or running. */
  readonly outcome: string;
  readonly error?: string;
  readonly startedAt: string;
  readonly durationSeconds?: number;
  readonly trigger?: string;
  /** How far it got: "all" once promoted, else the last step it shifted to, "step 2/3 (25%)". */
  readonly reached: string;
}

function reached(view: ReleaseView): string {
  if (view.outcome === 'promoted') return 'all';
  if (view.step === undefined) return 'nothing shifted';
  return `step ${view.step + 1}/${view.steps.length} (${view.steps[view.step] ?? '?'}%)`;
}

/**
 * `stepshift history <service> [--limit n] [--since 7d]`: the service's releases, newest first, from
 * Step Functions (ListExecutions, and each execution's history; Step Functions keeps an ended
 * execution 90 days). Exit 0; 2 for bad flags or when it could not ask.
 */
export async function historyCommand(
  service: string,
  flags: HistoryFlags,
  context: ObserveContext = defaultObserveContext,
): Promise<number> {
  const parsedFlags = parseFlags(flags, context.now());
  if (!parsedFlags.success) {
    return failed(context, parsedFlags.error.issues.map((i) => i.message).join('; '), flags.json);
  }
  const { limit, since } = parsedFlags.data;
  return onObserver(flags, context, `reading the history of ${service}`, async (observer) => {
    const releases: PastRelease[] = [];
    const executions = await observer.executions({
      limit: HISTORY_SCAN_LIMIT,
      ...(since ? { since } : {}),
    });
    for await (const { execution, view } of releaseViews(observer, executions, service)) {
      const stopped = execution.stoppedAt?.getTime();
      releases.push({
        releaseId: execution.name,
        ...(view.version ? { version: view.version } : {}),
        outcome:
          view.outcome ?? (execution.status === 'RUNNING' ? 'running' : execution.status.toLowerCase()),
        ...(view.outcome && view.outcome !== 'promoted' && view.reason ? { error: view.reason } : {}),
        startedAt: execution.startedAt.toISOString(),
        ...(stopped === undefined
          ? {}
          : { durationSeconds: Math.round((stopped - execution.startedAt.getTime()) / 1000) }),
        ...(view.trigger ? { trigger: view.trigger } : {}),
        reached: reached(view),
      });
      if (releases.length >= limit) break;
    }
    if (flags.json) {
      printJson(context.out, { service, releases });
      return 0;
    }
    if (!releases.length) {
      context.out.write(`no release of ${service}${since ? ` since ${since.toISOString()}` : ''}\n`);
      return 0;
    }
    const rows = releases.map((r) => [
      r.releaseId,
      r.version ?? '',
      r.outcome,
      r.durationSeconds === undefined ? '' : formatDuration(r.durationSeconds),
      r.trigger ?? '',
      r.reached,
      r.error ?? '',
    ]);
    context.out.write(
      `${table(['ID', 'VERSION', 'OUTCOME', 'DURATION', 'TRIGGER', 'REACHED', 'WHY'], rows)}\n`,
    );
    return 0;
  });
}
