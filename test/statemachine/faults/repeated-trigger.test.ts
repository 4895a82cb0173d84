import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { awsClientSource } from '#adapters/aws/clients.ts';
import { createStaticProfileSource } from '#adapters/config/static-profile-source.ts';
import { createReleaseDeps } from '#adapters/release-deps.ts';
import { makePrepareHandler } from '#functions/prepare.ts';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseScenario } from '#rehearsal/script/scenario.ts';
import { REHEARSAL_TABLE, SimulatedAws } from '#rehearsal/transport.ts';

/**
 * EventBridge delivers at least once, and a rule cannot name the execution it starts: the same
 * "Release Requested" event can start two executions. The release id (the event's id) is claimed in
 * DynamoDB (dynalite here, so the conditional write is DynamoDB's own), and the second one stops.
 */
const scenario = parseScenario(
  JSON.parse(
    readFileSync(
      new URL('../../../examples/triggers/eventbridge-release-requested.json', import.meta.url),
      'utf8',
    ),
  ),
);

function prepareOnOneWorld() {
  const clock = new VirtualClock();
  const sim = new SimulatedAws(scenario.world, clock);
  const aws = awsClientSource({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
  });
  const deps = createReleaseDeps({
    aws,
    events: { emit: () => {} },
    clock,
    profiles: createStaticProfileSource([scenario.profile]),
    tableName: REHEARSAL_TABLE,
  });
  const execution = (name: string) => ({
    Id: `arn:aws:states:us-east-1:123456789012:execution:stepshift-release:${name}`,
    Name: name,
  });
  return { sim, prepare: makePrepareHandler(deps), execution };
}

describe('a trigger delivered twice', () => {
  it('starts one release: the second execution is refused, naming the first, with nothing written', async () => {
    // Prepare
    const { sim, prepare, execution } = prepareOnOneWorld();

    // Act
    const first = await prepare({ request: scenario.request, execution: execution('first') });
    const second = prepare({ request: scenario.request, execution: execution('second') });

    // Assess
    expect(first.releaseId).toBe('6a7e8f4b-1c2d-4e3f-9a8b-7c6d5e4f3a2b');
    await expect(second).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringMatching(
        /^event\.id: release 6a7e8f4b-1c2d-4e3f-9a8b-7c6d5e4f3a2b of orders \(v2\) was already started by arn:aws:states:.*:first at .*; a repeated trigger does not release it twice/,
      ),
    });
    expect(sim.calls.filter((c) => c.operation === 'UpdateRoute')).toEqual([]);
  });

  it('lets the same execution prepare again (Step Functions retrying Prepare)', async () => {
    const { prepare, execution } = prepareOnOneWorld();
    await prepare({ request: scenario.request, execution: execution('first') });
    await expect(
      prepare({ request: scenario.request, execution: execution('first') }),
    ).resolves.toMatchObject({
      releaseId: '6a7e8f4b-1c2d-4e3f-9a8b-7c6d5e4f3a2b',
    });
  });

  it('leaves the release id free when the request is refused for another reason', async () => {
    const { sim, prepare, execution } = prepareOnOneWorld();
    const envelope = scenario.request as { detail: Record<string, unknown> };
    const broken = { ...envelope, detail: { ...envelope.detail, version: 'v9' } };
    await expect(prepare({ request: broken, execution: execution('first') })).rejects.toMatchObject({
      name: 'InvalidRequest',
    });
    expect(sim.calls.filter((c) => c.operation === 'PutItem')).toEqual([]);
    await expect(
      prepare({ request: scenario.request, execution: execution('second') }),
    ).resolves.toBeDefined();
  });
});
