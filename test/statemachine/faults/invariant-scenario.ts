import { parseScenario, type Scenario } from '#rehearsal/script/scenario.ts';
import { twinFor, twinOf } from '../../../scripts/router-twins.ts';
import { healthyScenarioInput } from '../../support/scenarios.ts';
import { type Case, EDITED } from './invariant-cases.ts';
import { type DrawnRouter, ROUTER_CASES, type RouterCase, worldKeyOf } from './invariant-routers.ts';

/** Weights named as App Mesh's healthy example names its targets, in the router's names ("orders-v2" is Lambda's "2"). */
export function namedOn(router: DrawnRouter, weights: Record<string, number>): Record<string, number> {
  if (router === 'appmesh') return weights;
  const { target } = twinFor(worldKeyOf(router));
  return Object.fromEntries(Object.entries(weights).map(([name, w]) => [target(name), w]));
}

/**
 * The healthy example with the case's plan, alarm, faults and seed, on the case's router (another
 * router's world written from App Mesh's as its twin is: routers/<name>/sim/twin.ts), and the input
 * as a file holds it.
 */
export function scenarioFor(c: Case): { scenario: Scenario; input: unknown } {
  const own: RouterCase = ROUTER_CASES[c.router];
  const s = healthyScenarioInput();
  s.name = 'invariant property case';
  s.profile.strategy =
    c.shape === 'blue-green'
      ? { type: 'blue-green', testHeader: { name: 'x-stepshift-preview', value: 'true' }, bake: c.interval }
      : c.shape === 'ab'
        ? {
            type: 'ab',
            match: { headers: [{ name: 'x-cohort', match: { exact: 'b' } }] },
            bake: c.interval,
          }
        : { type: 'canary', steps: c.steps, interval: c.interval };
  const hooks: unknown[] = [];
  const answers: Record<string, unknown[]> = {};
  if (c.slowGate) {
    hooks.push({
      name: 'gate',
      phase: c.slowGate.phase,
      type: 'webhook',
      url: 'https://checks.example.com/gate',
      timeout: `${c.slowGate.timeoutSeconds}s`,
      retries: 1,
    });
    // The first call (within the first second) times out; its retry, and every later call, passes.
    answers.gate = [
      { at: '0s', result: 'timeout' },
      { at: `${c.slowGate.timeoutSeconds}s`, result: 'pass' },
    ];
  }
  if (c.hooks) {
    hooks.push(
      { name: 'smoke', phase: 'preRollout', type: 'lambda', functionName: 'orders-smoke' },
      {
        name: 'load',
        phase: 'rollout',
        type: 'webhook',
        url: 'https://checks.example.com/load',
        retries: 0,
      },
    );
    answers.smoke = [{ at: '0s', result: c.hooks.preRolloutFails ? 'fail' : 'pass' }];
    answers.load = [
      { at: '0s', result: 'pass' },
      ...(c.hooks.rolloutFailsAt ? [{ at: c.hooks.rolloutFailsAt, result: 'fail' }] : []),
    ];
  }
  if (hooks.length) {
    s.profile.hooks = hooks;
    (s.world as Record<string, unknown>).hooks = answers;
  }
  const analysis = s.profile.analysis as Record<string, unknown>;
  if (c.analysisInterval !== undefined) analysis.interval = c.analysisInterval;
  if (c.insufficientData !== undefined) analysis.insufficientData = c.insufficientData;
  if (c.alarm) {
    const alarms = s.world.alarms as { name: string; states: unknown[] }[];
    alarms.find((a) => a.name === 'orders-5xx')!.states.push({ at: c.alarm.at, state: c.alarm.state });
  }
  s.world.faults = [
    ...c.faults,
    ...c.lambdaFaults,
    ...(c.throttle
      ? [
          {
            operation: own[c.throttle.operation],
            error: own.throttled,
            from: `${c.throttle.from}s`,
            until: `${c.throttle.until}s`,
          },
        ]
      : []),
  ];
  if (c.onFailure) s.profile.onFailure = c.onFailure;
  const commands: unknown[] = [];
  if (c.command) {
    const { action, at, resumeAt } = c.command;
    commands.push(
      action === 'promote-full' ? { at, action: 'promote', full: true } : { at, action },
      ...(resumeAt ? [{ at: resumeAt, action: 'resume' }] : []),
    );
  }
  if (c.resumeAt) commands.push({ at: c.resumeAt, action: 'resume' });
  if (c.abortAt) commands.push({ at: c.abortAt, action: 'abort' });
  s.world.operator = commands;
  if (c.operator) {
    const { action, at } = c.operator;
    const route = (s.world.appmesh as { routes: { spec: Spec }[] }).routes[0]!;
    s.world.operator = [
      ...commands,
      action === 'stop-execution'
        ? { at, action }
        : action === 'start-release'
          ? { at, action, request: { service: 'orders', version: 'v2', releaseId: 'second' } }
          : { at, action, spec: withWeights(route.spec, EDITED) },
    ];
  }
  s.seed = c.seed;
  // A person's edit-route (App Mesh's person action) becomes the twin's scripted edit of its route.
  const input = c.router === 'appmesh' ? s : twinOf('canary-healthy.json', s, worldKeyOf(c.router));
  return { scenario: parseScenario(structuredClone(input)), input };
}

type Spec = Record<string, unknown>;
const KINDS = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'];

/** The spec with these weights on its targets (adding any target not on it with the first's port). */
function withWeights(spec: Spec, weights: Record<string, number>): Spec {
  const copy = structuredClone(spec);
  const kind = KINDS.find((k) => copy[k] !== undefined)!;
  const action = (
    copy[kind] as { action: { weightedTargets: { virtualNode: string; weight: number; port?: number }[] } }
  ).action;
  const port = action.weightedTargets[0]?.port;
  action.weightedTargets = Object.entries(weights).map(([virtualNode, weight]) => ({
    virtualNode,
    weight,
    ...(port === undefined ? {} : { port }),
  }));
  return copy;
}
