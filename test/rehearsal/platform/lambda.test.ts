import { describe, expect, it } from 'vitest';
import { functionTimeout, invocationFailure } from '#rehearsal/platform/lambda.ts';

describe('a Lambda invocation that fails around the handler', () => {
  it("crashes as Runtime.ExitError, its cause the runtime's error document without a trace", () => {
    const error = invocationFailure('crash', '00000000-0000-4000-a000-000000000001', 120);
    expect(error.name).toBe('Runtime.ExitError');
    expect(JSON.parse(error.message)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage:
        'RequestId: 00000000-0000-4000-a000-000000000001 Error: Runtime exited with error: exit status 1',
    });
  });

  it('times out as Sandbox.Timedout, saying after how long', () => {
    const error = invocationFailure('timeout', '00000000-0000-4000-a000-000000000002', 30);
    expect(error.name).toBe('Sandbox.Timedout');
    expect(JSON.parse(error.message)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage:
        'RequestId: 00000000-0000-4000-a000-000000000002 Error: Task timed out after 30.00 seconds',
    });
  });

  it("takes a function's timeout from the scenario, else the one the construct deploys", () => {
    expect(functionTimeout('Analyze', {})).toBe(120);
    expect(functionTimeout('Bake', {})).toBe(30);
    expect(functionTimeout('Finish', {})).toBe(120);
    expect(functionTimeout('Analyze', { Analyze: 45 })).toBe(45);
  });
});
