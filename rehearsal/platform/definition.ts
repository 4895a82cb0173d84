import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FunctionName } from '#functions/index.ts';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '#routers/sim/account.ts';
import type { Retrier } from './retry-clock.ts';

/** The one state machine definition: deployed by the CDK stack, rehearsed from this same file. */
export const DEFINITION_PATH = fileURLToPath(
  new URL('../../statemachines/release.asl.json', import.meta.url),
);

const PLACEHOLDER = /\$\{(\w+)FunctionArn\}/g;

export interface TaskState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: { readonly FunctionName?: string };
  readonly Retry?: readonly Retrier[];
  /** A Wait state's: where in its input the seconds to wait are. */
  readonly SecondsPath?: string;
}

export interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, TaskState>;
}

/** The placeholders the definition expects, e.g. ["AnalyzeFunctionArn", ...]. */
export function definitionPlaceholders(text = readFileSync(DEFINITION_PATH, 'utf8')): string[] {
  return [...new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] as string))].sort();
}

/** The fake ARN a rehearsal substitutes for `${XFunctionArn}`; it names the function it stands for. */
function rehearsalFunctionArn(name: string): string {
  return `arn:aws:lambda:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:function:stepshift-${name}`;
}

/** Reads the definition and fills its placeholders as DefinitionSubstitutions would. */
export function loadDefinition(substitute: (name: string) => string = rehearsalFunctionArn): Definition {
  const text = readFileSync(DEFINITION_PATH, 'utf8').replace(PLACEHOLDER, (_, name: string) =>
    substitute(name),
  );
  return JSON.parse(text) as Definition;
}

/**
 * The guard's own small state machine (take the route over, wait until no task of the ended execution
 * can still be running, let go), deployed by the construct and rehearsed by the same interpreter.
 */
export const GUARD_DEFINITION_PATH = fileURLToPath(
  new URL('../../statemachines/guard.asl.json', import.meta.url),
);

/** The queue URL a rehearsal substitutes for `${DeadLetterQueueUrl}`. */
export const REHEARSAL_DEAD_LETTER_QUEUE = `https://sqs.${SIMULATED_REGION}.amazonaws.com/${SIMULATED_ACCOUNT}/stepshift-dead-letters`;

/** Reads the guard's definition and fills its placeholders as DefinitionSubstitutions would. */
export function loadGuardDefinition(): Definition {
  const text = readFileSync(GUARD_DEFINITION_PATH, 'utf8')
    .replace(PLACEHOLDER, (_, name: string) => rehearsalFunctionArn(name))
    .replace(/\$\{DeadLetterQueueUrl\}/g, REHEARSAL_DEAD_LETTER_QUEUE);
  return JSON.parse(text) as Definition;
}

/** Which function each Task state invokes, read from the definition's FunctionName parameters. */
export function taskFunctions(definition: Definition): Map<string, FunctionName> {
  const out = new Map<string, FunctionName>();
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const arn = state.Parameters?.FunctionName ?? '';
    const match = /function:stepshift-(\w+)$/.exec(arn);
    if (!match)
      throw new Error(`task state "${stateName}" invokes ${arn || 'nothing'}, not a stepshift function`);
    out.set(stateName, match[1] as FunctionName);
  }
  return out;
}
