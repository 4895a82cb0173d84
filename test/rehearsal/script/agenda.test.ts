import { describe, expect, it } from 'vitest';
import { Agenda } from '#rehearsal/script/agenda.ts';
import { VirtualClock } from '#rehearsal/script/clock.ts';

function agendaWithLog() {
  const clock = new VirtualClock();
  const agenda = new Agenda(clock);
  const log: string[] = [];
  const note = (what: string) => () => void log.push(`${clock.seconds}s ${what}`);
  return { clock, agenda, log, note };
}

describe('the agenda of what is due in virtual time', () => {
  it('fires items in time order, ties in the order they were added, each at its own time', async () => {
    const { agenda, log, note } = agendaWithLog();
    agenda.at(420, note('stop'));
    agenda.at(120, note('start'));
    agenda.at(420, note('second at 420'));
    agenda.at(60, note('edit'));

    await agenda.drain();

    expect(log).toEqual(['60s edit', '120s start', '420s stop', '420s second at 420']);
    expect(agenda.pending).toBe(0);
  });

  it('fires only what is due up to the limit, and leaves the rest', async () => {
    const { clock, agenda, log, note } = agendaWithLog();
    agenda.at(100, note('a'));
    agenda.at(300, note('b'));

    await agenda.fireUntil(() => 200);

    expect(log).toEqual(['100s a']);
    expect(clock.seconds).toBe(100);
    expect(agenda.pending).toBe(1);
  });

  it('fires an item whose time has passed at once, without moving the clock back', async () => {
    const { clock, agenda, log, note } = agendaWithLog();
    clock.advance(500);
    agenda.at(100, note('late'));

    await agenda.fireDue();

    expect(log).toEqual(['500s late']);
  });

  it('fires items an item adds when they fall due, and stops when asked', async () => {
    const { clock, agenda, log, note } = agendaWithLog();
    let stopped = false;
    agenda.at(10, () => {
      log.push(`${clock.seconds}s first`);
      agenda.at(20, note('added'));
    });
    agenda.at(30, () => {
      stopped = true;
    });
    agenda.at(40, note('after the stop'));

    await agenda.fireUntil(
      () => 100,
      () => stopped,
    );

    expect(log).toEqual(['10s first', '20s added']);
    expect(agenda.pending).toBe(1);
  });

  it('never fires an item twice when an item fires the agenda again (a second execution)', async () => {
    const { agenda, log, note } = agendaWithLog();
    agenda.at(10, async () => {
      log.push('outer');
      await agenda.fireUntil(() => 50);
    });
    agenda.at(20, note('inner'));
    agenda.at(60, note('later'));

    await agenda.drain();

    expect(log).toEqual(['outer', '20s inner', '60s later']);
  });
});

describe('virtual time passing inside a task', () => {
  it('fires what falls due during the pass at its own time, then reaches the target', async () => {
    const { clock, agenda, log, note } = agendaWithLog();
    clock.advance(10);
    agenda.at(10.5, note('stop'));
    agenda.at(11.5, note('guard'));
    agenda.at(40, note('later'));

    await agenda.pass(20);

    expect(log).toEqual(['10.5s stop', '11.5s guard']);
    expect(clock.seconds).toBe(30);
    expect(agenda.pending).toBe(1);
  });

  it('never moves time back when an item took longer than the pass', async () => {
    const { clock, agenda } = agendaWithLog();
    agenda.at(1, () => clock.advance(5));

    await agenda.passTo(2);

    expect(clock.seconds).toBe(6);
  });
});
