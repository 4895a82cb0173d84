import { describe, expect, it } from 'vitest';
import { type Invocation, rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';

const example = (name: string) =>
  loadScenario(new URL(`../../../examples/${name}`, import.meta.url).pathname);

describe('onInvocation', () => {
  it("tells each task's Lambda invocation, with the virtual seconds it ran", async () => {
    const seen: Invocation[] = [];
    await rehearse(await example('canary-healthy.json'), { onInvocation: (i) => seen.push(i) });
    const byFunction: Record<string, number> = {};
    for (const i of seen) byFunction[i.function] = (byFunction[i.function] ?? 0) + 1;
    expect(byFunction).toEqual({ Prepare: 1, Shift: 3, Bake: 3, Analyze: 3, Promote: 1, Finish: 1 });
    // Each one makes AWS calls, each 50 ms of virtual time; the bake's wait is not the function's.
    for (const i of seen) expect(i.seconds).toBeGreaterThan(0);
    expect(Math.max(...seen.map((i) => i.seconds))).toBeLessThan(5);
  });

  it("counts a timed-out invocation's whole timeout", async () => {
    const scenario = await example('canary-healthy.json');
    const seen: Invocation[] = [];
    await rehearse(
      {
        ...scenario,
        world: {
          ...scenario.world,
          faults: [{ state: 'Shift traffic', call: 1, fault: 'timeout', when: 'before' }],
        },
      } as typeof scenario,
      { onInvocation: (i) => seen.push(i) },
    );
    expect(seen.find((i) => i.function === 'Shift')?.seconds).toBe(120);
  });
});
