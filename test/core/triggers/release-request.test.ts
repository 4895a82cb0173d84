import { describe, expect, it } from 'vitest';
import { fromReleaseRequest } from '#core/triggers/release-request.ts';
import { problemsOf } from '../../support/problems.ts';

describe('the request itself (console, CLI, CodePipeline)', () => {
  it('is the request, its fields named request.*', () => {
    expect(fromReleaseRequest({ service: 'orders', version: 'v2' })).toEqual({
      trigger: 'request',
      request: { service: 'orders', version: 'v2' },
      root: 'request',
      from: {},
    });
  });

  it('is what a CodePipeline Literal Input becomes: the JSON verbatim, variables already substituted', () => {
    // Input: {"service":"orders","version":"v7","releaseId":"#{codepipeline.PipelineExecutionId}"}
    const input = { service: 'orders', version: 'v7', releaseId: '3f2b9c4e-8d1a-4e57-9b6f-2c0d7a5e1f93' };
    expect(fromReleaseRequest(input).request).toBe(input);
  });

  it('leaves other shapes to the request schema, which names them', () => {
    for (const input of [[], 'orders v2', null, 42]) {
      expect(fromReleaseRequest(input).request).toBe(input);
    }
  });

  it('refuses {} (what a CodePipeline action with no Input sends) in one sentence', () => {
    expect(problemsOf(() => fromReleaseRequest({}))).toEqual([
      'request: is an empty object; give at least the service and the version, such as {"service": "orders", "version": "v2"} (a CodePipeline Step Functions action with no Input starts the execution with {})',
    ]);
  });

  it('refuses a request encoded twice', () => {
    expect(problemsOf(() => fromReleaseRequest('{"service":"orders","version":"v2"}'))).toEqual([
      'request: is a JSON string that holds an object, not the object itself; the request was encoded twice: start the execution with the object as its input, such as {"service": "orders", "version": "v2"}',
    ]);
  });
});
