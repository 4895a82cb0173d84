import type { AlarmState } from '#core/ports.ts';
import type { Signal } from '#core/shapes.ts';
import type { TimelineEntry } from '#rehearsal/report/timeline.ts';
import type { AlarmPoint, ReleaseStory, StoryCheck, StoryMark, StoryPlan, WeightPoint } from './story.ts';

/** What of a rehearsal's report (or of `stepshift rehearse --json`) the story is told from. */
export interface RehearsalRun {
  readonly name: string;
  readonly outcome: string;
  readonly error?: { readonly name: string; readonly message: string };
  readonly durationSeconds?: number;
  readonly timeline: readonly TimelineEntry[];
  /** The lifecycle events it put on the bus: "Release Started" names the service and the release id. */
  readonly events?: readonly { readonly detailType: string; readonly detail: Record<string, unknown> }[];
}

const ALARM_STATES = new Set<string>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** "halted: orders-5xx is ALARM": the reason's first clause, or the error's name. */
function haltLabel(entry: TimelineEntry): string {
  const verb =
    entry.event === 'release.halted' ? 'halted' : entry.event === 'release.failed' ? 'failed' : 'not ready';
  const reason = str(entry.detail.reason)
    ?.split(/ \(|, |; /)[0]
    ?.trim();
  return `${verb}: ${reason || str(entry.detail.error) || entry.event}`;
}

/** The mark a timeline entry makes on the chart, if any. */
function markOf(entry: TimelineEntry): StoryMark | undefined {
  const d = entry.detail;
  const at = entry.at;
  const by = str(d.by);
  const who = by ? ` by ${by}` : '';
  switch (entry.event) {
    case 'hook.finished':
      return {
        at,
        kind: 'hook',
        label: `${d.hook} ${d.result === 'pass' ? 'ok' : 'FAILED'}`,
        detail: `${d.phase} hook ${d.hook}: ${d.result === 'pass' ? 'passed' : 'FAILED'} (${d.reason})`,
      };
    case 'operator.requested':
      return { at, kind: 'operator', label: `${d.command}${who}`, ...(by ? { by } : {}) };
    case 'operator.promoted':
      return {
        at,
        kind: 'operator',
        label: `${d.full ? 'promote --full' : 'promote'}${who}`,
        ...(by ? { by } : {}),
      };
    case 'release.resumed':
      return {
        at,
        kind: 'resume',
        label: d.after === 'approval' ? 'resumed (approved)' : `resumed (was ${d.after})`,
      };
    case 'operator.edit-route':
      return { at, kind: 'operator', label: 'route edited by hand' };
    case 'operator.stop-execution':
      return d.ignored ? undefined : { at, kind: 'operator', label: 'execution stopped' };
    case 'release.held':
      return { at, kind: 'hold', label: `held (${d.why})`, detail: str(d.reason) };
    case 'release.halted':
    case 'release.failed':
    case 'release.not_ready':
      return { at, kind: 'halt', label: haltLabel(entry), detail: str(d.reason) };
    case 'release.rejected':
      return {
        at,
        kind: 'halt',
        label: 'rejected',
        detail: Array.isArray(d.problems) ? d.problems.join('; ') : undefined,
      };
    case 'release.retreating':
      return { at, kind: 'rollback', label: `stepping back to ${d.weight}%`, detail: str(d.reason) };
    case 'release.rolled_back':
      return { at, kind: 'rollback', label: 'rolled back', detail: str(d.reason) };
    case 'release.promoted':
      return { at, kind: 'promote', label: 'promoted' };
    default:
      return undefined;
  }
}

function planOf(entry: TimelineEntry | undefined): StoryPlan | undefined {
  if (!entry) return undefined;
  const d = entry.detail;
  return {
    ...(str(d.routeId) ? { routeId: d.routeId as string } : {}),
    stable: String(d.stable),
    canary: String(d.canary),
    ...(str(d.trigger) ? { trigger: d.trigger as string } : {}),
    steps: (d.steps as number[] | undefined) ?? [],
    alarms: (d.alarms as string[] | undefined) ?? [],
    metrics: (d.metrics as string[] | undefined) ?? [],
    ...(typeof d.totalSeconds === 'number' ? { totalSeconds: d.totalSeconds } : {}),
  };
}

/**
 * A rehearsal's story: its scenario execution's entries (the first execution's, when the scenario
 * started others), the route's real weights at each entry, each analysis and what it read.
 */
export function storyOfRehearsal(run: RehearsalRun): ReleaseStory {
  const plannedEntry = run.timeline.find((e) => e.event === 'release.planned');
  const execution = str(plannedEntry?.detail.execution);
  // Operator entries name the execution they act on in their own words; keep them all.
  const entries = run.timeline.filter(
    (e) => execution === undefined || e.detail.execution === undefined || e.detail.execution === execution,
  );
  const plan = planOf(plannedEntry);
  const weights: WeightPoint[] = [];
  const alarms: AlarmPoint[] = [];
  const checks: StoryCheck[] = [];
  const marks: StoryMark[] = [];
  const version = str(plannedEntry?.detail.version);
  for (const entry of entries) {
    if (plan) {
      const canary = entry.weights[plan.canary] ?? 0;
      if (weights.at(-1)?.canary !== canary) weights.push({ at: entry.at, canary });
    }
    const d = entry.detail;
    if (entry.event === 'analysis.completed') {
      const signals = (d.signals as Signal[] | undefined) ?? [];
      checks.push({
        at: entry.at,
        step: Number(d.step),
        check: Number(d.check),
        passed: d.passed === true,
        ...(typeof d.failedChecks === 'number' ? { failedChecks: d.failedChecks } : {}),
        ...(typeof d.failureThreshold === 'number' ? { failureThreshold: d.failureThreshold } : {}),
        signals,
      });
      for (const s of signals) {
        if (s.kind === 'alarm' && ALARM_STATES.has(s.value)) {
          alarms.push({ at: entry.at, alarm: s.name, state: s.value as AlarmState });
        }
      }
    }
    if (entry.event === 'alarm.triggered' && typeof d.alarm === 'string') {
      alarms.push({ at: entry.at, alarm: d.alarm, state: 'ALARM' });
    }
    const mark = markOf(entry);
    if (mark) marks.push(mark);
  }
  const end = Math.max(run.durationSeconds ?? 0, run.timeline.at(-1)?.at ?? 0);
  const started = run.events?.find((e) => e.detailType === 'Release Started')?.detail;
  const service = str(started?.service);
  const releaseId = str(started?.releaseId);
  return {
    title: run.name,
    ...(service ? { service } : {}),
    ...(version ? { version } : {}),
    ...(releaseId ? { releaseId } : {}),
    endSeconds: end,
    outcome: run.outcome,
    ...(run.error ? { error: run.error } : {}),
    ...(plan ? { plan } : {}),
    weights: plan && weights[0]?.at !== 0 ? [{ at: 0, canary: 0 }, ...weights] : weights,
    alarms,
    checks,
    marks,
  };
}
