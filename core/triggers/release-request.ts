import { InvalidRequestError } from '../errors.ts';
import { isJsonObject, type RequestCandidate } from './candidate.ts';

/**
 * The Step Functions console, `aws stepfunctions start-execution`, the stepshift CLI and CodePipeline's
 * Step Functions invoke action all start the execution with the request itself:
 * `{"service": "orders", "version": "v2"}`.
 *
 * CodePipeline passes its Input verbatim (InputType Literal: the Input field after variable
 * substitution; FilePath: the content of a file in the input artifact), and names the execution
 * `<ExecutionNamePrefix>-<action execution id>`, so a pipeline's request is this shape too; a
 * `releaseId` of `#{codepipeline.PipelineExecutionId}` ties the release to the pipeline run.
 * Values that are still `#{...}` are refused by requestSchema with a sentence of their own.
 *
 * Two inputs are refused here, with what most likely went wrong: the request encoded twice (a JSON
 * string holding the object), and `{}`, which is what a CodePipeline action without Input sends.
 */
export function fromReleaseRequest(input: unknown): RequestCandidate {
  if (typeof input === 'string' && isJsonObject(parseJson(input))) {
    throw new InvalidRequestError([
      'request: is a JSON string that holds an object, not the object itself; the request was encoded twice: start the execution with the object as its input, such as {"service": "orders", "version": "v2"}',
    ]);
  }
  if (isJsonObject(input) && Object.keys(input).length === 0) {
    throw new InvalidRequestError([
      'request: is an empty object; give at least the service and the version, such as {"service": "orders", "version": "v2"} (a CodePipeline Step Functions action with no Input starts the execution with {})',
    ]);
  }
  return { trigger: 'request', request: input, root: 'request', from: {} };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
