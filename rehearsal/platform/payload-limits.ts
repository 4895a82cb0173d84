/**
 * Step Functions' payload quota, as the rehearsal enforces it: "Maximum input or output size for a
 * task, state, or execution: 256 KiB of data as a UTF-8 encoded string" (Step Functions developer
 * guide, "Step Functions service quotas"). Over it, the state fails with States.DataLimitExceeded,
 * "a terminal error that can't be caught by the States.ALL error type" (developer guide, "Error
 * handling in Step Functions"): raised when a connector's output, a state's output, or a state's
 * input after Parameters is larger than the quota. The execution fails; on AWS the guard then
 * restores the route, as it does here.
 */
export const STATE_PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** The payload measured as AWS measures it: its JSON text in UTF-8. */
export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/**
 * The interpreter (aws-local-stepfunctions) asks an error whether a Catch or a Retry may take it
 * (isCatchable, isRetryable), as it does for its own States.Runtime: this one neither.
 */
export class DataLimitExceededError extends Error {
  readonly isCatchable = false;
  readonly isRetryable = false;
  constructor(state: string, what: string, bytes: number) {
    super(
      `The ${what} of state '${state}' is ${bytes} bytes, above the ${STATE_PAYLOAD_LIMIT_BYTES}-byte (256 KiB) limit Step Functions sets for a state's input and output`,
    );
    this.name = 'States.DataLimitExceeded';
  }
}

/** The largest payload a rehearsal's tasks took or gave, and where. */
export interface LargestPayload {
  readonly bytes: number;
  readonly state: string;
  readonly what: 'input' | 'output';
}

/** Measures every task's input (after Parameters) and output, keeping the largest. */
export class PayloadMeter {
  largest: LargestPayload | undefined;

  #measure(state: string, what: LargestPayload['what'], value: unknown): void {
    const bytes = payloadBytes(value);
    if (!this.largest || bytes > this.largest.bytes) this.largest = { bytes, state, what };
    if (bytes > STATE_PAYLOAD_LIMIT_BYTES) throw new DataLimitExceededError(state, what, bytes);
  }

  /**
   * The task, failing as Step Functions would when what it is given or gives back is over the quota.
   * A Catch that adds an error to a state's input (ResultPath "$.failure") is measured as the next
   * task's input.
   */
  limit(state: string, task: (input: unknown) => Promise<unknown>): (input: unknown) => Promise<unknown> {
    return async (input) => {
      this.#measure(state, 'input', input);
      const output = await task(input);
      this.#measure(state, 'output', output);
      return output;
    };
  }
}
