import type { ExecutionHistory, HistoryStep } from '#adapters/aws/sfn-execution-history.ts';
import { ALARM_TRIGGERED, RELEASE_ABORTED } from '#core/controls.ts';
import { jsonObjectIn, type ObservedReleaseState, releaseStateIn } from '#core/observed-release.ts';
import { endingErrorOf, mayStillRun, outcomeOf } from '#core/outcome.ts';
import type { AlarmState } from '#core/ports.ts';
import type { Target } from '#core/shapes.ts';
import type {
  AlarmPoint,
  ReleaseStory,
  StoryCheck,
  StoryMark,
  StoryPlan,
  WeightPoint,
} from '../chart/story.ts';

/**
 * A real release's story, from its execution's history: each state's output is the release's state
 * (core/observed-release.ts, read as the views read it), so Prepare's gives the plan, every Shift and
 * Promote the weights written, every Analyze the check's step, its failed checks and a halt's reason,
 * and the bake's callbacks what an alarm or a person did. Each Analyze's output carries its check's
 * signals, bounded (at most core/health/signals.ts's STATE_SIGNALS, failed first); a release from
 * before they did says so.
 */

/** What a check of a release from before Analyze's output carried its signals says instead. */
const UNREAD = "readings not in the execution's history: the Analyze function's log has them";

const ALARM_STATES: ReadonlySet<string> = new Set<AlarmState>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** A count of signals left out, as Analyze writes it: a whole number above 0. */
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

const firstClause = (text: string | undefined) => text?.split(/ \(|, |; /)[0]?.trim();

export function storyOfHistory(history: ExecutionHistory, releaseId: string, now: Date): ReleaseStory {
  const events = history.events;
  const start = (history.startedAt ?? events[0]?.at ?? now).getTime();
  const at = (e: HistoryStep) => Math.max(0, (e.at.getTime() - start) / 1000);
  const request = jsonObjectIn(events.find((e) => e.type === 'ExecutionStarted')?.data) ?? {};
  let plan: StoryPlan | undefined;
  let canary: string | undefined;
  let entered: ObservedReleaseState = {};
  const weights: WeightPoint[] = [{ at: 0, canary: 0 }];
  const checks: StoryCheck[] = [];
  const alarms: AlarmPoint[] = [];
  const marks: StoryMark[] = [];
  let about: ObservedReleaseState = {};
  const share = (targets: readonly Target[] | null | undefined) =>
    targets?.find((t) => t.name === canary)?.weight ?? 0;
  const weigh = (t: number, w: number) => {
    if (weights.at(-1)?.canary !== w) weights.push({ at: t, canary: w });
  };
  for (const e of events) {
    const t = at(e);
    if (e.type === 'TaskStateEntered') entered = releaseStateIn(e.data) ?? {};
    if (e.type === 'TaskSucceeded') {
      const operator = jsonObjectIn(e.data)?.operator;
      if (typeof operator === 'string' && operator !== 'request waiting') {
        marks.push({ at: t, kind: 'operator', label: operator });
      }
    }
    if (e.type === 'TaskFailed' && e.error === RELEASE_ABORTED) {
      marks.push({ at: t, kind: 'operator', label: 'abort', ...(e.cause ? { detail: e.cause } : {}) });
    }
    if (e.type === 'TaskFailed' && e.error === ALARM_TRIGGERED) {
      marks.push({
        at: t,
        kind: 'halt',
        label: 'an alarm ended the bake',
        ...(e.cause ? { detail: e.cause } : {}),
      });
    }
    if (e.type !== 'TaskStateExited') continue;
    const out = releaseStateIn(e.data) ?? {};
    switch (e.state) {
      case 'Prepare the release': {
        about = out;
        canary = out.cast?.canary;
        plan = {
          stable: out.cast?.stable ?? '',
          canary: canary ?? '',
          steps: (out.plan?.steps ?? []).map((s) => s.weight ?? 0),
          ...(out.plan?.totalSeconds === undefined ? {} : { totalSeconds: out.plan.totalSeconds }),
        };
        weigh(t, share(out.snapshot));
        break;
      }
      case 'Shift traffic':
      case 'Promote the new version':
        weigh(t, share(out.written));
        if (e.state === 'Promote the new version') marks.push({ at: t, kind: 'promote', label: 'promoted' });
        break;
      case 'Analyze health': {
        const failed = out.halt !== undefined || (out.failedChecks ?? 0) > (entered.failedChecks ?? 0);
        checks.push({
          at: t,
          step: entered.step ?? 0,
          check: entered.check ?? 0,
          passed: !failed,
          ...(out.failedChecks === undefined ? {} : { failedChecks: out.failedChecks }),
          ...(Array.isArray(out.signals) ? { signals: out.signals } : { signals: [], unread: UNREAD }),
          ...(isCount(out.signalsOmitted) ? { signalsOmitted: out.signalsOmitted } : {}),
        });
        // Each alarm's state as the check read it: the chart's bands, as a rehearsal's.
        for (const s of out.signals ?? []) {
          if (s.kind === 'alarm' && ALARM_STATES.has(s.value)) {
            alarms.push({ at: t, alarm: s.name, state: s.value as AlarmState });
          }
        }
        if (out.halt) {
          marks.push({
            at: t,
            kind: 'halt',
            label: `halted: ${firstClause(out.halt.reason) ?? out.halt.error}`,
            ...(out.halt.reason ? { detail: out.halt.reason } : {}),
          });
        } else if (out.heldSince !== undefined && entered.heldSince === undefined) {
          const why = out.awaiting ? 'approval' : out.frozen ? 'frozen' : 'paused';
          marks.push({ at: t, kind: 'hold', label: `held (${why})` });
        } else if (out.heldSince === undefined && entered.heldSince !== undefined) {
          marks.push({ at: t, kind: 'resume', label: 'resumed' });
        }
        break;
      }
      case 'Roll back':
        weigh(t, share(about.snapshot));
        marks.push({ at: t, kind: 'rollback', label: 'rolled back' });
        break;
    }
  }
  const running = mayStillRun(history.status);
  // DescribeExecution's error and cause, else the history's own ExecutionFailed event's.
  const failed = events.findLast((e) => e.type === 'ExecutionFailed');
  const error = endingErrorOf(history.status, history.error ?? failed?.error);
  const cause = history.cause ?? failed?.cause;
  const end = history.stoppedAt ?? (running ? now : (events.at(-1)?.at ?? now));
  const service = about.service ?? (typeof request.service === 'string' ? request.service : undefined);
  const version = about.version ?? (typeof request.version === 'string' ? request.version : undefined);
  return {
    title: [service, version].filter(Boolean).join(' ') || releaseId,
    ...(service ? { service } : {}),
    ...(version ? { version } : {}),
    releaseId,
    startedAt: new Date(start).toISOString(),
    endSeconds: Math.max(0, (end.getTime() - start) / 1000),
    outcome: running ? 'running' : outcomeOf(error),
    ...(!running && error ? { error: { name: error, message: cause ?? error } } : {}),
    ...(plan ? { plan } : {}),
    weights: plan ? weights : [],
    alarms,
    checks,
    marks,
  };
}
