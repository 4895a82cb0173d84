import { Stack, type StackProps } from 'aws-cdk-lib';
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
  }
}
