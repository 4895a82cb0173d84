import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { storyOfRelease } from '../../cli/report/aws-story.ts';
import { type ReportContext, reportCommand } from '../../cli/report-command.ts';
import { run } from '../support/release-run.ts';
import { itemsOf } from '../support/svg.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';
const sfn = mockClient(SFNClient);
const dynamodb = mockClient(DynamoDBClient);

function context(env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const ctx: ReportContext = {
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
    env,
    storyOfRelease,
  };
  return { ctx, out: () => out, err: () => err };
}

function tempFile(name: string, content?: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'stepshift-report-')), name);
  if (content !== undefined) writeFileSync(file, content);
  return file;
}

describe('stepshift report <rehearsal.json>', () => {
  it('writes a Markdown page: the release, the plan, each check with what it measured, what happened, who acted, the chart', async () => {
    // Prepare
    const file = tempFile('rehearsal.json', JSON.stringify({ ...run, calls: [], file: 'x.json' }));
    const chart = join(file, '..', 'release.svg');
    const { ctx, out } = context();

    // Act
    const code = await reportCommand(file, { chart }, ctx);

    // Assess
    expect(code).toBe(0);
    const md = out();
    expect(md).toContain('# Release report: orders v2: rolls back');
    expect(md).toContain('| Outcome | **ROLLED BACK** (ReleaseRolledBack) |');
    expect(md).toContain('| From, to | orders-v1 → orders-v2 |');
    expect(md).toContain(
      '3 step(s) on orders-v2: 10%, 25%, 50%, then all of it; gated on alarms orders-5xx and metric checks error-rate.',
    );
    expect(md).toContain(
      '| +00:05:01 | 1 | 10% | 1 | passed (0/1 failed) | orders-5xx OK (ok: 0.2, alarm when > 1); error-rate (ok: 0.001 within max 0.01 over 5 samples) |',
    );
    expect(md).toContain('- +00:07:00, halt: halted: orders-5xx is ALARM (4.7, alarm when > 1), at step 2');
    expect(md).toContain('## Who acted\n\n- alice: pause by alice at +00:06:00');
    expect(md).toContain(`![The release: traffic, markers, alarms and metric checks over time](${chart})`);
    expect(itemsOf(readFileSync(chart, 'utf8'), 'markers').length).toBe(5);
  });

  it('with --format json prints the story as one document', async () => {
    // Prepare
    const file = tempFile('rehearsal.json', JSON.stringify(run));
    const { ctx, out } = context();

    // Act
    const code = await reportCommand(file, { format: 'json' }, ctx);

    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(out());
    expect(report).toMatchObject({ title: 'orders v2: rolls back', outcome: 'rolled_back' });
    expect(report.checks[0].signals[1].measured).toEqual({ canary: 0.001, max: 0.01 });
    expect(report.marks.map((m: { kind: string }) => m.kind)).toEqual([
      'hook',
      'operator',
      'halt',
      'rollback',
    ]);
  });

  it.each([
    ['an array of rehearsals', JSON.stringify([run, run]), /holds 2 rehearsals; a report is of one release/],
    [
      'something else',
      JSON.stringify({ name: 'x' }),
      /is not what `stepshift rehearse <scenario> --json` prints: outcome: /,
    ],
    ['not JSON', '{', /could not be read as JSON/],
  ])('refuses %s in one sentence, exit 2', async (_what, content, words) => {
    // Prepare
    const { ctx, out, err } = context();

    // Act
    const code = await reportCommand(tempFile('r.json', content), { format: 'json' }, ctx);

    // Assess
    expect(code).toBe(2);
    expect(err()).toMatch(words);
    expect(err().trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(out()).error).toMatch(words);
  });

  it('refuses a format it does not know, and a release id without a state machine', async () => {
    const bad = context();
    expect(await reportCommand('orders-v2', { format: 'pdf' }, bad.ctx)).toBe(2);
    expect(bad.err()).toBe('--format "pdf" is not one the report knows: give md or json\n');
    const none = context();
    expect(await reportCommand('orders-v2', {}, none.ctx)).toBe(2);
    expect(none.err()).toMatch(/^no state machine given to find release orders-v2 on: pass --state-machine/);
  });
});

/** The history of a release that shifts to 10%, passes, shifts to 25%, is aborted by a person and rolls back. */
function history(): HistoryEvent[] {
  const t0 = Date.parse('2026-12-07T10:00:00Z');
  const state = (over: object) =>
    JSON.stringify({
      v: 2,
      releaseId: 'orders-v2',
      service: 'orders',
      version: 'v2',
      plan: { steps: [{ weight: 10 }, { weight: 25 }], totalSeconds: 600 },
      cast: { stable: 'orders-v1', canary: 'orders-v2' },
      snapshot: [{ name: 'orders-v1', weight: 100 }],
      written: null,
      step: 0,
      check: 0,
      failedChecks: 0,
      ...over,
    });
  const written = (w: number) => [
    { name: 'orders-v1', weight: 100 - w },
    { name: 'orders-v2', weight: w },
  ];
  const events: [number, HistoryEvent['type'], object][] = [
    [
      0,
      'ExecutionStarted',
      { executionStartedEventDetails: { input: '{"service":"orders","version":"v2"}' } },
    ],
    [1, 'TaskStateExited', { stateExitedEventDetails: { name: 'Prepare the release', output: state({}) } }],
    [
      2,
      'TaskStateExited',
      { stateExitedEventDetails: { name: 'Shift traffic', output: state({ written: written(10) }) } },
    ],
    [
      3,
      'TaskStateEntered',
      { stateEnteredEventDetails: { name: 'Wait for the step to bake', input: state({}) } },
    ],
    [
      303,
      'TaskStateEntered',
      { stateEnteredEventDetails: { name: 'Analyze health', input: state({ written: written(10) }) } },
    ],
    [
      304,
      'TaskStateExited',
      {
        stateExitedEventDetails: {
          name: 'Analyze health',
          output: state({ written: written(10), step: 1, next: 'shift' }),
        },
      },
    ],
    [
      305,
      'TaskStateExited',
      {
        stateExitedEventDetails: { name: 'Shift traffic', output: state({ written: written(25), step: 1 }) },
      },
    ],
    [
      420,
      'TaskFailed',
      { taskFailedEventDetails: { error: 'ReleaseAborted', cause: 'aborted by alice: bad smell' } },
    ],
    [
      420.5,
      'TaskStateEntered',
      {
        stateEnteredEventDetails: { name: 'Analyze health', input: state({ written: written(25), step: 1 }) },
      },
    ],
    [
      421,
      'TaskStateExited',
      {
        stateExitedEventDetails: {
          name: 'Analyze health',
          output: state({
            written: written(25),
            step: 1,
            halt: { error: 'ReleaseAborted', reason: 'aborted by alice (bad smell), at step 2' },
          }),
        },
      },
    ],
    [
      422,
      'TaskStateExited',
      { stateExitedEventDetails: { name: 'Roll back', output: '{"outcome":"rolled_back"}' } },
    ],
    [
      423,
      'ExecutionFailed',
      {
        executionFailedEventDetails: {
          error: 'ReleaseRolledBack',
          cause: 'aborted by alice (bad smell), at step 2',
        },
      },
    ],
  ];
  return events.map(
    ([s, type, details], id) =>
      ({ id: id + 1, type, timestamp: new Date(t0 + s * 1000), ...details }) as HistoryEvent,
  );
}

describe('stepshift report <release id>', () => {
  beforeEach(() => {
    sfn.reset();
    dynamodb.reset();
  });

  it('reads the execution and its history from Step Functions, page by page, and reports it', async () => {
    // Prepare: the history in two pages
    const events = history();
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      startDate: new Date('2026-12-07T10:00:00Z'),
      stopDate: new Date('2026-12-07T10:07:03Z'),
      error: 'ReleaseRolledBack',
      cause: 'aborted by alice (bad smell), at step 2',
    });
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: events.slice(0, 6), nextToken: 'page-2' })
      .resolvesOnce({ events: events.slice(6) });
    const { ctx, out } = context({ STEPSHIFT_STATE_MACHINE_ARN: STATE_MACHINE });

    // Act
    const code = await reportCommand('orders-v2', {}, ctx);

    // Assess: the calls
    expect(code).toBe(0);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:stepshift-release:orders-v2',
    });
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ includeExecutionData: true, maxResults: 1000 }),
      expect.objectContaining({ nextToken: 'page-2' }),
    ]);
    // ... and the page
    const md = out();
    const unread = "readings not in the execution's history: the Analyze function's log has them";
    expect(md).toContain('| Service | orders |');
    expect(md).toContain('| Started | 2026-12-07T10:00:00.000Z |');
    expect(md).toContain('| Outcome | **ROLLED BACK** (ReleaseRolledBack) |');
    expect(md).toContain(
      "2 step(s) on orders-v2: 10%, 25%, then all of it, 10m of baking; gated on the alarms and metric checks of the profile it ran with (not in the execution's history).",
    );
    expect(md).toContain(`| 2026-12-07T10:05:04Z | 1 | 10% | 1 | passed (0 failed so far) | ${unread} |`);
    expect(md).toContain(`| 2026-12-07T10:07:01Z | 2 | 25% | 1 | **FAILED** (0 failed so far) | ${unread} |`);
    expect(md).toContain('- 2026-12-07T10:07:00Z, operator: abort (aborted by alice: bad smell)');
    expect(md).toContain('- 2026-12-07T10:07:02Z, rollback: rolled back');
  });

  it("draws each check's measured values from Analyze's output, where the history carries them", async () => {
    const signals = [
      {
        name: 'error-rate',
        kind: 'metric',
        value: 'pass',
        verdict: 'pass',
        detail: '0.004 within max 0.01 over 5 samples',
        measured: { canary: 0.004, max: 0.01 },
      },
      { name: 'orders-5xx', kind: 'alarm', value: 'OK', verdict: 'pass', detail: '0.2, alarm when > 1' },
    ];
    const events = history().map((e) => {
      const exited = e.stateExitedEventDetails;
      if (e.type !== 'TaskStateExited' || exited?.name !== 'Analyze health') return e;
      const output = { ...JSON.parse(exited.output ?? '{}'), signals };
      return { ...e, stateExitedEventDetails: { ...exited, output: JSON.stringify(output) } };
    });
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', startDate: new Date('2026-12-07T10:00:00Z') });
    sfn.on(GetExecutionHistoryCommand).resolves({ events });
    const { ctx, out } = context({ STEPSHIFT_STATE_MACHINE_ARN: STATE_MACHINE });

    expect(await reportCommand('orders-v2', { format: 'json' }, ctx)).toBe(0);

    const story = JSON.parse(out());
    expect(story.checks).toHaveLength(2);
    expect(story.checks[0].signals).toEqual(signals);
    expect(story.checks[0].unread).toBeUndefined();
    // Each alarm's state at each check: the chart's bands.
    expect(story.alarms).toEqual([
      { at: 304, alarm: 'orders-5xx', state: 'OK' },
      { at: 421, alarm: 'orders-5xx', state: 'OK' },
    ]);
  });

  it('says how many signals a check left out: of 11, 8 in the row and "… and 3 more signals"', async () => {
    const signals = Array.from({ length: 8 }, (_, i) => ({
      name: `alarm-${i}`,
      kind: 'alarm',
      value: 'ALARM',
      verdict: 'fail',
      detail: '4.7, alarm when > 1',
    }));
    const events = history().map((e) => {
      const exited = e.stateExitedEventDetails;
      if (e.type !== 'TaskStateExited' || exited?.name !== 'Analyze health') return e;
      const output = { ...JSON.parse(exited.output ?? '{}'), signals, signalsOmitted: 3 };
      return { ...e, stateExitedEventDetails: { ...exited, output: JSON.stringify(output) } };
    });
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', startDate: new Date('2026-12-07T10:00:00Z') });
    sfn.on(GetExecutionHistoryCommand).resolves({ events });

    const md = context({ STEPSHIFT_STATE_MACHINE_ARN: STATE_MACHINE });
    expect(await reportCommand('orders-v2', {}, md.ctx)).toBe(0);
    const rows = md
      .out()
      .split('\n')
      .filter((l) => l.includes('alarm-7 ALARM'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/alarm-7 ALARM \(FAIL: 4\.7, alarm when > 1\); … and 3 more signals \|$/);
    expect(rows[0]?.match(/\(FAIL: /g)).toHaveLength(8);
    const json = context({ STEPSHIFT_STATE_MACHINE_ARN: STATE_MACHINE });
    await reportCommand('orders-v2', { format: 'json' }, json.ctx);
    expect(JSON.parse(json.out()).checks[0]).toMatchObject({ signalsOmitted: 3 });
  });

  it("with --service finds the execution through the table's ledger, whatever it is named", async () => {
    // Prepare: an EventBridge rule's execution, named by EventBridge
    const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:stepshift-release:0b1c2d3e';
    dynamodb.on(GetItemCommand).resolves({
      Item: {
        releaseId: { S: 'orders-v2' },
        service: { S: 'orders' },
        version: { S: 'v2' },
        executionId: { S: executionArn },
        routeId: { S: 'appmesh:shop/orders-router/orders-route' },
        startedAt: { S: '2026-12-07T10:00:00Z' },
      },
    });
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', startDate: new Date('2026-12-07T10:00:00Z') });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: history() });
    const { ctx, out } = context({ STEPSHIFT_TABLE_NAME: 'stepshift' });

    // Act
    const code = await reportCommand('orders-v2', { stateMachine: STATE_MACHINE, service: 'orders' }, ctx);

    // Assess
    expect(code).toBe(0);
    expect(dynamodb.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'stepshift',
      Key: { pk: { S: 'release#orders#orders-v2' }, sk: { S: 'release' } },
    });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn });
    expect(out()).toContain('| Outcome | **ROLLED BACK** (ReleaseRolledBack) |');
  });

  it('with --service says when the ledger has no such release (exit 1), and asks for the table without one (exit 2)', async () => {
    // Prepare
    dynamodb.on(GetItemCommand).resolves({});
    const missing = context();
    const tableless = context();

    // Act
    const notThere = await reportCommand(
      'orders-v9',
      { stateMachine: STATE_MACHINE, service: 'orders', table: 'stepshift' },
      missing.ctx,
    );
    const noTable = await reportCommand(
      'orders-v9',
      { stateMachine: STATE_MACHINE, service: 'orders' },
      tableless.ctx,
    );

    // Assess
    expect(notThere).toBe(1);
    expect(missing.err()).toBe('no release orders-v9 of orders in the ledger of stepshift\n');
    expect(noTable).toBe(2);
    expect(tableless.err()).toMatch(
      /^--service reads release orders-v9 from the table's ledger: pass --table <name>/,
    );
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });

  it('exits 1 when Step Functions has no such release', async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
    const { ctx, err } = context();

    // Act
    const code = await reportCommand('orders-v9', { stateMachine: STATE_MACHINE }, ctx);

    // Assess
    expect(code).toBe(1);
    expect(err()).toBe(`no release orders-v9 on ${STATE_MACHINE}\n`);
  });
});
