import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FunctionName } from '#functions/index.ts';
import type { Retrier } from './retry-clock.ts';

/** The one state machine definition: deployed by the CDK stack, rehearsed from this same file. */
export const DEFINITION_PATH = fileURLToPath(new URL('../statemachines/release.asl.json', import.meta.url));

const PLACEHOLDER = /\$\{(\w+)FunctionArn\}/g;

export interface TaskState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: { readonly FunctionName?: string };
  readonly Retry?: readonly Retrier[];
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
  return `arn:aws:lambda:us-east-1:123456789012:function:stepshift-${name}`;
}

/** Reads the definition and fills its placeholders as DefinitionSubstitutions would. */
export function loadDefinition(substitute: (name: string) => string = rehearsalFunctionArn): Definition {
  const text = readFileSync(DEFINITION_PATH, 'utf8').replace(PLACEHOLDER, (_, name: string) =>
    substitute(name),
  );
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
