import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ReleaseProfile } from '#core/profile/profile.ts';
import {
  checkSeries,
  type Placeholder,
  placeholdersIn,
  searchFor,
  VARIABLE_PATTERNS,
} from './check-metrics.ts';

export interface ServiceDashboardProps {
  readonly profile: ReleaseProfile;
  /** The dashboard's name. */
  readonly dashboardName: string;
  readonly stateMachine: sfn.IStateMachine;
  readonly deadLetterQueue: sqs.IQueue;
  /** stepshift's alarms on itself, shown beside the service's own. */
  readonly ownAlarms: readonly cloudwatch.IAlarm[];
}

const FULL = 24;
const HALF = 12;

const VARIABLE_LABELS: Readonly<Record<Placeholder, string>> = {
  '{canary}': 'canary target ({canary})',
  '{stable}': 'stable target ({stable})',
  '{version}': 'version ({version})',
};

/**
 * One service's page: its gating alarms, its metric checks' series for the canary and the stable,
 * how releases ended, and the dead-letter queue. Only metrics AWS publishes anyway: no custom metric.
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { profile } = props;
    const checks = profile.analysis.metrics ?? [];
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      variables: placeholdersIn(checks).map((placeholder) => variableFor(checks, placeholder)),
    });
    const widgets: cloudwatch.IWidget[][] = [
      [
        new cloudwatch.TextWidget({
          markdown: `# ${profile.service}: releases\nGating alarms and metric checks as the release profile names them. Pick the canary and stable targets above to draw the checks (a running release names them in its "Release Started" event).`,
          width: FULL,
          height: 2,
        }),
      ],
    ];
    const gating = profile.analysis.alarms.map((name, i) =>
      // By name, in this stack's account and region: the profile names alarms, and some may be composite,
      // which an alarm status widget shows as well as a metric alarm.
      cloudwatch.Alarm.fromAlarmName(this, `GatingAlarm${i}`, name),
    );
    const statuses: cloudwatch.IWidget[] = [];
    if (gating.length > 0) {
      statuses.push(
        new cloudwatch.AlarmStatusWidget({ title: 'Gating alarms', alarms: gating, width: HALF, height: 4 }),
      );
    }
    if (props.ownAlarms.length > 0) {
      statuses.push(
        new cloudwatch.AlarmStatusWidget({
          title: 'stepshift itself',
          alarms: [...props.ownAlarms],
          width: HALF,
          height: 4,
        }),
      );
    }
    if (statuses.length > 0) widgets.push(statuses);

    const series = checkSeries(checks);
    for (const check of checks) {
      const own = series.filter((s) => s.check === check);
      const bounds = [
        ...(check.max === undefined ? [] : [{ value: check.max, label: `max ${check.max}` }]),
        ...(check.min === undefined ? [] : [{ value: check.min, label: `min ${check.min}` }]),
      ];
      widgets.push([
        new cloudwatch.GraphWidget({
          title: check.compare
            ? `${check.name}: canary against stable`
            : `${check.name}: ${own.map((s) => s.side).join(', ')}`,
          left: own.map((s) => s.metric),
          leftAnnotations: bounds,
          width: FULL,
          height: 6,
        }),
      ]);
    }

    widgets.push([
      new cloudwatch.GraphWidget({
        // Step Functions counts executions per state machine: one state machine releases every service.
        title: 'Release outcomes (all services of this orchestrator)',
        left: [
          props.stateMachine.metricSucceeded({ label: 'promoted (succeeded)' }),
          props.stateMachine.metricFailed({ label: 'rolled back, refused or failed' }),
          props.stateMachine.metricAborted({ label: 'stopped' }),
          props.stateMachine.metricTimedOut({ label: 'timed out' }),
        ].map((m) => m.with({ statistic: 'Sum', period: Duration.hours(1) })),
        stacked: true,
        width: HALF,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue: events the triggers and the guard could not handle',
        left: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: Duration.minutes(5),
            label: 'messages waiting',
          }),
        ],
        width: HALF,
        height: 6,
      }),
    ]);
    for (const row of widgets) this.dashboard.addWidgets(...row);
  }
}

/**
 * A drop-down of the target dimension's values when a query names the target plainly as a dimension
 * value (a search over that metric); a text box otherwise.
 */
function variableFor(
  checks: ReleaseProfile['analysis']['metrics'] & object,
  placeholder: Placeholder,
): cloudwatch.DashboardVariable {
  const base = {
    id: placeholder.slice(1, -1),
    label: VARIABLE_LABELS[placeholder],
    type: cloudwatch.VariableType.PATTERN,
    value: VARIABLE_PATTERNS[placeholder],
  };
  // A comparison's stable copy names the same dimension its canary copy does.
  const search =
    placeholder === '{version}'
      ? undefined
      : (searchFor(checks, placeholder) ??
        searchFor(checks, placeholder === '{canary}' ? '{stable}' : '{canary}'));
  if (search === undefined) {
    return new cloudwatch.DashboardVariable({ ...base, inputType: cloudwatch.VariableInputType.INPUT });
  }
  return new cloudwatch.DashboardVariable({
    ...base,
    inputType: cloudwatch.VariableInputType.SELECT,
    values: cloudwatch.Values.fromSearchComponents(search),
    defaultValue: cloudwatch.DefaultValue.FIRST,
  });
}
