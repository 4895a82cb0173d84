import { readFileSync } from 'node:fs';
import type { App } from 'aws-cdk-lib';
import type { ProfileInput } from '#core/profile/profile.ts';

import { PipelineExampleStack } from './pipeline-example-stack.ts';
import { profilesFrom } from './profiles-from.ts';
import { StepshiftStack } from './stepshift-stack.ts';

/**
 * The example service's profile, as examples/canary-healthy.json declares it, released also by pushes
 * of v<n> tags to its ECR repository.
 */
function exampleProfile(): ProfileInput {
  const scenario = JSON.parse(
    readFileSync(new URL('../examples/canary-healthy.json', import.meta.url), 'utf8'),
  ) as { profile: ProfileInput };
  return { ...scenario.profile, source: { ecrRepository: 'orders', tagPattern: '^v[0-9]+$' } };
}

/** Pipelines and scripts (the example pipeline among them) find the release state machine by this name. */
const STATE_MACHINE_NAME = 'stepshift-releases';

/**
 * The stacks `npm run synth` produces. Environment-agnostic: no account or region lookups. The
 * profiles are the example's, or those of the folder `-c profiles=<folder>` names (docs/deploying.md).
 */
export function buildStepshiftApp(app: App): { stepshift: StepshiftStack; pipeline: PipelineExampleStack } {
  const folder = app.node.tryGetContext('profiles') as unknown;
  const profiles = typeof folder === 'string' && folder ? profilesFrom(folder) : [exampleProfile()];
  const stepshift = new StepshiftStack(app, 'Stepshift', {
    description: 'stepshift: progressive delivery on App Mesh routes, gated on CloudWatch alarms',
    orchestrator: { profiles, stateMachineName: STATE_MACHINE_NAME },
  });
  const pipeline = new PipelineExampleStack(app, 'StepshiftPipelineExample', {
    description: 'stepshift example: a CodePipeline whose Release stage runs a stepshift release',
    stateMachineName: STATE_MACHINE_NAME,
  });
  return { stepshift, pipeline };
}
