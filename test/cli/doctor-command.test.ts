import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DoctorFlags, type DoctorResult, doctorCommand } from '../../cli/doctor-command.ts';
import { ordersProfile } from '../support/profiles.ts';

const HEALTHY = 'examples/canary-healthy.json';

function sink() {
  let text = '';
  return { write: (t: string) => (text += t), text: () => text };
}

const folder = () => mkdtempSync(join(tmpdir(), 'stepshift-doctor-'));

/** examples/canary-healthy.json with its world changed, as a scenario file of its own. */
// biome-ignore lint/suspicious/noExplicitAny: each test edits the scenario's JSON where it needs to
function scenarioWith(change: (scenario: Record<string, any>) => void): string {
  const scenario = JSON.parse(readFileSync(HEALTHY, 'utf8'));
  change(scenario);
  const path = join(folder(), 'scenario.json');
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}

async function doctor(path: string | undefined, flags: DoctorFlags) {
  const out = sink();
  const err = sink();
  const code = await doctorCommand(path, flags, {
    out,
    err,
    account: (await import('../../cli/doctor-command.ts')).defaultDoctorContext.account,
  });
  return { code, out: out.text(), err: err.text() };
}

async function doctorJson(path: string | undefined, scenario: string) {
  const run = await doctor(path, { scenario, json: true });
  return { ...run, document: JSON.parse(run.out) as { profiles: DoctorResult[]; findings: number } };
}

describe('stepshift doctor --scenario', () => {
  it("finds nothing to change in a healthy scenario's account, and says what it checked", async () => {
    const run = await doctor(undefined, { scenario: HEALTHY });

    expect(run.code).toBe(0);
    expect(run.out).toContain(
      'orders (examples/canary-healthy.json) on appmesh:shop/orders-router/orders-route',
    );
    expect(run.out).toContain('router: the route exists and sends all its traffic to orders-v1');
    expect(run.out).toContain(
      'targets.canary: "orders-{version}" names orders-v2 (version v2), ready for traffic now',
    );
    expect(run.out).toContain('analysis.alarms: alarm "orders-5xx" (metric) is OK');
    expect(run.out).toContain('analysis.alarms: alarm "orders-health" (composite) is OK');
    expect(run.out).toContain('1 profile(s): nothing to fix');
    expect(run.out).toContain("not checked: the deployed functions' roles were not simulated");
  });

  it.each([
    ['examples/lattice/canary-healthy.json', 'orders-v2 (version v2)'],
    ['examples/alb/canary-healthy.json', 'orders-v2 (version v2)'],
    ['examples/lambda/canary-healthy.json', '7 (version 7)'],
  ])('checks %s through its router the same way', async (scenario, canary) => {
    const { code, document } = await doctorJson(undefined, scenario);

    expect(code).toBe(0);
    expect(document.profiles[0]?.checks.find((c) => c.field === 'targets.canary')?.message).toContain(canary);
  });

  it('says which alarm is missing and which is in ALARM now, and exits 1', async () => {
    const scenario = scenarioWith((s) => {
      s.world.alarms[0].states[0].state = 'ALARM';
      s.profile.analysis.alarms.push('orders-latency');
    });

    const { code, document } = await doctorJson(undefined, scenario);

    expect(code).toBe(1);
    expect(document.findings).toBe(2);
    const findings = document.profiles[0]?.checks.filter((c) => c.status === 'finding');
    expect(findings?.map((c) => c.message)).toEqual([
      'no CloudWatch alarm named "orders-latency"; a release cannot be gated on an alarm that does not exist',
      expect.stringMatching(
        /^alarm "orders-5xx" \(metric\) is ALARM now \(Threshold Crossed: .*\); a release would roll back at its first check: fix what it reports, or its threshold, first$/,
      ),
    ]);
  });

  it('says when the route is split between two versions and what to do', async () => {
    const scenario = scenarioWith((s) => {
      s.world.appmesh.routes[0].spec.httpRoute.action.weightedTargets = [
        { virtualNode: 'orders-v1', weight: 50, port: 8080 },
        { virtualNode: 'orders-v2', weight: 50, port: 8080 },
      ];
    });

    const { code, document } = await doctorJson(undefined, scenario);

    expect(code).toBe(1);
    expect(document.profiles[0]?.checks[0]).toEqual({
      status: 'finding',
      field: 'router',
      message: expect.stringContaining(
        'the route is split between orders-v1 (50) and orders-v2 (50); finish or roll back that release first',
      ),
    });
  });

  it('says when the route does not exist, naming the router block to fix', async () => {
    const scenario = scenarioWith((s) => {
      s.profile.router.routeName = 'orders-rout';
    });

    const { code, document } = await doctorJson(undefined, scenario);

    expect(code).toBe(1);
    expect(document.profiles[0]?.checks).toEqual([
      {
        status: 'finding',
        field: 'router',
        message: expect.stringContaining("check the profile's router block"),
      },
      expect.objectContaining({ field: 'analysis.alarms', status: 'ok' }),
      expect.objectContaining({ field: 'analysis.alarms', status: 'ok' }),
    ]);
  });

  it('says the new version is still to be deployed when no target but the stable fits the template', async () => {
    const scenario = scenarioWith((s) => {
      s.world.appmesh.virtualNodes = [{ meshName: 'shop', virtualNodeName: 'orders-v1' }];
    });

    const { code, document } = await doctorJson(undefined, scenario);

    expect(code).toBe(0);
    expect(document.profiles[0]?.checks[1]?.message).toBe(
      'no target named by "orders-{version}" exists yet besides the stable orders-v1; deploy orders-<version> before releasing <version>',
    );
  });

  it("reads each metric check's queries over the scenario's first hour: data, or a finding that there is none", async () => {
    const withData = await doctorJson(undefined, 'examples/metrics-error-rate-rollback.json');
    const without = await doctorJson(undefined, 'examples/metrics-no-data-fail.json');

    expect(withData.code).toBe(0);
    expect(withData.document.profiles[0]?.checks.at(-1)).toEqual({
      status: 'ok',
      field: 'analysis.metrics[0]',
      message: '"error-rate" returns 16 datapoint(s) over the last hour, measured on the stable orders-v1',
    });
    expect(without.code).toBe(1);
    expect(without.document.profiles[0]?.checks.at(-1)).toEqual({
      status: 'finding',
      field: 'analysis.metrics[0]',
      message:
        '"error-rate" returns no data over the last hour for the stable orders-v1; check its namespace, metric name and dimensions, or that the service publishes it',
    });
  });

  it("finds a Lambda hook's function, or says there is none, and leaves webhooks to their flag", async () => {
    const found = await doctorJson(undefined, 'examples/hooks-promote.json');
    const missing = scenarioWith((s) => {
      s.profile.hooks = [
        { name: 'smoke-test', phase: 'preRollout', type: 'lambda', functionName: 'orders-smoke' },
      ];
    });

    const hooks = found.document.profiles[0]?.checks.filter((c) => c.field.startsWith('hooks'));
    expect(hooks?.map((c) => c.status)).toEqual(['ok', 'unchecked', 'unchecked', 'unchecked']);
    expect(hooks?.[0]?.message).toBe('"smoke-test" (preRollout): Lambda function orders-smoke-test exists');
    const { code, document } = await doctorJson(undefined, missing);
    expect(code).toBe(1);
    expect(document.profiles[0]?.checks.at(-1)).toEqual({
      status: 'finding',
      field: 'hooks[0].functionName',
      message:
        '"smoke-test" (preRollout): there is no Lambda function orders-smoke in this account and region; deploy it, or correct the name',
    });
  });

  it('with --ping-webhooks, sends each webhook a signed test call and says which does not answer 2xx', async () => {
    const signed = await doctor(undefined, {
      scenario: 'examples/hooks-signed.json',
      pingWebhooks: true,
      json: true,
    });
    const failing = await doctor(undefined, {
      scenario: 'examples/hooks-rollout-fails.json',
      pingWebhooks: true,
      json: true,
    });

    const webhooks = (run: { out: string }) =>
      (JSON.parse(run.out) as { profiles: DoctorResult[] }).profiles[0]?.checks.filter((c) =>
        /^hooks\[[1-3]\]/.test(c.field),
      );
    expect(signed.code).toBe(0);
    expect(webhooks(signed)?.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    expect(failing.code).toBe(1);
    expect(webhooks(failing)?.[0]).toEqual({
      status: 'finding',
      field: 'hooks[1].url',
      message:
        '"load-check" (rollout): the signed test call failed: https://checks.example.com/orders/load answered 503: p99 1.9 s under load; make the endpoint answer 2xx (and accept its signature) before releasing',
    });
  });

  it('checks profile files of a folder against the scenario, a bad one as findings naming its file and field', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'profiles'));
    writeFileSync(join(dir, 'profiles', 'orders.json'), JSON.stringify(ordersProfile()));
    writeFileSync(
      join(dir, 'profiles', 'payments.yaml'),
      'service: payments\nrouter: { type: appmesh }\ntargets: { canary: "payments-{version}" }\nstrategy: { type: canary, steps: [10], interval: 5m }\n',
    );

    const run = await doctor(join(dir, 'profiles'), { scenario: HEALTHY });

    expect(run.code).toBe(1);
    expect(run.out).toContain(
      `orders (${join(dir, 'profiles', 'orders.json')}) on appmesh:shop/orders-router/orders-route`,
    );
    expect(run.out).toContain(join(dir, 'profiles', 'payments.yaml'));
    expect(run.out).toMatch(/FIX {9}router\.meshName: /);
  });

  it('exits 2 with one sentence for a path that is not there, or a scenario that is not one', async () => {
    const missing = await doctor('no/such/profiles', { scenario: HEALTHY, json: true });
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(
      'cannot read no/such/profiles: ENOENT; give a profile file or a folder of them\n',
    );
    expect(JSON.parse(missing.out)).toEqual({ error: missing.err.trim() });

    const notScenario = await doctor(undefined, { scenario: 'package.json' });
    expect(notScenario.code).toBe(2);
    expect(notScenario.err).toContain('package.json is not a valid scenario');
    expect(notScenario.err.trim().split('\n')).toHaveLength(1);
  });
});
