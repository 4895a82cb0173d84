import { describe, expect, it } from 'vitest';
import type { ReleaseExecution, ReleaseExecutions } from '#adapters/aws/release-executions.ts';
import { observedEventsOf } from '#adapters/aws/sfn-release-observer.ts';
import type { ObservedEvent, ObservedExecution, ReleaseObserver } from '#core/observing-ports.ts';
import { historyCommand } from '../../cli/history-command.ts';
import { listCommand } from '../../cli/list-command.ts';
import type { ObserveContext } from '../../cli/observe.ts';
import { statusViewCommand, watchCommand } from '../../cli/watch-command.ts';
import { HISTORY_START, releaseHistory } from '../support/execution-history.ts';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';
const arnOf = (name: string) => `${MACHINE.replace('stateMachine', 'execution')}:${name}`;

type Stage = Parameters<typeof releaseHistory>[0];

/** Step Functions as the commands read it: executions whose histories move through `stages`, one read at a time. */
function world(
  executions: Record<string, Stage[]>,
  now = HISTORY_START + 62_000,
  history: Parameters<typeof releaseHistory>[1] = {},
) {
  let out = '';
  let err = '';
  const reads: Record<string, number> = {};
  const stageOf = (name: string) => {
    const stages = executions[name] ?? [];
    return stages[Math.min(reads[name] ?? 0, stages.length - 1)] as Stage;
  };
  const observer: ReleaseObserver = {
    async executions({ running }) {
      return Object.keys(executions)
        .map(
          (name): ObservedExecution => ({
            name,
            executionArn: arnOf(name),
            status: ['baking', 'awaiting approval'].includes(stageOf(name)) ? 'RUNNING' : 'FAILED',
            startedAt: new Date(HISTORY_START),
            ...(['baking', 'awaiting approval'].includes(stageOf(name))
              ? {}
              : { stoppedAt: new Date(HISTORY_START + 421_000) }),
          }),
        )
        .filter((e) => !running || e.status === 'RUNNING');
    },
    async events(executionArn): Promise<ObservedEvent[] | undefined> {
      const name = executionArn.split(':').at(-1) as string;
      if (!executions[name]) return undefined;
      const events = observedEventsOf(releaseHistory(stageOf(name), history));
      reads[name] = (reads[name] ?? 0) + 1;
      return events;
    },
  };
  const releases: ReleaseExecutions = {
    async start() {
      throw new Error('not expected');
    },
    async describe(releaseId): Promise<ReleaseExecution> {
      const stage = stageOf(releaseId);
      const ended = stage === 'promoted' ? 'promoted' : stage === 'rolled back' ? 'rolled_back' : undefined;
      return {
        releaseId,
        executionArn: arnOf(releaseId),
        status: ended === undefined ? 'RUNNING' : ended === 'promoted' ? 'SUCCEEDED' : 'FAILED',
        ...(ended ? { outcome: ended } : {}),
      };
    },
  };
  let clock = now;
  const context: ObserveContext = {
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
    executions: () => releases,
    observer: () => observer,
    sleep: async (seconds) => {
      clock += seconds * 1000;
    },
    now: () => clock,
    env: { STEPSHIFT_STATE_MACHINE_ARN: MACHINE },
  };
  return { context, out: () => out, err: () => err };
}

describe('stepshift list', () => {
  it('shows each running release: step, weights, state, next check and trigger', async () => {
    const w = world({ 'orders-v2': ['baking'], 'orders-v1': ['rolled back'] });
    expect(await listCommand({}, w.context)).toBe(0);
    expect(w.out()).toBe(
      [
        'ID         SERVICE  VERSION  STEP  WEIGHTS                        STATE   NEXT CHECK  TRIGGER',
        'orders-v2  orders   v2       1/2   orders-v1 90% · orders-v2 10%  baking  in 4m       request',
        '',
      ].join('\n'),
    );
  });

  it('keeps to --service, and prints one JSON document', async () => {
    const w = world({ 'orders-v2': ['awaiting approval'] });
    await listCommand({ service: 'payments' }, w.context);
    expect(w.out()).toBe('no release of payments is running\n');
    const j = world({ 'orders-v2': ['awaiting approval'] });
    await listCommand({ json: true }, j.context);
    expect(JSON.parse(j.out())).toEqual({
      releases: [
        expect.objectContaining({
          releaseId: 'orders-v2',
          state: 'held for approval',
          step: '2/2',
          trigger: 'request',
        }),
      ],
    });
  });
});

describe('stepshift history', () => {
  it('shows the release, its outcome and why, how long it took and how far it got', async () => {
    const w = world({ 'orders-v2': ['rolled back'] });
    expect(await historyCommand('orders', {}, w.context)).toBe(0);
    expect(w.out().split('\n')[1]).toBe(
      'orders-v2  v2       rolled_back  7m1s      request  step 2/2 (50%)  orders-5xx is ALARM (4.7, alarm when > 1), at step 2 with 50% on the new version',
    );
  });

  it('refuses a --since or --limit it cannot read, in one sentence, with exit 2', async () => {
    const w = world({});
    expect(await historyCommand('orders', { since: 'last tuesday', limit: '0' }, w.context)).toBe(2);
    expect(w.err()).toBe(
      '--limit must be at least 1; --since "last tuesday" is neither a span such as 7d, 12h or 30m nor an ISO 8601 time such as 2026-01-31T09:00:00Z\n',
    );
  });
});

describe('stepshift watch', () => {
  it('follows the release to its end in plain lines and exits 1 when it rolled back', async () => {
    const w = world({ 'orders-v2': ['baking', 'rolled back'] });
    expect(await watchCommand('orders-v2', { pollSeconds: 2 }, w.context)).toBe(1);
    expect(w.out()).toContain('+00:00:02 orders v2 step 1/2: orders-v1 90% · orders-v2 10%\n');
    expect(w.out()).toContain('+00:07:01 orders v2 rolled back at step 2 (50%): orders-5xx 4.7 > 1\n');
    expect(w.out()).toContain('orders v2 (orders-v2): rolled back · step 2/2 ▰▰');
  });

  it('exits 0 when it promoted, with the last view as JSON', async () => {
    // A history only grows: each stage extends the one before.
    const w = world({ 'orders-v2': ['baking', 'promoted'] });
    expect(await watchCommand('orders-v2', { json: true, pollSeconds: 1 }, w.context)).toBe(0);
    expect(JSON.parse(w.out()).view).toMatchObject({ outcome: 'promoted', state: 'ended' });
  });
});

describe('stepshift status', () => {
  it("prints the release's line and its compact view once", async () => {
    const w = world({ 'orders-v2': ['baking'] });
    expect(await statusViewCommand('orders-v2', {}, w.context)).toBe(0);
    expect(w.out()).toContain('orders v2 (orders-v2): baking · step 1/2 ▰▱ 10% on orders-v2\n');
    expect(w.out()).toContain('  next check  in 4m\n');
  });

  it('says how many signals the check and the rollback left out, in text and in --json', async () => {
    const w = world({ 'orders-v2': ['rolled back'] }, undefined, { crowded: true });
    expect(await statusViewCommand('orders-v2', {}, w.context)).toBe(1);
    expect(w.out()).toContain('  signals     alarm-0 ALARM (4.7, alarm when > 1)\n');
    expect(w.out()).toContain('alarm-7 ALARM (4.7, alarm when > 1)\n              … and 3 more signals\n');
    const j = world({ 'orders-v2': ['rolled back'] }, undefined, { crowded: true });
    await statusViewCommand('orders-v2', { json: true }, j.context);
    expect(JSON.parse(j.out()).view).toMatchObject({ signalsOmitted: 3 });
    const watched = world({ 'orders-v2': ['rolled back'] }, undefined, { crowded: true });
    await watchCommand('orders-v2', { pollSeconds: 1 }, watched.context);
    expect(watched.out()).toContain('rolled back at step 2 (50%): alarm-0 4.7 > 1, ');
    expect(watched.out()).toContain('alarm-4 4.7 > 1 and 6 more\n');
  });

  it('still answers without the view when the history cannot be read', async () => {
    const w = world({ 'orders-v2': ['baking'] });
    const denied: ObserveContext = {
      ...w.context,
      observer: () => ({
        executions: async () => [],
        events: async () => {
          throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
        },
      }),
    };
    expect(await statusViewCommand('orders-v2', {}, denied)).toBe(0);
    expect(w.out()).toMatch(/^release orders-v2: running\n/);
    expect(w.err()).toContain('no view of orders-v2');
  });
});
