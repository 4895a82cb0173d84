import { SIMULATED_ACCOUNT } from '#routers/sim/account.ts';
import type { Call, Json, WireResponse } from '#routers/sim/service.ts';
import { ServiceError } from '#routers/sim/service.ts';

/** A hook function's scripted answer: its result, and the reason it gives. */
export interface HookAnswer {
  readonly result: string;
  readonly reason?: string | undefined;
}

/** The operations the simulated Lambda serves; a scenario's fault may target any of them. */
export const LAMBDA_OPERATIONS = ['Invoke', 'GetFunction'] as const;

/**
 * Lambda's Invoke (and GetFunction) of the release's hook functions, answered from world.hooks: the profile maps
 * function names to hooks (`hookFunctions`), the world scripts each hook's answers over time.
 */
export class LambdaModel {
  /** Lambda hook functions by name, and the hook each is (world.hooks is keyed by hook name). */
  readonly hookFunctions = new Map<string, string>();
  /** The answer world.hooks scripts for a hook at a virtual time, if any. */
  readonly #answerOf: (hook: string, at: number) => HookAnswer | undefined;

  constructor(answerOf: (hook: string, at: number) => HookAnswer | undefined) {
    this.#answerOf = answerOf;
  }

  /**
   * GetFunction of a hook function: there when the profile maps it to a hook world.hooks scripts an
   * answer for now, otherwise not found, as Invoke would find it.
   */
  getFunction(call: Call, region: string, at: number): Json {
    const fn = String(call.input.FunctionName);
    const hook = this.hookFunctions.get(fn);
    if (hook === undefined || this.#answerOf(hook, at) === undefined) {
      throw new ServiceError('ResourceNotFoundException', 404, `Function not found: ${fn}`);
    }
    return {
      Configuration: {
        FunctionName: fn,
        FunctionArn: `arn:aws:lambda:${region}:${SIMULATED_ACCOUNT}:function:${fn}`,
        State: 'Active',
      },
    };
  }

  /**
   * Lambda Invoke of a hook function, by the hook's name. "error" answers as a function error (the
   * X-Amz-Function-Error header), "timeout" as one after the hook's time; a function the world does not
   * script is not found.
   */
  invoke(call: Call, requestId: string, at: number): WireResponse {
    if (call.operation !== 'Invoke') {
      throw new ServiceError('UnknownOperationException', 400, 'The simulated Lambda serves Invoke only');
    }
    const fn = String(call.input.FunctionName);
    const hook = this.hookFunctions.get(fn);
    const answer = hook === undefined ? undefined : this.#answerOf(hook, at);
    if (answer === undefined) {
      throw new ServiceError(
        'ResourceNotFoundException',
        404,
        `Function not found: ${fn} (world.hooks scripts no answer for it${hook ? ` as hook ${hook}` : ''} at ${at}s)`,
      );
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': '$LATEST',
    };
    let payload: Json;
    if (answer.result === 'error' || answer.result === 'timeout') {
      headers['x-amz-function-error'] = 'Unhandled';
      payload =
        answer.result === 'timeout'
          ? { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out' }
          : { errorType: 'Error', errorMessage: answer.reason ?? 'the hook threw' };
    } else {
      payload = { result: answer.result, ...(answer.reason ? { reason: answer.reason } : {}) };
    }
    return { status: 200, headers, body: JSON.stringify(payload) };
  }
}
