import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSfnReleaseObserver, FIRST_PAGE } from '#adapters/aws/sfn-release-observer.ts';
import { historyCommand } from '../../cli/history-command.ts';
import { listCommand } from '../../cli/list-command.ts';
import type { ObserveContext } from '../../cli/observe.ts';
import { READS_AT_ONCE } from '../../cli/observe.ts';
import { HISTORY_START, recordedHistory, releaseHistory } from '../support/execution-history.ts';
import { pagedHistories } from '../support/paged-histories.ts';

/**
 * `stepshift history` and `list --service` through the real adapter, on a mocked Step Functions that
 * runs 30 executions, 4 of them orders' (newest first: the 3rd, 10th, 18th and 26th), each answer
 * coming back after a few milliseconds that differ from one execution to the next.
 */
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';
const arnOf = (i: number) => `${MACHINE.replace('stateMachine', 'execution')}:release-${i}`;
const ORDERS = [2, 9, 17, 25];
const INDICES = Array.from({ length: 30 }, (_, i) => i);
const sfn = mockClient(SFNClient);

beforeEach(() => sfn.reset());

function account(stage: 'promoted' | 'awaiting approval', status: 'SUCCEEDED' | 'RUNNING') {
  sfn.on(ListExecutionsCommand).resolves({
    executions: INDICES.map((i) => ({
      name: `release-${i}`,
      executionArn: arnOf(i),
      stateMachineArn: MACHINE,
      status,
      startDate: new Date(HISTORY_START - i * 60_000),
      ...(status === 'RUNNING' ? {} : { stopDate: new Date(HISTORY_START - i * 60_000 + 606_000) }),
    })),
  });
  const service = (i: number) => (ORDERS.includes(i) ? 'orders' : `svc-${i}`);
  const reads = pagedHistories(
    sfn,
    Object.fromEntries(
      INDICES.map((i) => [arnOf(i), recordedHistory(releaseHistory(stage), { service: service(i) })]),
    ),
    (arn) => (Number(arn.split('-').at(-1)) * 7) % 5,
  );
  let out = '';
  const context = {
    out: { write: (t: string) => (out += t) },
    err: { write: () => true },
    executions: () => ({}),
    observer: () => createSfnReleaseObserver(new SFNClient({ region: 'eu-west-1' }), MACHINE),
    now: () => HISTORY_START,
    env: { STEPSHIFT_STATE_MACHINE_ARN: MACHINE },
  } as unknown as ObserveContext;
  return { ...reads, out: () => out, context };
}

describe("history and list --service read another service's executions no further than a first page", () => {
  it('history: its releases newest first, each read whole, the others one page each, 8 at a time', async () => {
    const a = account('promoted', 'SUCCEEDED');
    expect(await historyCommand('orders', { json: true }, a.context)).toBe(0);
    const { releases } = JSON.parse(a.out());
    expect(releases.map((r: { releaseId: string }) => r.releaseId)).toEqual(
      ORDERS.map((i) => `release-${i}`),
    );
    expect(releases[0]).toMatchObject({ outcome: 'promoted', reached: 'all', version: 'v2' });
    for (const i of INDICES) {
      expect(a.callsFor(arnOf(i))).toEqual(
        ORDERS.includes(i)
          ? [{ maxResults: FIRST_PAGE }, { maxResults: 1000 }]
          : [{ maxResults: FIRST_PAGE }],
      );
    }
    expect(a.seen.mostInFlight).toBe(READS_AT_ONCE);
    expect(READS_AT_ONCE).toBe(8);
  });

  it('history --limit: stops reading once it has them, past at most a bound of reads already started', async () => {
    const a = account('promoted', 'SUCCEEDED');
    expect(await historyCommand('orders', { json: true, limit: '2' }, a.context)).toBe(0);
    expect(JSON.parse(a.out()).releases.map((r: { releaseId: string }) => r.releaseId)).toEqual([
      'release-2',
      'release-9',
    ]);
    const read = new Set(a.seen.calls.map((c) => c.executionArn));
    expect(read.size).toBeLessThanOrEqual(10 + READS_AT_ONCE);
    // The reads left running finish here, not in the next test's account.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("list --service: the service's running releases whole, in order; the others one page each", async () => {
    const a = account('awaiting approval', 'RUNNING');
    expect(await listCommand({ service: 'orders', json: true }, a.context)).toBe(0);
    const { releases } = JSON.parse(a.out());
    expect(releases.map((r: { releaseId: string }) => r.releaseId)).toEqual(
      ORDERS.map((i) => `release-${i}`),
    );
    // Held for approval at the second step: told only by the end of the history.
    expect(releases[0]).toMatchObject({ service: 'orders', state: 'held for approval', step: '2/2' });
    for (const i of INDICES.filter((i) => !ORDERS.includes(i))) {
      expect(a.callsFor(arnOf(i))).toEqual([{ maxResults: FIRST_PAGE }]);
    }
    expect(a.seen.mostInFlight).toBeLessThanOrEqual(READS_AT_ONCE);
  });
});
