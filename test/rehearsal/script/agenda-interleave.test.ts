import { describe, expect, it } from 'vitest';
import { Agenda } from '#rehearsal/script/agenda.ts';
import { VirtualClock } from '#rehearsal/script/clock.ts';

describe('an interleaved agenda', () => {
  it('runs threads side by side, moving the clock to the earliest wake-up once every thread sleeps', async () => {
    const clock = new VirtualClock();
    const agenda = new Agenda(clock);
    agenda.interleave();
    const seen: string[] = [];
    const thread = async (name: string, steps: number[]) => {
      agenda.started();
      for (const step of steps) {
        await agenda.pass(step);
        seen.push(`${name}@${clock.seconds}`);
      }
      agenda.ended();
    };
    agenda.at(2.5, () => seen.push(`item@${clock.seconds}`));
    void thread('a', [1, 2, 3]);
    void thread('b', [2, 2]);
    await agenda.run();
    expect(seen).toEqual(['a@1', 'b@2', 'item@2.5', 'a@3', 'b@4', 'a@6']);
  });

  it('wakes a sleeper early when what it waits for happens, at that time', async () => {
    const clock = new VirtualClock();
    const agenda = new Agenda(clock);
    agenda.interleave();
    let answered = false;
    let wokeAt: number | undefined;
    agenda.started();
    void agenda
      .fireUntil(
        () => 300,
        () => answered,
      )
      .then(() => {
        wokeAt = clock.seconds;
        agenda.ended();
      });
    agenda.at(42, () => {
      answered = true;
    });
    await agenda.run();
    expect(wokeAt).toBe(42);
  });
});

describe('an interleaved agenda whose item throws', () => {
  it('ends its run with the error', async () => {
    const agenda = new Agenda(new VirtualClock());
    agenda.interleave();
    agenda.at(5, () => {
      throw new Error('the guard could not run');
    });
    await expect(agenda.run()).rejects.toThrow('the guard could not run');
  });
});
