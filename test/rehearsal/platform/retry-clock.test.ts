import { describe, expect, it } from 'vitest';
import { RetryClock } from '#rehearsal/platform/retry-clock.ts';
import { VirtualClock } from '#rehearsal/script/clock.ts';

const retriers = {
  Shift: [
    { ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 1, MaxAttempts: 2 },
    {
      ErrorEquals: ['RouterUnavailable'],
      IntervalSeconds: 2,
      MaxAttempts: 4,
      BackoffRate: 3,
      MaxDelaySeconds: 10,
    },
  ],
  Bake: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 5 }],
  Rollback: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 4, JitterStrategy: 'FULL' as const }],
};

function setup(random = () => 0.5) {
  const clock = new VirtualClock();
  const retries = new RetryClock((name) => retriers[name as keyof typeof retriers], clock, random);
  return { clock, retries };
}

describe('RetryClock: Step Functions Retry timing in virtual time', () => {
  it('backs off by IntervalSeconds x BackoffRate^n, capped by MaxDelaySeconds, up to MaxAttempts', () => {
    const { clock, retries } = setup();
    const delays = [1, 2, 3, 4, 5].map(() => retries.failed('Shift', 'RouterUnavailable')?.delaySeconds);
    expect(delays).toEqual([2, 6, 10, 10, undefined]);
    expect(clock.seconds).toBe(28);
  });

  it('counts each retrier on its own and starts again after a success', () => {
    const { retries } = setup();
    expect(retries.failed('Shift', 'Lambda.ServiceException')).toEqual({ attempt: 1, delaySeconds: 1 });
    expect(retries.failed('Shift', 'RouterUnavailable')).toEqual({ attempt: 1, delaySeconds: 2 });
    retries.succeeded('Shift');
    expect(retries.failed('Shift', 'RouterUnavailable')).toEqual({ attempt: 1, delaySeconds: 2 });
  });

  it('does not retry what no retrier names; States.TaskFailed does not cover States.Timeout', () => {
    const { retries } = setup();
    expect(retries.failed('Shift', 'AccessDeniedException')).toBeUndefined();
    expect(retries.failed('Bake', 'States.Timeout')).toBeUndefined();
    expect(retries.failed('Bake', 'Oops')).toEqual({ attempt: 1, delaySeconds: 5 });
  });

  it('applies full jitter with the seeded generator', () => {
    const { retries } = setup(() => 0.25);
    expect(retries.failed('Rollback', 'Anything')?.delaySeconds).toBe(1);
  });
});
