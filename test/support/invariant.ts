import { expect } from 'vitest';
import type { RehearsalReport } from '#rehearsal/rehearse.ts';
import type { Scenario } from '#rehearsal/script/scenario.ts';
import { appMeshRoutesIn } from '#routers/appmesh/sim/simulator.ts';

type Spec = Record<string, { action?: { weightedTargets?: unknown[] } } | unknown>;
const KINDS = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'];

interface WorldRoute {
  meshName: string;
  virtualRouterName: string;
  routeName: string;
  spec: Spec;
}

function kindOf(spec: Spec): string {
  const kind = KINDS.find((k) => spec[k] !== undefined);
  if (!kind) throw new Error('route spec has no route kind');
  return kind;
}

function targetsOf(spec: Spec): { virtualNode: string; weight: number; port?: number }[] {
  return (spec[kindOf(spec)] as { action: { weightedTargets: never[] } }).action.weightedTargets;
}

/** The spec with its weighted targets taken out: everything a release must leave exactly as it was. */
export function withoutTargets(spec: Spec): Spec {
  const copy = structuredClone(spec) as Record<string, { action: Record<string, unknown> }>;
  delete copy[kindOf(spec)]?.action.weightedTargets;
  return copy;
}

function sorted<T extends { virtualNode: string }>(targets: T[]): T[] {
  return [...targets].sort((a, b) => a.virtualNode.localeCompare(b.virtualNode));
}

/**
 * The guard's bookkeeping leaves nothing behind: every run of its state machine has ended, none still
 * waiting out an ended execution's tasks with a route held at its fence (the lock check covers the
 * lock itself, fence and mark included: they live in the lock's item).
 */
function expectGuardDone(report: RehearsalReport): void {
  expect(
    report.guardExecutions.filter((g) => g.status === 'RUNNING').map((g) => g.execution),
    'no run of the guard is left waiting',
  ).toEqual([]);
}

/**
 * The release invariant, checked on a finished rehearsal: every route the world started with ends
 * with its weights either as they were (the snapshot) or fully promoted (the canary at 100, the old
 * stable gone, other targets untouched), every other field of it unchanged, no route locked, and the
 * guard's fences and waits all done with.
 */
export function expectInvariant(
  scenario: Scenario,
  report: RehearsalReport,
  options: { staleLockAllowed?: boolean } = {},
): 'snapshot' | 'promoted' {
  const routes = (scenario.world as { appmesh: { routes: WorldRoute[] } }).appmesh.routes;
  const profile = scenario.profile as { targets?: { canary?: string } } | undefined;
  const version = (scenario.request as { version?: string } | undefined)?.version ?? '';
  const canary = profile?.targets?.canary?.replaceAll('{version}', version);
  let ended: 'snapshot' | 'promoted' = 'snapshot';
  if (options.staleLockAllowed) {
    // DynamoDB refused to delete the lock to the end: it stays, held by an execution that has ended,
    // which the next release of the route takes over.
    expect(report.heldLocks.length, 'at most the one stale lock').toBeLessThanOrEqual(1);
  } else {
    expect(report.heldLocks, 'every route lock was released').toEqual([]);
  }
  expectGuardDone(report);
  // No route but the world's remains: a side route (blue/green, A/B) is removed on every path.
  expect(
    appMeshRoutesIn(report.finalRoutes).map((r) => `${r.meshName}/${r.virtualRouterName}/${r.routeName}`),
    "only the world's own routes remain",
  ).toEqual(routes.map((r) => `${r.meshName}/${r.virtualRouterName}/${r.routeName}`));
  const released = (scenario.profile as { router?: Partial<WorldRoute> } | undefined)?.router;
  for (const start of routes) {
    const end = appMeshRoutesIn(report.finalRoutes).find(
      (r) =>
        r.meshName === start.meshName &&
        r.virtualRouterName === start.virtualRouterName &&
        r.routeName === start.routeName,
    );
    expect(end, `route ${start.routeName} still exists`).toBeDefined();
    const endSpec = end!.spec as Spec;
    expect(withoutTargets(endSpec), 'fields other than the weights are unchanged').toEqual(
      withoutTargets(start.spec),
    );
    const isReleased =
      released?.meshName === start.meshName &&
      released.virtualRouterName === start.virtualRouterName &&
      released.routeName === start.routeName;
    if (released?.routeName !== undefined && !isReleased) {
      expect(endSpec, `route ${start.routeName}, which no release drives, is untouched`).toEqual(start.spec);
      continue;
    }
    const before = sorted(targetsOf(start.spec));
    const after = sorted(targetsOf(endSpec));
    if (JSON.stringify(after) === JSON.stringify(before)) continue;
    const stable = before.find((t) => t.weight > 0);
    const promoted = sorted(
      before
        .filter((t) => t.virtualNode !== stable?.virtualNode && t.virtualNode !== canary)
        .concat([
          {
            ...(stable?.port === undefined ? {} : { port: stable.port }),
            virtualNode: canary ?? '',
            weight: 100,
          },
        ]),
    );
    expect(after, `route ${start.routeName} is either at the snapshot or fully promoted`).toEqual(promoted);
    ended = 'promoted';
  }
  return ended;
}

/** The UpdateRoute calls a rehearsal made (whether or not they succeeded). */
export function writesIn(report: RehearsalReport) {
  return report.calls.filter((c) => c.operation === 'UpdateRoute');
}

/** The calls that write a Lattice or ALB route. */
const TARGET_GROUP_WRITES = ['UpdateRule', 'UpdateListener', 'ModifyRule', 'ModifyListener'];

/** Members a release may send in each write: the route's key and the forward action, nothing else. */
const WRITE_MEMBERS: Record<string, readonly string[]> = {
  UpdateRule: ['serviceIdentifier', 'listenerIdentifier', 'ruleIdentifier', 'action'],
  UpdateListener: ['serviceIdentifier', 'listenerIdentifier', 'defaultAction'],
  ModifyRule: ['RuleArn', 'Actions'],
  ModifyListener: ['ListenerArn', 'DefaultActions'],
};

type Weights = Record<string, number>;

/** An ALB action without its target groups' weights: what a release must send back as it was. */
export function albActionWithoutWeights(action: Record<string, unknown>): unknown {
  const copy = structuredClone(action) as {
    ForwardConfig?: { TargetGroups?: unknown };
    TargetGroupArn?: unknown;
  };
  delete copy.ForwardConfig?.TargetGroups;
  delete copy.TargetGroupArn;
  return copy;
}

/**
 * The release invariant for a Lattice or ALB rehearsal, where the report's routes are App Mesh's: no
 * lock is held; the route's weights at the end (the timeline reads them from the simulated service
 * after everything, guard included) are the snapshot or fully promoted; and no write the release sent
 * touched anything but the forward action's weights: UpdateRule and UpdateListener send only the action
 * (Lattice leaves match and priority as they are), ModifyRule and ModifyListener only the actions (ELB
 * leaves conditions and priority), every action and the forward action's stickiness and order as the
 * world started with them. The simulator's own tests show each write lands as sent.
 */
export function expectTargetGroupInvariant(
  scenario: Scenario,
  report: RehearsalReport,
  snapshot: Weights,
  canary: string,
  options: { staleLockAllowed?: boolean } = {},
): 'snapshot' | 'promoted' {
  if (options.staleLockAllowed) {
    // As expectInvariant: DynamoDB refused to delete the lock to the end, which the next release takes over.
    expect(report.heldLocks.length, 'at most the one stale lock').toBeLessThanOrEqual(1);
  } else {
    expect(report.heldLocks, 'every route lock was released').toEqual([]);
  }
  expectGuardDone(report);
  const world = scenario.world as {
    alb: { routes: { actions: Record<string, unknown>[]; ruleArn?: string; listenerArn: string }[] };
    lattice: { routes: { ruleIdentifier?: string; listenerIdentifier: string }[] };
  };
  // No rule but the world's remains: a side rule (blue/green, A/B) is removed on every path.
  const finals = {
    lattice: report.finalRoutes.filter((r) => r.router === 'vpc-lattice'),
    alb: report.finalRoutes.filter((r) => r.router === 'alb'),
  };
  expect(
    finals.lattice.map((r) => r.route),
    "only the world's own Lattice rules remain",
  ).toEqual((world.lattice?.routes ?? []).map((r) => r.ruleIdentifier ?? r.listenerIdentifier));
  expect(
    finals.alb.map((r) => r.route),
    "only the world's own ALB rules remain",
  ).toEqual((world.alb?.routes ?? []).map((r) => r.ruleArn ?? r.listenerArn));
  expectTargetGroupWrites(scenario, report);
  const end = report.timeline.at(-1)?.weights ?? {};
  if (JSON.stringify(end) === JSON.stringify(snapshot)) return 'snapshot';
  const stable = Object.keys(snapshot).find((name) => (snapshot[name] ?? 0) > 0);
  const promoted = Object.fromEntries(
    Object.entries(snapshot)
      .filter(([name]) => name !== stable && name !== canary)
      .concat([[canary, 100]]),
  );
  expect(end, 'the route is either at the snapshot or fully promoted').toEqual(promoted);
  return 'promoted';
}

/**
 * No write a Lattice or ALB release sent touched anything but the forward action's weights (the writes'
 * half of expectTargetGroupInvariant, for the ends it does not cover: a person's edit, a guard that
 * gave up).
 */
export function expectTargetGroupWrites(scenario: Scenario, report: RehearsalReport): void {
  const world = scenario.world as { alb: { routes: { actions: Record<string, unknown>[] }[] } };
  for (const call of report.calls.filter((c) => TARGET_GROUP_WRITES.includes(c.operation))) {
    const allowed = WRITE_MEMBERS[call.operation] ?? [];
    expect(
      Object.keys(call.input).filter((k) => !allowed.includes(k)),
      `${call.operation} sends only the route's key and its action`,
    ).toEqual([]);
    const actions = (call.input.Actions ?? call.input.DefaultActions) as
      | Record<string, unknown>[]
      | undefined;
    if (actions) {
      const started = world.alb.routes[0]?.actions ?? [];
      expect(actions.map(albActionWithoutWeights), `${call.operation} keeps every action as it was`).toEqual(
        started.map(albActionWithoutWeights),
      );
    }
  }
}

/** Members a release may send in UpdateAlias: the alias's key, the routing, and the RevisionId it read. */
const ALIAS_WRITE_MEMBERS = ['FunctionName', 'Name', 'FunctionVersion', 'RoutingConfig', 'RevisionId'];

/** Every UpdateAlias the release sent carried a RevisionId and nothing but the alias's key and routing. */
export function expectAliasWrites(report: RehearsalReport): void {
  for (const call of report.calls.filter((c) => c.operation === 'UpdateAlias')) {
    expect(Object.keys(call.input).sort(), 'UpdateAlias sends only the routing and the RevisionId').toEqual(
      [...ALIAS_WRITE_MEMBERS].sort(),
    );
  }
}

interface WorldAlias {
  Name: string;
  FunctionVersion: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
  Description?: string;
}

/**
 * The release invariant for a Lambda alias rehearsal (docs/reliability.md): no lock is held, the guard is done; every
 * UpdateAlias carried a RevisionId and nothing but the routing; every alias of the world ends with its
 * description as it started, and the released alias ends as read (its FunctionVersion and weights) or
 * fully promoted (the new version alone, no additional weights). `personEdited`: a person's edit left
 * the alias as they wrote it, which the release must not have written over (RouteDrifted).
 */
export function expectLambdaAliasInvariant(
  scenario: Scenario,
  report: RehearsalReport,
  canary: string,
  personEdited?: Record<string, number>,
  options: { staleLockAllowed?: boolean } = {},
): 'snapshot' | 'promoted' | 'person' {
  if (options.staleLockAllowed) {
    // As expectInvariant: DynamoDB refused to delete the lock to the end, which the next release takes over.
    expect(report.heldLocks.length, 'at most the one stale lock').toBeLessThanOrEqual(1);
  } else {
    expect(report.heldLocks, 'every route lock was released').toEqual([]);
  }
  expectGuardDone(report);
  expectAliasWrites(report);
  const functions = (
    scenario.world as { lambda: { functions: { functionName: string; aliases: WorldAlias[] }[] } }
  ).lambda.functions;
  const finals = report.finalRoutes.filter((r) => r.router === 'lambda');
  const router = (scenario.profile as { router: { functionName: string; alias: string } }).router;
  let ended: 'snapshot' | 'promoted' | 'person' = 'snapshot';
  for (const fn of functions) {
    for (const start of fn.aliases) {
      const end = finals.find((r) => r.route === `${fn.functionName}:${start.Name}`);
      const fields = end?.fields as unknown as WorldAlias;
      expect(fields.Description, 'the description is as it was').toBe(start.Description ?? '');
      const weights = Object.fromEntries((end?.targets ?? []).map((t) => [t.name, t.weight]));
      const released = fn.functionName === router.functionName && start.Name === router.alias;
      const before = { [start.FunctionVersion]: 100, ...start.RoutingConfig?.AdditionalVersionWeights };
      if (!released || JSON.stringify(weights) === JSON.stringify(before)) {
        expect(fields.FunctionVersion).toBe(start.FunctionVersion);
        expect(fields.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual(
          start.RoutingConfig?.AdditionalVersionWeights ?? {},
        );
        continue;
      }
      if (personEdited) {
        expect(weights, "the person's edit is left in place").toEqual(personEdited);
        ended = 'person';
        continue;
      }
      expect(fields.FunctionVersion, 'the alias is fully promoted').toBe(canary);
      expect(fields.RoutingConfig?.AdditionalVersionWeights).toEqual({});
      ended = 'promoted';
    }
  }
  return ended;
}
