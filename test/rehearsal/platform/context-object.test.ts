import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { ExecutionContext, watchedDefinition } from '#rehearsal/platform/context-object.ts';
import type { Definition } from '#rehearsal/platform/definition.ts';

const IDENTITY = {
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release',
  roleArn: 'arn:aws:iam::123456789012:role/stepshift-release',
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:stepshift-release:rehearsal',
  name: 'rehearsal',
  input: { service: 'orders' },
  startTime: new Date('2026-01-01T00:00:00.000Z'),
};

function contextWith(callbacks: string[] = ['Bake']) {
  let tokens = 0;
  return new ExecutionContext(IDENTITY, new Set(callbacks), () => `rehearsal:task:${++tokens}`);
}

describe("the Context object ($$) a rehearsal's execution runs with", () => {
  it('carries every field AWS documents for $$.Execution, $$.StateMachine and $$.State', () => {
    const context = contextWith();
    context.enter('Prepare', new Date('2026-01-01T00:00:05.000Z'));

    expect(context.object).toEqual({
      Execution: {
        Id: IDENTITY.executionArn,
        Input: IDENTITY.input,
        Name: 'rehearsal',
        RoleArn: IDENTITY.roleArn,
        StartTime: '2026-01-01T00:00:00.000Z',
        // Never redriven in a rehearsal, so RedriveTime is absent, as on AWS before a redrive.
        RedriveCount: 0,
      },
      StateMachine: { Id: IDENTITY.stateMachineArn, Name: 'stepshift-release' },
      State: { EnteredTime: '2026-01-01T00:00:05.000Z', Name: 'Prepare', RetryCount: 0 },
      // No token outside a task that waits for a callback.
      Task: {},
    });
  });

  it('gives a callback task its own token, a new one on each retry, and counts the retries', () => {
    const context = contextWith();
    context.enter('Bake', new Date('2026-01-01T00:01:00.000Z'));
    expect(context.object.Task.Token).toBe('rehearsal:task:1');
    context.retried();
    expect(context.object.State).toMatchObject({ Name: 'Bake', RetryCount: 1 });
    expect(context.object.Task.Token).toBe('rehearsal:task:2');
    context.enter('Analyze', new Date('2026-01-01T00:02:00.000Z'));
    expect(context.object.State).toMatchObject({ Name: 'Analyze', RetryCount: 0 });
    expect(context.object.Task.Token).toBeUndefined();
  });

  it("reaches the interpreter's paths state by state", async () => {
    const definition: Definition = {
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Next: 'Second' } as never,
        Second: {
          Type: 'Pass',
          Parameters: {
            'state.$': '$$.State',
            'stateMachine.$': '$$.StateMachine',
            'roleArn.$': '$$.Execution.RoleArn',
            'redriveCount.$': '$$.Execution.RedriveCount',
          },
          End: true,
        } as never,
      },
    };
    const context = contextWith();
    let second = 0;
    const machine = new StateMachine(
      watchedDefinition(definition, (state) =>
        context.enter(state, new Date(Date.UTC(2026, 0, 1, 0, 0, ++second))),
      ) as unknown as StateMachineDefinition,
      { validationOptions: { noValidate: true } },
    );

    const output = await machine.run({}, { context: context.object as never }).result;

    expect(output).toEqual({
      state: { EnteredTime: '2026-01-01T00:00:02.000Z', Name: 'Second', RetryCount: 0 },
      stateMachine: { Id: IDENTITY.stateMachineArn, Name: 'stepshift-release' },
      roleArn: IDENTITY.roleArn,
      redriveCount: 0,
    });
  });
});
