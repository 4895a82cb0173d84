import { describe, expect, it } from 'vitest';
import { countSampleLoop, percentageStepFor } from '../../../bench/parts/sample-loop.ts';

describe("the AWS sample's loop", () => {
  it('enters Canary, Choice, Wait, Gather and Choice per bake, and six states around them', async () => {
    const count = await countSampleLoop(3);
    expect(count.percentageStep).toBe(25);
    expect(count.bakes).toBe(3);
    // Check, Deploy; 3 × (Canary, Choice, Wait, Gather, Is Healthy?); the last Canary and Choice;
    // Deployment Succeeded?, Was first Deployment?, Remove, Update, Succeed.
    expect(count.stateTransitions).toBe(2 + 3 * 5 + 2 + 5);
    // Check, Deploy, 4 Canary, 3 Gather, Remove, Update.
    expect(count.lambdaInvocations).toBe(11);
    expect(count.calls).toEqual({ appmesh: 8, getMetricDataMetrics: 3 });
  });

  it('bakes as often as its whole-number step lets it', () => {
    expect(percentageStepFor(4)).toBe(20);
    expect(percentageStepFor(10)).toBe(10);
  });
});
