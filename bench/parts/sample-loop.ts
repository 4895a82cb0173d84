// The AWS sample's canary loop (bench/sample-loop/definition.json: Canary task -> Choice -> Wait ->
// Gather task -> Choice per step) run in the interpreter the rehearsal uses, aws-local-stepfunctions,
// to count what one release costs it: state transitions, Lambda invocations, the AWS calls its
// functions make. Its functions are modelled from their published code: StartCanary reads the route
// and writes it (DescribeRoute, UpdateRoute), GatherHealthcheckStatus makes one GetMetricData call of
// one metric; the others are counted as invocations.
import '#rehearsal/platform/polyfills.ts';
import { readFileSync } from 'node:fs';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

export const SAMPLE_SOURCE =
  'aws/aws-app-mesh-examples blogs/ecs-canary-deployments-pipeline/shared_stack/state_machine_definition.yml @ f9918a65f80631073d11bc782ca975d7464e48f1';

const definition = JSON.parse(
  readFileSync(new URL('../sample-loop/definition.json', import.meta.url), 'utf8'),
) as StateMachineDefinition;

/** The sample's step: each Canary task adds PercentageStep (an integer) until the weight reaches 100. */
export const percentageStepFor = (bakes: number): number => Math.ceil(100 / (bakes + 1));

export interface SampleCount {
  readonly percentageStep: number;
  readonly bakes: number;
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  readonly calls: { readonly appmesh: number; readonly getMetricDataMetrics: number };
}

/** Runs one healthy release of the sample's loop with a step that bakes `bakes` times if it can. */
export async function countSampleLoop(bakes: number): Promise<SampleCount> {
  const percentageStep = percentageStepFor(bakes);
  let weight = 0;
  let invocations = 0;
  let appmesh = 0;
  let metrics = 0;
  let waits = 0;
  const task = (work: () => unknown) => async (): Promise<never> => {
    invocations++;
    return work() as never;
  };
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const run = machine.run(
    { WaitTime: 300, PercentageStep: percentageStep },
    {
      overrides: {
        taskResourceLocalHandlers: {
          'Check Deployment Version': task(() => ({ new_version: 2 })),
          'Deploy New Version/CFN': task(() => ({})),
          'Canary & Switch traffic': task(() => {
            appmesh += 2;
            weight = Math.min(100, weight + percentageStep);
            return { new_vn_weight: weight, current_vn_weight: 100 - weight };
          }),
          'Gather Healthcheck Status': task(() => {
            metrics += 1;
            return true;
          }),
          'Remove Old Version': task(() => true),
          'Update Deployment Version': task(() => ({})),
          Rollback: task(() => true),
        },
        waitTimeOverrides: { Wait: 0 },
      },
    },
  );
  let stateTransitions = 0;
  for await (const event of run.eventLogs) {
    if (event.type === 'StateEntered') {
      stateTransitions++;
      if (event.state.name === 'Wait') waits++;
    }
  }
  await run.result;
  return {
    percentageStep,
    bakes: waits,
    stateTransitions,
    lambdaInvocations: invocations,
    calls: { appmesh, getMetricDataMetrics: metrics },
  };
}
