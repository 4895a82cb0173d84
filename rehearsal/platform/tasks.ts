import { handlerFactories } from '#functions/index.ts';
import type { Rehearsal } from '../rehearse.ts';
import { taskFunctions } from './definition.ts';
import { depsFor } from './function-deps.ts';
import { type Execution, ExecutionStoppedAnswer, never, type Wait } from './interpreter.ts';
import {
  functionTimeout,
  type InvokeParameters,
  invocationFailure,
  invokeLikeLambda,
  lambdaInvokeResult,
} from './lambda.ts';
import type { LambdaFault } from './lambda-faults.ts';
import type { RetryClock } from './retry-clock.ts';

type LocalHandler = (input: unknown) => Promise<unknown>;

/** A Lambda function for each Task state of this execution, as the Lambda integration calls it. */
export function taskHandlers(
  r: Rehearsal,
  execution: Execution,
  retries: RetryClock,
): Record<string, LocalHandler> {
  const out: Record<string, LocalHandler> = {};
  const deps = depsFor(r, execution.name);
  for (const [stateName, fn] of taskFunctions(r.definition)) {
    const handler = handlerFactories[fn](deps) as (event: never) => Promise<unknown>;
    const state = r.definition.States[stateName];
    const invoke = (params: InvokeParameters) => invokeTask(r, execution, stateName, fn, handler, params);
    const run: LocalHandler = state?.Resource?.endsWith('.waitForTaskToken')
      ? async (input) => {
          const params = input as InvokeParameters & {
            Payload: { taskToken?: string; release?: { bakeSeconds?: number } };
          };
          // Step Functions gives each callback task its own token ($$.Task.Token, ExecutionContext), so a
          // late callback misses, as on AWS (TaskTimedOut).
          const token = params.Payload.taskToken ?? execution.context.taskToken();
          const wait: Wait = { end: Number.POSITIVE_INFINITY };
          r.waits.set(token, wait);
          try {
            await invoke({ ...params, Payload: { ...params.Payload, taskToken: token } });
            wait.end = r.clock.seconds + (params.Payload.release?.bakeSeconds ?? 0);
            // The clock moves to the end of the bake in steps: whatever is due meanwhile happens at its
            // own time, and a callback (an alarm, an operator) ends the wait there.
            await r.agenda.fireUntil(
              () => wait.end,
              () => execution.stopped || wait.answer !== undefined,
            );
          } finally {
            r.waits.delete(token);
          }
          if (execution.stopped) return never();
          const answer = wait.answer;
          if (answer === undefined) {
            r.clock.advanceTo(wait.end);
            const timeout = new Error('The task did not call back before its timeout');
            timeout.name = 'States.Timeout';
            throw timeout;
          }
          r.timeline.add(
            'bake.ended',
            'error' in answer
              ? { by: 'SendTaskFailure', error: answer.error, secondsLeft: wait.end - r.clock.seconds }
              : { by: 'SendTaskSuccess', secondsLeft: wait.end - r.clock.seconds },
            execution.name,
          );
          if ('error' in answer) {
            const failure = new Error(answer.cause);
            failure.name = answer.error;
            throw failure;
          }
          return JSON.parse(answer.output) as unknown;
        }
      : async (input) => lambdaInvokeResult(await invoke(virtualStart(r, execution, input)));
    out[stateName] = r.payloads.limit(stateName, async (input) => {
      // What was due before this task started happens first: a person's action, the guard.
      await r.agenda.fireDue();
      if (execution.stopped) return never();
      const attempt = attemptTask(r, execution, stateName, retries, () => run(input));
      execution.running.add(attempt);
      const settled = await attempt.finally(() => execution.running.delete(attempt));
      // Stopped meanwhile: the task ran on to its end, and its result goes nowhere.
      if (execution.stopped) {
        const error = 'error' in settled ? settled.error : undefined;
        if (!(error instanceof ExecutionStoppedAnswer)) {
          const ended = error === undefined ? 'returned' : (error as Error).name;
          r.timeline.add('task.after-stop', { state: stateName, ended }, execution.name);
        }
        return never();
      }
      if ('error' in settled) throw settled.error;
      return settled.result;
    });
  }
  return out;
}

/**
 * One invocation of a task, settled with its result or its error. A failure Step Functions retries
 * is followed by the retry's pause, passed here in virtual time (the interpreter retries at once),
 * so whatever falls due during the pause happens at its own time.
 */
async function attemptTask(
  r: Rehearsal,
  execution: Execution,
  stateName: string,
  retries: RetryClock,
  run: () => Promise<unknown>,
): Promise<{ result: unknown } | { error: unknown }> {
  try {
    const result = await run();
    retries.succeeded(stateName);
    return { result };
  } catch (error) {
    const name = (error as Error).name;
    const retry = execution.stopped ? undefined : retries.decide(stateName, name);
    if (retry) {
      execution.context.retried();
      r.timeline.add('state.retried', { state: stateName, error: name, ...retry }, execution.name);
      await r.agenda.pass(retry.delaySeconds);
    }
    return { error };
  }
}

/**
 * The interpreter stamps $$.Execution.StartTime with the wall clock, whatever the context says; Step
 * Functions stamps the execution's start. A payload that carries it gets the virtual start instead.
 */
function virtualStart(r: Rehearsal, execution: Execution, input: unknown): InvokeParameters {
  const params = input as InvokeParameters & { Payload?: { execution?: { StartTime?: string } } };
  const context = params.Payload?.execution;
  if (context?.StartTime === undefined) return params;
  return {
    ...params,
    Payload: {
      ...params.Payload,
      execution: { ...context, StartTime: r.clock.dateAt(execution.startedAt).toISOString() },
    },
  } as InvokeParameters;
}

/**
 * One Lambda invocation of a task's function, with the scenario's Lambda faults: "before" fails it
 * before the handler runs; "after" lets the handler run (its AWS calls happen) and then fails it, so
 * its result is lost. A timeout costs the function's timeout in virtual time, counted from the
 * invocation's start. A handler that throws on its own keeps its own error.
 */
async function invokeTask(
  r: Rehearsal,
  execution: Execution,
  stateName: string,
  fn: string,
  handler: (event: never) => Promise<unknown>,
  params: InvokeParameters,
): Promise<unknown> {
  const invocation = (r.invocations.get(stateName) ?? 0) + 1;
  r.invocations.set(stateName, invocation);
  const startedAt = r.clock.seconds;
  try {
    return await invokeFaulted(r, execution, stateName, fn, handler, params, invocation, startedAt);
  } finally {
    r.onInvocation({ state: stateName, function: fn, seconds: r.clock.seconds - startedAt });
  }
}

/** The invocation itself, failed as the scenario's Lambda fault for it says, if any. */
async function invokeFaulted(
  r: Rehearsal,
  execution: Execution,
  stateName: string,
  fn: string,
  handler: (event: never) => Promise<unknown>,
  params: InvokeParameters,
  invocation: number,
  startedAt: number,
): Promise<unknown> {
  const fault = lambdaFault(r, stateName, invocation, startedAt);
  if (fault === undefined) return invokeLikeLambda(handler, params);
  const timeoutSeconds = functionTimeout(fn, r.world.functionTimeouts);
  const fail = async () => {
    if (fault.fault === 'timeout') await r.agenda.passTo(startedAt + timeoutSeconds);
    const requestId = `00000000-0000-4000-a000-${(++r.lambdaRequests).toString(16).padStart(12, '0')}`;
    const failure = invocationFailure(fault.fault, requestId, timeoutSeconds);
    r.timeline.add(
      'lambda.failed',
      {
        state: stateName,
        function: fn,
        invocation,
        fault: fault.fault,
        when: fault.when,
        error: failure.name,
        ...(fault.fault === 'timeout' ? { timeoutSeconds } : {}),
      },
      execution.name,
    );
    return failure;
  };
  if (fault.when === 'before') throw await fail();
  // The handler runs and its AWS calls happen; its result never reaches the task.
  await invokeLikeLambda(handler, params);
  throw await fail();
}

function lambdaFault(
  r: Rehearsal,
  stateName: string,
  invocation: number,
  at: number,
): LambdaFault | undefined {
  return r.world.faults.find((f): f is LambdaFault => {
    if (!('state' in f) || f.state !== stateName) return false;
    if (f.call !== undefined) return invocation >= f.call && invocation < f.call + (f.count ?? 1);
    return f.from !== undefined && at >= f.from && (f.until === undefined || at < f.until);
  });
}
