import { expect } from 'vitest';
import type { RehearsalReport } from '#rehearsal/rehearse.ts';
import { OUTCOMES } from '#rehearsal/script/scenario.ts';

/**
 * What every fault case asserts before its invariant: the injected fault met a call of its operation
 * (a fault that never fired would prove nothing), the release ended in a known outcome, and one that
 * did not promote names its error and says why.
 */
export function expectFaultMetAndExplained(report: RehearsalReport, operation: string): void {
  expect(
    report.calls.some((c) => c.operation === operation && c.error?.message.includes('injected')),
    'the fault met a call',
  ).toBe(true);
  expect(OUTCOMES).toContain(report.outcome);
  if (report.outcome !== 'promoted') {
    expect(report.error?.name, 'a release that did not promote names its error').toBeTruthy();
    expect(report.error?.message, 'and says why').toBeTruthy();
  }
}
