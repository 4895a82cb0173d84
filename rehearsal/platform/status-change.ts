/** An execution's status as DescribeExecution and the status change events name it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/**
 * The EventBridge event Step Functions sends when a Standard workflow's execution changes status,
 * typed from the examples in the Step Functions developer guide ("EventBridge events for Step
 * Functions execution status changes", cw-events.html: execution started, succeeded, failed, timed
 * out, aborted). @types/aws-lambda has no type for it. Dates are epoch milliseconds; input and output
 * are JSON text, output null unless the execution succeeded. The guide's examples carry no error or
 * cause, not even for a failed execution, so a consumer must not rely on them.
 */
export interface ExecutionStatusChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Step Functions Execution Status Change';
  readonly source: 'aws.states';
  readonly account: string;
  /** ISO 8601 to the second, e.g. "2019-02-26T19:42:21Z". */
  readonly time: string;
  readonly region: string;
  /** The execution's ARN. */
  readonly resources: readonly string[];
  readonly detail: {
    readonly executionArn: string;
    readonly stateMachineArn: string;
    readonly name: string;
    readonly status: ExecutionStatus;
    readonly startDate: number;
    readonly stopDate: number | null;
    readonly input: string;
    readonly inputDetails: { readonly included: boolean } | null;
    readonly output: string | null;
    readonly outputDetails: { readonly included: boolean } | null;
  };
}

export interface EndedExecutionFacts {
  readonly executionArn: string;
  readonly name: string;
  readonly status: Exclude<ExecutionStatus, 'RUNNING'>;
  readonly input: unknown;
  readonly startDate: Date;
  readonly stopDate: Date;
  /** Distinguishes one event from the next (EventBridge gives each event its own id). */
  readonly sequence: number;
  readonly account: string;
  readonly region: string;
}

/** The status change event for an execution that ended unsuccessfully, as EventBridge delivers it. */
export function statusChangeEvent(facts: EndedExecutionFacts): ExecutionStatusChangeEvent {
  return {
    version: '0',
    id: `00000000-0000-4000-b000-${facts.sequence.toString(16).padStart(12, '0')}`,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: facts.account,
    time: `${facts.stopDate.toISOString().slice(0, 19)}Z`,
    region: facts.region,
    resources: [facts.executionArn],
    detail: {
      executionArn: facts.executionArn,
      stateMachineArn: facts.executionArn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1'),
      name: facts.name,
      status: facts.status,
      startDate: facts.startDate.getTime(),
      stopDate: facts.stopDate.getTime(),
      input: JSON.stringify(facts.input ?? null),
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
    },
  };
}
