import { operate } from '#core/release/operate.ts';
import { depsFor } from '../platform/function-deps.ts';
import type { Execution } from '../platform/interpreter.ts';
import type { Rehearsal } from '../rehearse.ts';
import {
  type CommandAction,
  type OperatorAction,
  type PersonRouterAction,
  personActionOf,
  type StartReleaseAction,
  type StopExecutionAction,
} from './operator-actions.ts';

export async function act(r: Rehearsal, action: OperatorAction): Promise<void> {
  if (personActionOf(action)) return actOnRouter(r, action as PersonRouterAction);
  const scripted = action as StopExecutionAction | StartReleaseAction | CommandAction;
  switch (scripted.action) {
    case 'stop-execution':
      return stop(r, r.executions[0] as Execution);
    case 'start-release':
      return startRelease(r, scripted);
    case 'abort':
    case 'promote':
    case 'pause':
    case 'resume':
    case 'approve':
    case 'reject':
      return command(r, scripted);
  }
}

/** `stepshift abort|promote|pause|resume <releaseId>`, run as the CLI runs it. */
async function command(r: Rehearsal, action: CommandAction): Promise<void> {
  const first = r.executions[0];
  const releaseId = action.releaseId ?? (first && r.releaseIds.get(first.name));
  if (releaseId === undefined) {
    r.timeline.add(`operator.${action.action}`, {
      ignored: 'no release has started yet, so there is no release id to name',
    });
    return;
  }
  try {
    const outcome = await operate(
      action.action,
      releaseId,
      {
        by: 'operator',
        ...(action.full === undefined ? {} : { full: action.full }),
        ...(action.reason === undefined ? {} : { reason: action.reason }),
      },
      depsFor(r, 'operator'),
    );
    r.timeline.add(`operator.${action.action}`, { releaseId, ...outcome });
  } catch (error) {
    // The CLI exits 2 with the error; the person would try again. The release goes on meanwhile.
    r.timeline.add(`operator.${action.action}`, {
      releaseId,
      status: 'failed',
      message: `the command failed with ${(error as Error).name}: ${(error as Error).message}`,
    });
  }
}

/**
 * StopExecution: the execution ends ABORTED at once. No Catch runs and the task it was waiting on
 * never answers, as on AWS; EventBridge then tells the guard.
 */
function stop(r: Rehearsal, execution: Execution): void {
  if (execution.status !== 'RUNNING') {
    r.timeline.add('operator.stop-execution', {
      execution: execution.name,
      ignored: `${execution.name} already ended ${execution.status}`,
    });
    return;
  }
  execution.stopped = true;
  execution.stoppedAt = r.clock.seconds;
  execution.status = 'ABORTED';
  r.sim.executions.set(execution.arn, 'ABORTED');
  r.timeline.add('operator.stop-execution', { execution: execution.name });
  execution.abort();
  r.timeline.add('execution.aborted', {}, execution.name);
  r.sendToGuard(execution);
}

/** A person's action on a router by hand (App Mesh's edit-route), as its router's simulator does it. */
export function actOnRouter(r: Rehearsal, action: PersonRouterAction): void {
  const person = personActionOf(action);
  if (person === undefined) throw new Error(`${action.action}: no router's simulator takes this action`);
  const detail = person.action.act(r.sim.routers[person.type], action, r.clock.seconds);
  r.timeline.add(`operator.${action.action}`, detail);
}

/**
 * A second execution of the same state machine, sharing the world, the clock and the table. It runs
 * to its end right here, while whatever was running waits; then that goes on.
 */
async function startRelease(r: Rehearsal, action: StartReleaseAction): Promise<void> {
  r.timeline.add('operator.start-release', { execution: r.nextName(), request: action.request });
  const execution = r.start(action.request);
  // Interleaved, the new execution runs beside the others; otherwise to its end, right here.
  if (!r.agenda.interleaved) await r.settled(execution);
}
