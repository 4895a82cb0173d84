import { bounded, TEXT_LIMITS } from '../bounded-text.ts';

/**
 * CodePipeline writes variables as `#{namespace.name}` (e.g. `#{SourceVariables.ImageTag}`,
 * `#{codepipeline.PipelineExecutionId}`) and replaces them in an action's configuration, so a Literal
 * Input reaches Step Functions with the values in place. A FilePath input file is artifact content:
 * CodePipeline passes it as it is, variables and all. A value still holding one is never what the
 * person meant, so it gets its own sentence rather than "is not a valid name".
 */
const VARIABLE = /#\{[^}]*\}/;

export function looksLikePipelineVariable(value: unknown): value is string {
  return typeof value === 'string' && VARIABLE.test(value);
}

/** The sentence for a value that still holds a CodePipeline variable. */
export function unsubstitutedVariable(value: string): string {
  return `${JSON.stringify(bounded(value, TEXT_LIMITS.shown))} looks like a CodePipeline variable that was not substituted; CodePipeline replaces #{namespace.name} in a Literal Input (from a namespace an earlier action or the pipeline defines), never inside a FilePath input file: give the value itself`;
}
