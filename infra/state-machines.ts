import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/index.ts';
import { FUNCTION_NAMES, ROOT } from './task-functions.ts';

const DEFINITION = `${ROOT}statemachines/release.asl.json`;
/** The guard's own small state machine: take the route over, wait out the ended execution's tasks, let go. */
const GUARD_DEFINITION = `${ROOT}statemachines/guard.asl.json`;

/**
 * The statuses after which the guard looks: the state machine's own rollback may not have run
 * (stopped, timed out, failed), or a promoted release's Finish may not have freed the lock.
 */
const GUARDED_STATUSES = ['SUCCEEDED', 'ABORTED', 'TIMED_OUT', 'FAILED'];

const LOGGING_AND_TRACING =
  'Step Functions logging and tracing: the CloudWatch Logs log-delivery actions (logs:CreateLogDelivery and the rest) and the X-Ray actions support no resource-level permissions, so Step Functions requires them on "*" (Step Functions developer guide, "IAM policies for logging to CloudWatch Logs" and "X-Ray").';

export interface ReleaseStateMachineOptions {
  readonly functions: Readonly<Record<FunctionName, lambda.IFunction>>;
  readonly retention: logs.RetentionDays;
  readonly stateMachineName?: string;
  readonly level: sfn.LogLevel;
  readonly includeExecutionData: boolean;
}

/** The release workflow: statemachines/release.asl.json with each task's function ARN in place. */
export function releaseStateMachine(scope: Construct, options: ReleaseStateMachineOptions): sfn.StateMachine {
  const { functions } = options;
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    ...(options.stateMachineName === undefined ? {} : { stateMachineName: options.stateMachineName }),
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromFile(DEFINITION),
    definitionSubstitutions: Object.fromEntries(
      FUNCTION_NAMES.map((name) => [`${name}FunctionArn`, functions[name].functionArn]),
    ),
    logs: {
      destination: new logs.LogGroup(scope, 'StateMachineLogs', {
        retention: options.retention,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      level: options.level,
      includeExecutionData: options.includeExecutionData,
    },
    tracingEnabled: true,
  });
  // The ASL invokes the unqualified function ARNs only, so no version or alias wildcard.
  stateMachine.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'InvokeTaskFunctions',
      actions: ['lambda:InvokeFunction'],
      resources: FUNCTION_NAMES.map((name) => functions[name].functionArn),
    }),
  );
  Validations.of(stateMachine).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: LOGGING_AND_TRACING,
  });
  return stateMachine;
}

export interface GuardOptions {
  readonly guard: lambda.IFunction;
  readonly releases: sfn.IStateMachine;
  readonly deadLetterQueue: sqs.IQueue;
  readonly retention: logs.RetentionDays;
}

/**
 * The guard: StopExecution and timeouts skip Catch, and a rollback can run out of retries. Step
 * Functions reports every ended execution on the default bus; the guard's state machine puts the
 * route back at once, and lets go of it only after a Wait that outlasts any task of the ended
 * execution still running (a Lambda function goes on after StopExecution, up to its timeout). A
 * Wait rather than an EventBridge Scheduler schedule: nothing to create or clean up per release,
 * no function idle meanwhile, retries in ASL, and the rehearsal runs the same file.
 */
export function guardStateMachine(scope: Construct, options: GuardOptions): sfn.StateMachine {
  const { guard, deadLetterQueue } = options;
  const guardMachine = new sfn.StateMachine(scope, 'GuardStateMachine', {
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromFile(GUARD_DEFINITION),
    definitionSubstitutions: {
      GuardFunctionArn: guard.functionArn,
      DeadLetterQueueUrl: deadLetterQueue.queueUrl,
    },
    logs: {
      destination: new logs.LogGroup(scope, 'GuardStateMachineLogs', {
        retention: options.retention,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      level: sfn.LogLevel.ALL,
      // Its input is the status change event, which carries the release execution's whole input.
      includeExecutionData: false,
    },
    tracingEnabled: true,
  });
  guardMachine.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'InvokeGuardFunction',
      actions: ['lambda:InvokeFunction'],
      resources: [guard.functionArn],
    }),
  );
  // What the guard could not finish through its retries goes to the dead-letter queue, for a person.
  deadLetterQueue.grantSendMessages(guardMachine);
  Validations.of(guardMachine).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: LOGGING_AND_TRACING,
  });
  new events.Rule(scope, 'ExecutionEndedRule', {
    description: "Runs the guard's state machine when a release execution ends.",
    eventPattern: {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      detail: { status: GUARDED_STATUSES, stateMachineArn: [options.releases.stateMachineArn] },
    },
    targets: [
      new targets.SfnStateMachine(guardMachine, {
        deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
      }),
    ],
  });
  return guardMachine;
}
