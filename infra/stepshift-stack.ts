import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ReleaseOrchestrator, type ReleaseOrchestratorProps } from './release-orchestrator.ts';

export interface StepshiftStackProps extends StackProps {
  readonly orchestrator: ReleaseOrchestratorProps;
}

/** A stack holding one ReleaseOrchestrator: what `npm run synth` deploys for the example service. */
export class StepshiftStack extends Stack {
  readonly orchestrator: ReleaseOrchestrator;

  constructor(scope: Construct, id: string, props: StepshiftStackProps) {
    super(scope, id, props);
    this.orchestrator = new ReleaseOrchestrator(this, 'Releases', props.orchestrator);
    // What people and scripts need after a deploy: where to start releases and where events go.
    new CfnOutput(this, 'StateMachineArn', {
      value: this.orchestrator.stateMachine.stateMachineArn,
      description:
        'Start releases here: stepshift start --state-machine <this>, or STEPSHIFT_STATE_MACHINE_ARN',
    });
    new CfnOutput(this, 'EventBusName', {
      value: this.orchestrator.eventBus.eventBusName,
      description: 'Put "Release Requested" events here; lifecycle events arrive here (source stepshift)',
    });
    new CfnOutput(this, 'TableName', {
      value: this.orchestrator.table.tableName,
      description:
        'Operator commands find running releases here: stepshift abort|promote|pause|resume --table <this>, or STEPSHIFT_TABLE_NAME',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.orchestrator.deadLetterQueue.queueUrl,
      description: 'Trigger events that could not start a release after retries',
    });
  }
}
