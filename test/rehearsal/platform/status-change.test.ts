import { describe, expect, it } from 'vitest';
import { statusChangeEvent } from '#rehearsal/platform/status-change.ts';

describe('the "Step Functions Execution Status Change" event the guard receives', () => {
  it("has the shape of the developer guide's examples: epoch-millisecond dates, input as JSON text, no output", () => {
    const event = statusChangeEvent({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:stepshift-release:rehearsal',
      name: 'rehearsal',
      status: 'ABORTED',
      input: { service: 'orders', version: 'v2' },
      startDate: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)),
      stopDate: new Date(Date.UTC(2026, 0, 1, 0, 7, 0, 250)),
      sequence: 1,
      account: '123456789012',
      region: 'us-east-1',
    });

    expect(event).toEqual({
      version: '0',
      id: '00000000-0000-4000-b000-000000000001',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '123456789012',
      time: '2026-01-01T00:07:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:states:us-east-1:123456789012:execution:stepshift-release:rehearsal'],
      detail: {
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:stepshift-release:rehearsal',
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:stepshift-release',
        name: 'rehearsal',
        status: 'ABORTED',
        startDate: Date.UTC(2026, 0, 1),
        stopDate: Date.UTC(2026, 0, 1, 0, 7, 0, 250),
        input: '{"service":"orders","version":"v2"}',
        inputDetails: { included: true },
        output: null,
        outputDetails: null,
      },
    });
  });
});
