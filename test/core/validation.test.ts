import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeIssues, requiredString } from '#core/validation.ts';

// This file imports zod/mini only, as the Lambda functions do: zod's classic API, which loads zod's
// English messages itself, is not in its module graph.
describe('core/validation.ts under zod/mini', () => {
  it("gives zod's English message where a schema sets none", () => {
    // Arrange
    const schema = z.strictObject({ port: z.number() });

    // Act
    const parsed = schema.safeParse({ port: '80' });

    // Assess
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error as z.core.$ZodError, 'router')).toEqual([
      'router.port: Invalid input: expected number, received string',
    ]);
  });

  it("keeps a schema's own sentences", () => {
    // Act
    const empty = requiredString('the service name').safeParse('');
    const long = requiredString('the service name', 3).safeParse('orders');

    // Assess
    expect(empty.error?.issues[0]?.message).toBe('is empty; give the service name');
    expect(long.error?.issues[0]?.message).toBe(
      'is longer than 3 characters; give the service name of 1..3 characters',
    );
  });
});
