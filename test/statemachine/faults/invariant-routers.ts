import { expect } from 'vitest';
import type { RehearsalReport } from '#rehearsal/rehearse.ts';
import { type FaultErrorName, OPERATION_ERRORS, type Operation } from '#rehearsal/script/faults.ts';
import type { Scenario } from '#rehearsal/script/scenario.ts';
import { targetsInActions } from '#routers/alb/sim/model.ts';
import { validateUpdateRouteInput } from '#routers/appmesh/sim/validation.ts';
import { ROUTER_TYPES, type RouterType } from '#routers/registry.ts';
import type { RouteState } from '#routers/sim/router-simulator.ts';
import type { Json } from '#routers/sim/service.ts';
import { ROUTER_SIMULATORS } from '#routers/simulators.ts';
import { latticeTargetGroupId } from '#routers/vpc-lattice/sim/world.ts';
import {
  albActionWithoutWeights,
  expectAliasWrites,
  expectTargetGroupWrites,
  withoutTargets,
} from '../../support/invariant.ts';

/**
 * What the invariant property (invariant.property.test.ts) needs to know of each registered router:
 * which of its own operations a release calls (a fault is drawn among them), which it may throttle,
 * and where in a route's fields and in a write the weights are. Keyed by router type, so a router
 * added to the registry does not typecheck here until it has its line.
 */
export interface RouterCase {
  /** The router's own operations a release calls, with the highest call number worth failing. */
  readonly calls: Readonly<Partial<Record<Operation, number>>>;
  /** Its write of a route's weights and its creation of a side route (either may be throttled), and its throttling error. */
  readonly write: Operation;
  readonly create: Operation;
  readonly throttled: FaultErrorName;
  /** Its operations that write a route's weights. */
  readonly writes: readonly Operation[];
  /**
   * The errors that mean "it is gone": injected into a delete while the side route is there, they
   * would be a lie about the world, not a fault (the release takes them so).
   */
  readonly gone: readonly FaultErrorName[];
  /** Every error the router's service answers with (CreateRule and DeleteRule serve two services' names). */
  readonly vocabulary: readonly FaultErrorName[];
  /** The weights a route's fields hold, as the service keeps them, and the same part of a write. */
  held(fields: Json): unknown;
  written(input: Json): unknown;
  /** A write's weights by target name (the scenario declares the names). */
  weightsWritten(input: Json, scenario: Scenario): Record<string, number>;
  /** The route's fields without its weights: what a release leaves exactly as it was. */
  withoutWeights(fields: Json): unknown;
  /** Every write the release sent is one the service takes, and touches nothing but the weights. */
  expectWritesValid(scenario: Scenario, report: RehearsalReport): void;
}

type Spec = Record<string, unknown>;
const KINDS = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'];

/** An App Mesh RouteSpec's weighted targets, as they stand in it. */
export function weightedTargets(spec: Spec): unknown {
  const kind = KINDS.find((k) => spec[k] !== undefined)!;
  return (spec[kind] as { action: { weightedTargets: unknown } }).action.weightedTargets;
}

export const byName = (targets: readonly { name: string; weight: number }[]) =>
  Object.fromEntries(targets.map((t) => [t.name, t.weight]));

/**
 * The routers the property can draw: App Mesh and every router with a twin, whose world it writes
 * from the healthy example (routers/<name>/sim/twin.ts): all of them, each with its line below.
 */
export type DrawnRouter = RouterType;

/** Lattice's target group ids are made from the names the world declares (routers/vpc-lattice/sim/world.ts). */
function latticeWeights(action: Json | undefined, scenario: Scenario): Record<string, number> {
  const groups = ((action?.forward as Json | undefined)?.targetGroups ?? []) as Json[];
  const declared = (scenario.world as { lattice?: { targetGroups: { name: string }[] } }).lattice
    ?.targetGroups;
  const names = new Map((declared ?? []).map(({ name }) => [latticeTargetGroupId(name), name]));
  return Object.fromEntries(
    groups.map((g) => [
      names.get(String(g.targetGroupIdentifier)) ?? String(g.targetGroupIdentifier),
      Number(g.weight),
    ]),
  );
}

function latticeWithoutWeights(fields: Json): unknown {
  const copy = structuredClone(fields) as { action?: { forward?: { targetGroups?: unknown } } };
  delete copy.action?.forward?.targetGroups;
  return copy;
}

/** An alias's routing, in GetAlias's fields or in an UpdateAlias: its version and additional weights. */
function aliasRouting(fields: Json): unknown {
  return { FunctionVersion: fields.FunctionVersion, RoutingConfig: fields.RoutingConfig };
}

/** An UpdateAlias's weights, version -> percent (the FunctionVersion takes what the others leave). */
function aliasWeights(input: Json): Record<string, number> {
  const extra = Object.entries(
    ((input.RoutingConfig as Json | undefined)?.AdditionalVersionWeights ?? {}) as Record<string, number>,
  ).map(([version, fraction]) => [version, Number((fraction * 100).toFixed(10))] as const);
  const rest = Number((100 - extra.reduce((sum, [, p]) => sum + p, 0)).toFixed(10));
  return { [String(input.FunctionVersion)]: rest, ...Object.fromEntries(extra) };
}

function albWithoutWeights(fields: Json): unknown {
  const copy = structuredClone(fields);
  return { ...copy, actions: ((copy.actions ?? []) as Json[]).map(albActionWithoutWeights) };
}

export const ROUTER_CASES = {
  appmesh: {
    // A 5-step release makes ~20 DescribeRoute calls.
    calls: { DescribeRoute: 24, UpdateRoute: 8, CreateRoute: 2, DeleteRoute: 3, DescribeVirtualNode: 4 },
    write: 'UpdateRoute',
    create: 'CreateRoute',
    throttled: 'TooManyRequestsException',
    writes: ['UpdateRoute'],
    gone: ['NotFoundException'],
    vocabulary: OPERATION_ERRORS.UpdateRoute,
    held: (fields) => weightedTargets(fields.spec as Spec),
    written: (input) => weightedTargets(input.spec as Spec),
    weightsWritten: (input) =>
      Object.fromEntries(
        (weightedTargets(input.spec as Spec) as { virtualNode: string; weight: number }[]).map((t) => [
          t.virtualNode,
          t.weight,
        ]),
      ),
    withoutWeights: (fields) => withoutTargets(fields.spec as Spec),
    expectWritesValid: (_scenario, report) => {
      for (const write of report.calls.filter((c) => c.operation === 'UpdateRoute')) {
        expect(validateUpdateRouteInput(write.input), `UpdateRoute at ${write.at}s is valid`).toEqual([]);
      }
    },
  },
  // The counts follow App Mesh's, call for call (GetRule for DescribeRoute, ...); ListRules and
  // ListTargets are the side rule's lookup and the new version's readiness check.
  'vpc-lattice': {
    calls: {
      GetRule: 24,
      UpdateRule: 8,
      CreateRule: 2,
      DeleteRule: 3,
      ListRules: 4,
      ListTargetGroups: 4,
      ListTargets: 4,
    },
    write: 'UpdateRule',
    create: 'CreateRule',
    throttled: 'ThrottlingException',
    writes: ['UpdateRule', 'UpdateListener'],
    gone: ['ResourceNotFoundException'],
    vocabulary: OPERATION_ERRORS.UpdateRule,
    held: (fields) => fields.action,
    written: (input) => input.action,
    weightsWritten: (input, scenario) => latticeWeights(input.action as Json | undefined, scenario),
    withoutWeights: latticeWithoutWeights,
    expectWritesValid: expectTargetGroupWrites,
  },
  alb: {
    calls: {
      DescribeRules: 24,
      ModifyRule: 8,
      CreateRule: 2,
      DeleteRule: 3,
      DescribeTags: 3,
      DescribeTargetGroups: 4,
      DescribeTargetHealth: 4,
    },
    write: 'ModifyRule',
    create: 'CreateRule',
    throttled: 'Throttling',
    writes: ['ModifyRule', 'ModifyListener'],
    gone: ['RuleNotFound'],
    vocabulary: [...OPERATION_ERRORS.ModifyRule, ...OPERATION_ERRORS.DescribeListeners, 'PriorityInUse'],
    held: (fields) => fields.actions,
    written: (input) => input.Actions,
    weightsWritten: (input) => byName(targetsInActions((input.Actions ?? []) as Json[])),
    withoutWeights: albWithoutWeights,
    expectWritesValid: expectTargetGroupWrites,
  },
  // GetAlias for DescribeRoute, UpdateAlias for UpdateRoute, GetFunctionConfiguration for
  // DescribeVirtualNode (each version Prepare checks, read once); GetProvisionedConcurrencyConfig is
  // Prepare's look at the alias. An alias has no side route: nothing is created or deleted.
  lambda: {
    calls: { GetAlias: 24, UpdateAlias: 8, GetFunctionConfiguration: 3, GetProvisionedConcurrencyConfig: 2 },
    write: 'UpdateAlias',
    // No side route to create: a throttle drawn for a creation throttles the write instead.
    create: 'UpdateAlias',
    throttled: 'TooManyRequestsException',
    writes: ['UpdateAlias'],
    gone: ['ResourceNotFoundException'],
    vocabulary: OPERATION_ERRORS.UpdateAlias,
    held: aliasRouting,
    written: aliasRouting,
    weightsWritten: (input) => aliasWeights(input),
    withoutWeights: (fields) => {
      // The revision changes with every write, the release's or a person's: it is not one of the
      // fields a release must leave as it was.
      const { FunctionVersion: _, RoutingConfig: __, RevisionId: ___, ...rest } = fields;
      return rest;
    },
    expectWritesValid: (_scenario, report) => expectAliasWrites(report),
  },
} as const satisfies { readonly [T in DrawnRouter]: RouterCase };

/**
 * The errors an operation of this router may fail with: those it really answers with, less the ones
 * meaning "gone" on a delete. CreateRule and DeleteRule are both Lattice's and ELB's names, and answer
 * each service's errors: a router takes only its own (those its other calls answer with).
 */
export function errorsOf(router: DrawnRouter, operation: Operation): readonly FaultErrorName[] {
  const own: RouterCase = ROUTER_CASES[router];
  const deleting = operation === 'DeleteRoute' || operation === 'DeleteRule';
  const errors = OPERATION_ERRORS[operation].filter((e) => !(deleting && own.gone.includes(e)));
  if (operation !== 'CreateRule' && operation !== 'DeleteRule') return errors;
  return errors.filter((e) => own.vocabulary.includes(e));
}

/**
 * The routers the property draws: every registered one whose world it can write, App Mesh's (the
 * healthy example's own) and every router with a twin (routers/<name>/sim/twin.ts).
 */
export const DRAWN_ROUTERS: readonly DrawnRouter[] = ROUTER_TYPES.filter(
  (type) =>
    type === 'appmesh' || ('twin' in ROUTER_SIMULATORS[type] && ROUTER_SIMULATORS[type].twin !== undefined),
);

/** The world's key for a router's block ("appmesh", "lattice", "alb"). */
export const worldKeyOf = (router: RouterType) => ROUTER_SIMULATORS[router].worldKey;

/**
 * The route a scenario's world starts with, as its router's service holds it before anything
 * happens (a person's scripted edits come later: the service is asked before the first second).
 */
export function startRouteOf(scenario: Scenario, router: RouterType): RouteState {
  const simulator = ROUTER_SIMULATORS[router] as unknown as {
    create(block: unknown, now: () => number): unknown;
    routes(service: unknown): RouteState[];
  };
  const block = (scenario.world as Record<string, unknown>)[worldKeyOf(router)];
  return simulator.routes(simulator.create(block, () => -1))[0]!;
}

/** The start route as it ends, among the report's final routes. */
export function endRouteOf(report: RehearsalReport, router: RouterType, start: RouteState) {
  return report.finalRoutes.find((r) => r.router === router && r.route === start.route);
}
