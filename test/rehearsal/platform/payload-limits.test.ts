import { describe, expect, it } from 'vitest';
import {
  DataLimitExceededError,
  PayloadMeter,
  STATE_PAYLOAD_LIMIT_BYTES,
} from '#rehearsal/platform/payload-limits.ts';

describe("the rehearsal's Step Functions payload quota", () => {
  it('passes a task whose input and output fit, keeping the largest it saw', async () => {
    const meter = new PayloadMeter();
    await meter.limit('Shift traffic', async () => ({ big: 'x'.repeat(1000) }))({ small: 1 });
    expect(meter.largest).toEqual({ bytes: 1010, state: 'Shift traffic', what: 'output' });
  });

  it('fails a task over 256 KiB as States.DataLimitExceeded, which no Catch or Retry may take', async () => {
    const meter = new PayloadMeter();
    const tooBig = { reason: 'é'.repeat(STATE_PAYLOAD_LIMIT_BYTES / 2) };
    const error = await meter
      .limit(
        'Analyze health',
        async () => tooBig,
      )({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLimitExceededError);
    expect(error).toMatchObject({ name: 'States.DataLimitExceeded', isCatchable: false, isRetryable: false });
    expect((error as Error).message).toBe(
      "The output of state 'Analyze health' is 262157 bytes, above the 262144-byte (256 KiB) limit Step Functions sets for a state's input and output",
    );
    let ran = false;
    await meter
      .limit('Roll back', async () => {
        ran = true;
      })(tooBig)
      .catch(() => undefined);
    expect(ran, 'an input over the quota never reaches the task').toBe(false);
  });
});
