// How many requests reach a bad version before traffic goes back. A service at RPS requests per
// second; a canary whose first step is 10%; the new version's error rate is 50% from the moment it
// gets traffic. Its alarm (a metric alarm on the new version's 5xx rate: period 60 s, 1 of 1
// datapoints, core/assess/alarm-model.ts) goes into ALARM at the end of the first period that holds
// its errors. CloudWatch's periods are aligned to the clock, not to the release, so the release starts
// at each of PHASES seconds past a period's start in turn, and each figure is given as the median and
// the worst over those starts. Three controllers watch the same world:
// - stepshift as deployed: the alarm's event ends the bake (rehearsed, world.alarmEvents delivered);
// - stepshift with the events lost: its analysis checks every minute (analysis.interval 1m);
// - a polling controller shaped like Flagger's and Argo Rollouts' analysis: every 60 s (Flagger's
//   analysis.interval default; an Argo AnalysisTemplate's interval) it queries the new version's error
//   rate over the last 60 s from its own metrics (Flagger's metric checks read Prometheus over an
//   interval window) and rolls back when `threshold` checks have failed (Flagger's
//   analysis.threshold: failed checks before rollback; Argo's failureLimit + 1). Its threshold is 1,
//   the most favourable setting for it, and its rollback takes no time: a floor for what it serves.
// Traffic is counted from the rehearsal's timeline (core/assess/exposure.ts): the route's weights as
// the simulated App Mesh holds them, after each write's read-back.
import { alarmStates } from '#core/assess/alarm-model.ts';
import { firstServedAt, servedBetween, withdrawnAt } from '#core/assess/exposure.ts';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario, type Scenario } from '#rehearsal/script/scenario.ts';
import { median, round } from '../stats.ts';

export const RPS = 100;
const ERROR_RATE = 0.5;
const CANARY = 'orders-v2';
const PERIOD = 60;
const POLL_SECONDS = 60;
const POLL_THRESHOLD = 1;
export const PHASES = [0, 10, 20, 30, 40, 50] as const;
const ALARM = {
  threshold: 0.05,
  comparison: 'GreaterThanThreshold',
  periodSeconds: PERIOD,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
} as const;

async function baseScenario(): Promise<Scenario> {
  const base = await loadScenario(
    new URL('../../examples/canary-alarm-rollback.json', import.meta.url).pathname,
  );
  const profile = base.profile as { analysis: object };
  return {
    ...base,
    name: 'blast radius',
    profile: {
      ...profile,
      strategy: { type: 'canary', steps: [10, 25, 50], interval: '5m' },
      analysis: { ...profile.analysis, alarms: ['orders-5xx'], interval: '1m' },
    },
    expect: undefined,
  };
}

/** The scenario with the alarm's states as its evaluation gives them for a new version bad from `onset`. */
function withAlarm(base: Scenario, onset: number, phase: number, events: 'delivered' | 'lost'): Scenario {
  const states = alarmStates(ALARM, (_start, end) => (end > onset ? ERROR_RATE : undefined), 3600, -phase);
  const alarm = base.world.alarms.find((a) => a.name === 'orders-5xx');
  return {
    ...base,
    world: {
      ...base.world,
      alarmEvents: events,
      alarms: [{ ...(alarm as (typeof base.world.alarms)[number]), states: states.map((s) => ({ ...s })) }],
    },
  };
}

interface Row {
  readonly requests: number;
  readonly secondsToRollback: number;
  readonly requestsAfterAlarm: number;
}

async function stepshiftRow(base: Scenario, onset: number, phase: number, events: 'delivered' | 'lost') {
  const scenario = withAlarm(base, onset, phase, events);
  const alarmAt = scenario.world.alarms[0]?.states.find((s) => s.state === 'ALARM')?.at as number;
  const report = await rehearse(scenario);
  const back = withdrawnAt(report.timeline, CANARY, onset);
  if (report.outcome !== 'rolled_back' || back === undefined)
    throw new Error(`blast radius (${events}, phase ${phase}) ended ${report.outcome}`);
  return {
    requests: servedBetween(report.timeline, CANARY, RPS, 0, back),
    secondsToRollback: back - onset,
    requestsAfterAlarm: servedBetween(report.timeline, CANARY, RPS, alarmAt, back),
  };
}

/** The polling controller in the same world: its first check a full interval after the shift. */
function pollingRow(onset: number, share: number, alarmAt: number): Row {
  const back = onset + POLL_SECONDS * POLL_THRESHOLD;
  return {
    requests: RPS * share * (back - onset),
    secondsToRollback: back - onset,
    requestsAfterAlarm: RPS * share * Math.max(0, back - alarmAt),
  };
}

const summary = (rows: readonly Row[]) => {
  const of = (k: keyof Row) => ({
    median: round(median(rows.map((r) => r[k]))),
    worst: round(Math.max(...rows.map((r) => r[k]))),
  });
  return {
    requests: of('requests'),
    secondsToRollback: of('secondsToRollback'),
    requestsAfterAlarm: of('requestsAfterAlarm'),
  };
};

export async function measureBlastRadius() {
  const base = await baseScenario();
  // Where the new version first gets traffic: the same in every run (the virtual clock is exact).
  const probe = await rehearse(withAlarm(base, Number.POSITIVE_INFINITY, 0, 'delivered'));
  const onset = firstServedAt(probe.timeline, CANARY) as number;
  const share = (probe.timeline.find((e) => e.at === onset)?.weights[CANARY] ?? 0) / 100;
  const events: Row[] = [];
  const lost: Row[] = [];
  const polling: Row[] = [];
  for (const phase of PHASES) {
    events.push(await stepshiftRow(base, onset, phase, 'delivered'));
    lost.push(await stepshiftRow(base, onset, phase, 'lost'));
    const alarmAt = withAlarm(base, onset, phase, 'lost').world.alarms[0]?.states[1]?.at as number;
    polling.push(pollingRow(onset, share, alarmAt));
  }
  const rows = {
    stepshiftEvents: summary(events),
    stepshiftPollingOnly: summary(lost),
    pollingController: summary(polling),
  };
  const ratio = (a: number, b: number) => (b === 0 ? null : round(a / b, 1));
  return {
    model: {
      rps: RPS,
      firstStepPercent: share * 100,
      errorRate: ERROR_RATE,
      alarm: ALARM,
      phasesSeconds: PHASES,
      pollingController: { intervalSeconds: POLL_SECONDS, threshold: POLL_THRESHOLD },
    },
    ...rows,
    ratios: {
      pollingOnlyToEvents: {
        requests: ratio(rows.stepshiftPollingOnly.requests.median, rows.stepshiftEvents.requests.median),
        requestsAfterAlarm: ratio(
          rows.stepshiftPollingOnly.requestsAfterAlarm.median,
          rows.stepshiftEvents.requestsAfterAlarm.median,
        ),
      },
      pollingControllerToEvents: {
        requests: ratio(rows.pollingController.requests.median, rows.stepshiftEvents.requests.median),
        requestsAfterAlarm: ratio(
          rows.pollingController.requestsAfterAlarm.median,
          rows.stepshiftEvents.requestsAfterAlarm.median,
        ),
      },
    },
  };
}
