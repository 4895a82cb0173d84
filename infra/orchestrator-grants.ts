import { Aws, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/**
 * Prepare asks whether the execution holding a route still runs before taking a stale lock over; the
 * guard asks how an execution failed when its event does not say. A policy of its own: a function's
 * default policy may not name the state machine, which names the function (a cycle).
 */
export function readExecutionsPolicy(
  scope: Construct,
  stateMachine: sfn.StateMachine,
  role: iam.IRole,
): iam.Policy {
  const readExecutions = new iam.Policy(scope, 'ReadExecutions', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'IsLockHolderRunning',
        actions: ['states:DescribeExecution'],
        resources: [
          // The pseudo parameters, not the stack's env: the acknowledgement below names them, and a
          // stack with an explicit account and region would otherwise render literal values.
          `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${stateMachine.stateMachineName}:*`,
        ],
      }),
    ],
  });
  Validations.of(readExecutions).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${Stack.of(scope).getLogicalId(stateMachine.node.defaultChild as sfn.CfnStateMachine)}.Name>:*]`,
    reason:
      'Executions are named when a release starts; the grant is to read (DescribeExecution) any execution of this one state machine: whether the one holding a route lock still runs, and how one that failed ended.',
  });
  return readExecutions;
}

/**
 * Bake ends its own wait when an operator's request came between bakes; the alarm function ends a
 * bake when an alarm fires. A policy of its own, like ReadExecutions, to avoid a cycle.
 */
export function endBakesPolicy(
  scope: Construct,
  stateMachine: sfn.IStateMachine,
  role: iam.IRole,
): iam.Policy {
  return new iam.Policy(scope, 'EndBakes', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'EndBakes',
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [stateMachine.stateMachineArn],
      }),
    ],
  });
}
