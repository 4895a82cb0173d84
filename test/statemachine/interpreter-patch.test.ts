import '#rehearsal/platform/polyfills.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';

// Pins patches/aws-local-stepfunctions+3.0.0.patch. On AWS, TimeoutSecondsPath reads the state's
// input; unpatched, the interpreter read the Parameters output, so the release's Bake state failed.
describe('aws-local-stepfunctions, as patched', () => {
  const machine = new StateMachine(
    {
      StartAt: 'Wait',
      States: {
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          TimeoutSecondsPath: '$.bakeSeconds',
          Parameters: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:f',
            Payload: { token: 'x' },
          },
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Done' }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    },
    { validationOptions: { noValidate: true } },
  );

  it('reads TimeoutSecondsPath from the state input, not from the Parameters output', async () => {
    const seen: unknown[] = [];
    const run = machine.run(
      { bakeSeconds: 1 },
      {
        overrides: {
          taskResourceLocalHandlers: {
            Wait: async (input) => {
              seen.push(input);
              return new Promise(() => {}); // never calls back
            },
          },
        },
      },
    );
    await expect(run.result).resolves.toMatchObject({
      bakeSeconds: 1,
      timedOut: { Error: 'States.Timeout' },
    });
    expect(seen).toEqual([
      { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:f', Payload: { token: 'x' } },
    ]);
  });

  it('fails a bad TimeoutSecondsPath before starting the task', async () => {
    let started = false;
    const run = machine.run(
      { bakeSeconds: 'soon' },
      {
        overrides: {
          taskResourceLocalHandlers: {
            Wait: async () => {
              started = true;
              return {};
            },
          },
        },
      },
    );
    await expect(run.result).rejects.toThrow();
    expect(started).toBe(false);
  });
});
