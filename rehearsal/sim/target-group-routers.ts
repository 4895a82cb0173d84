import { createHash } from 'node:crypto';
import type { HttpRequest } from '@smithy/core/protocols';
import { createRuleActionsProblem } from '#routers/alb/sim/rule-actions.ts';
import { SIMULATED_ACCOUNT } from '#routers/sim/account.ts';
import {
  type AlbWorld,
  type AlbWorldRoute,
  albTargetGroupArn,
  type LatticeWorld,
  type LatticeWorldRoute,
  latticeTargetGroupId,
  type WeightEdit,
} from './target-group-worlds.ts';

type Json = Record<string, unknown>;

/** An error the service answers with; simulated-aws.ts turns it into the protocol's error response. */
export class ServiceError extends Error {
  constructor(
    override readonly name: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_WEIGHT = 999;
const LATTICE_MAX_GROUPS = 10;
const ALB_MAX_GROUPS = 5;

/** The id at the end of an id or an ARN: Lattice takes either wherever it takes an identifier. */
const idOf = (identifier: unknown) =>
  String(identifier ?? '')
    .split('/')
    .pop() ?? '';

/** Edits due by `at` are applied once, in time order. */
function applyDue<R extends { edits: WeightEdit[] }>(
  routes: readonly R[],
  applied: Set<WeightEdit>,
  at: number,
  apply: (route: R, weights: Record<string, number>) => void,
): void {
  for (const route of routes) {
    for (const edit of route.edits) {
      if (edit.at <= at && !applied.has(edit)) {
        applied.add(edit);
        apply(route, edit.weights);
      }
    }
  }
}

interface LatticeRoute {
  readonly source: LatticeWorldRoute;
  /** The rule's match and priority as UpdateRule last set them (the world's, until then). */
  match: unknown;
  priority: unknown;
  readonly edits: WeightEdit[];
  action: Json;
  lastUpdatedAt: number;
  updates: number;
}

/** A rule stepshift (or anyone) created with CreateRule: kept apart from the world's own rules. */
interface LatticeCreatedRule {
  readonly serviceId: string;
  readonly listenerId: string;
  readonly id: string;
  readonly name: string;
  readonly priority: number;
  readonly match: Json;
  readonly action: Json;
  readonly clientToken?: string;
  readonly createdAt: number;
}

/** VPC Lattice's CreateRule limits: names of 3..63 lowercase letters, digits and hyphens; priorities 1..100. */
const LATTICE_RULE_NAME = /^(?!rule-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]{3,63}$/;
const LATTICE_MAX_PRIORITY = 100;
const LATTICE_MAX_HEADER_MATCHES = 5;
/** ELB's CreateRule limits: priorities 1..50000, at most 5 condition values a rule. */
const ALB_MAX_PRIORITY = 50000;
const ALB_MAX_CONDITION_VALUES = 5;

/** A rule's Transforms as DescribeRules gives them: absent when it has none. */
const transformsOf = (transforms: readonly Json[]) =>
  transforms.length ? { Transforms: structuredClone(transforms) as Json[] } : {};

/** A route as the rehearsal ends with it: the rule's (or listener's) fields as the service holds them. */
export interface FinalTargetGroupRoute {
  /** The rule, or the listener when the route is a listener's default action. */
  readonly key: string;
  readonly fields: Json;
  readonly updates: number;
}

/**
 * VPC Lattice's rules, listeners and target groups, served as the rehearsal's world scripts them:
 * GetRule, UpdateRule, GetListener, UpdateListener, ListTargetGroups and ListTargets, with the API's
 * checks of a forward action (1..10 target groups that exist, weights 0..999).
 */
export class SimulatedLattice {
  readonly #routes: LatticeRoute[];
  readonly #created: LatticeCreatedRule[] = [];
  #nextRule = 0;
  readonly #groups: LatticeWorld['targetGroups'];
  readonly #applied = new Set<WeightEdit>();

  constructor(world: LatticeWorld) {
    this.#groups = world.targetGroups;
    this.#routes = world.routes.map((r) => ({
      source: r,
      match: structuredClone(r.match),
      priority: r.priority,
      edits: r.edits,
      action: this.#normalised(structuredClone(r.action)),
      lastUpdatedAt: 0,
      updates: 0,
    }));
  }

  /** Target group identifiers written as names in the world become ids, as GetRule returns them. */
  #normalised(action: Json): Json {
    const groups = (action.forward as { targetGroups?: Json[] } | undefined)?.targetGroups;
    for (const g of groups ?? []) {
      const named = this.#groups.find((t) => t.name === g.targetGroupIdentifier);
      if (named) g.targetGroupIdentifier = latticeTargetGroupId(named.name);
    }
    return action;
  }

  applyEdits(at: number): void {
    applyDue(this.#routes, this.#applied, at, (route, weights) => {
      route.action = {
        forward: {
          targetGroups: Object.entries(weights).map(([name, weight]) => ({
            targetGroupIdentifier: latticeTargetGroupId(name),
            weight,
          })),
        },
      };
      route.lastUpdatedAt = at;
      route.updates += 1;
    });
  }

  #find(input: Json, withRule: boolean): LatticeRoute {
    const route = this.#routes.find(
      (r) =>
        idOf(r.source.serviceIdentifier) === idOf(input.serviceIdentifier) &&
        idOf(r.source.listenerIdentifier) === idOf(input.listenerIdentifier) &&
        (withRule
          ? r.source.ruleIdentifier !== undefined &&
            idOf(r.source.ruleIdentifier) === idOf(input.ruleIdentifier)
          : r.source.ruleIdentifier === undefined),
    );
    if (!route) {
      const what = withRule
        ? `Rule ${String(input.ruleIdentifier)}`
        : `Listener ${String(input.listenerIdentifier)}`;
      throw new ServiceError('ResourceNotFoundException', 404, `${what} not found`);
    }
    return route;
  }

  #arn(route: LatticeRoute, region: string): string {
    const listener = `arn:aws:vpc-lattice:${region}:${SIMULATED_ACCOUNT}:service/${idOf(route.source.serviceIdentifier)}/listener/${idOf(route.source.listenerIdentifier)}`;
    return route.source.ruleIdentifier === undefined
      ? listener
      : `${listener}/rule/${idOf(route.source.ruleIdentifier)}`;
  }

  #rule(route: LatticeRoute, region: string, epoch: (s: number) => string): Json {
    return {
      arn: this.#arn(route, region),
      id: idOf(route.source.ruleIdentifier),
      name: 'rule',
      isDefault: false,
      ...(route.match === undefined ? {} : { match: structuredClone(route.match) }),
      ...(route.priority === undefined ? {} : { priority: route.priority }),
      action: structuredClone(route.action),
      createdAt: epoch(0),
      lastUpdatedAt: epoch(route.lastUpdatedAt),
    };
  }

  #listener(route: LatticeRoute, region: string, epoch: (s: number) => string): Json {
    return {
      arn: this.#arn(route, region),
      id: idOf(route.source.listenerIdentifier),
      name: 'listener',
      protocol: 'HTTPS',
      port: 443,
      serviceArn: `arn:aws:vpc-lattice:${region}:${SIMULATED_ACCOUNT}:service/${idOf(route.source.serviceIdentifier)}`,
      serviceId: idOf(route.source.serviceIdentifier),
      defaultAction: structuredClone(route.action),
      createdAt: epoch(0),
      lastUpdatedAt: epoch(route.lastUpdatedAt),
    };
  }

  /** The checks UpdateRule and UpdateListener make of a forward action. */
  #checkAction(action: unknown): Json {
    const invalid = (message: string) => new ServiceError('ValidationException', 400, message);
    const groups = (action as { forward?: { targetGroups?: unknown } } | undefined)?.forward?.targetGroups;
    if (!Array.isArray(groups)) throw invalid('action must be a forward action with targetGroups');
    if (groups.length < 1 || groups.length > LATTICE_MAX_GROUPS) {
      throw invalid(`forward.targetGroups must have 1..${LATTICE_MAX_GROUPS} members, not ${groups.length}`);
    }
    for (const g of groups as Json[]) {
      const weight = g.weight ?? (groups.length === 1 ? 100 : 1);
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
        throw invalid(`weight must be a whole number 0..${MAX_WEIGHT}, not ${JSON.stringify(weight)}`);
      }
      const id = idOf(g.targetGroupIdentifier);
      if (!this.#groups.some((t) => latticeTargetGroupId(t.name) === id)) {
        throw new ServiceError(
          'ResourceNotFoundException',
          404,
          `Target group ${String(g.targetGroupIdentifier)} not found`,
        );
      }
    }
    return structuredClone(action) as Json;
  }

  answer(
    operation: string,
    input: Json,
    region: string,
    at: number,
    epoch: (s: number) => string,
  ): Json | undefined {
    switch (operation) {
      case 'GetRule':
        return this.#rule(this.#find(input, true), region, epoch);
      case 'GetListener':
        return this.#listener(this.#find(input, false), region, epoch);
      case 'UpdateRule': {
        const route = this.#find(input, true);
        // UpdateRule changes what the request carries: the action, and the match and priority when sent.
        if (input.action !== undefined) route.action = this.#checkAction(input.action);
        if (input.match !== undefined) route.match = structuredClone(input.match);
        if (input.priority !== undefined) route.priority = input.priority;
        route.lastUpdatedAt = at;
        route.updates += 1;
        return this.#rule(route, region, epoch);
      }
      case 'UpdateListener': {
        const route = this.#find(input, false);
        route.action = this.#checkAction(input.defaultAction);
        route.lastUpdatedAt = at;
        route.updates += 1;
        return this.#listener(route, region, epoch);
      }
      case 'CreateRule':
        return this.#createRule(input, region, at, epoch);
      case 'DeleteRule':
        return this.#deleteRule(input);
      case 'ListRules':
        return this.#listRules(input);
      case 'ListTargetGroups':
        return {
          items: this.#groups.map((g) => ({
            id: latticeTargetGroupId(g.name),
            arn: `arn:aws:vpc-lattice:${region}:${SIMULATED_ACCOUNT}:targetgroup/${latticeTargetGroupId(g.name)}`,
            name: g.name,
            type: 'IP',
          })),
        };
      case 'ListTargets': {
        const id = idOf(input.targetGroupIdentifier);
        const group = this.#groups.find((g) => latticeTargetGroupId(g.name) === id);
        if (!group) throw new ServiceError('ResourceNotFoundException', 404, `Target group ${id} not found`);
        return { items: group.targets.map((t) => ({ ...t })) };
      }
      default:
        return undefined;
    }
  }

  /** The listener's (service id, listener id) when the world has it, else ResourceNotFoundException. */
  #listenerOf(input: Json): { serviceId: string; listenerId: string } {
    const serviceId = idOf(input.serviceIdentifier);
    const listenerId = idOf(input.listenerIdentifier);
    const known = this.#routes.some(
      (r) =>
        idOf(r.source.serviceIdentifier) === serviceId && idOf(r.source.listenerIdentifier) === listenerId,
    );
    if (!known) {
      throw new ServiceError(
        'ResourceNotFoundException',
        404,
        `Listener ${String(input.listenerIdentifier)} not found`,
      );
    }
    return { serviceId, listenerId };
  }

  /** Every rule on the listener: the world's (with their priorities as they are now) and created ones. */
  #rulesOn(serviceId: string, listenerId: string): { id: string; name: string; priority?: number }[] {
    const own = this.#routes
      .filter(
        (r) =>
          r.source.ruleIdentifier !== undefined &&
          idOf(r.source.serviceIdentifier) === serviceId &&
          idOf(r.source.listenerIdentifier) === listenerId,
      )
      .map((r) => ({
        id: idOf(r.source.ruleIdentifier),
        name: 'rule',
        ...(typeof r.priority === 'number' ? { priority: r.priority } : {}),
      }));
    const created = this.#created
      .filter((r) => r.serviceId === serviceId && r.listenerId === listenerId)
      .map((r) => ({ id: r.id, name: r.name, priority: r.priority }));
    return [...own, ...created];
  }

  #createdRule(rule: LatticeCreatedRule, region: string, epoch: (s: number) => string): Json {
    return {
      arn: `arn:aws:vpc-lattice:${region}:${SIMULATED_ACCOUNT}:service/${rule.serviceId}/listener/${rule.listenerId}/rule/${rule.id}`,
      id: rule.id,
      name: rule.name,
      priority: rule.priority,
      match: structuredClone(rule.match),
      action: structuredClone(rule.action),
      createdAt: epoch(rule.createdAt),
    };
  }

  /**
   * CreateRule as Lattice checks it where a release can go wrong: a name and priority in range, unique
   * on the listener (ConflictException), at most 5 header matches, a forward action to groups that
   * exist. The same client token with the same request returns the rule it created.
   */
  #createRule(input: Json, region: string, at: number, epoch: (s: number) => string): Json {
    const invalid = (message: string) => new ServiceError('ValidationException', 400, message);
    const { serviceId, listenerId } = this.#listenerOf(input);
    const name = String(input.name ?? '');
    const priority = input.priority;
    const clientToken = input.clientToken === undefined ? undefined : String(input.clientToken);
    if (clientToken !== undefined) {
      const earlier = this.#created.find((r) => r.clientToken === clientToken);
      if (earlier) {
        const same =
          earlier.name === name &&
          earlier.priority === priority &&
          JSON.stringify(earlier.match) === JSON.stringify(input.match) &&
          JSON.stringify(earlier.action) === JSON.stringify(input.action);
        if (same) return this.#createdRule(earlier, region, epoch);
        throw new ServiceError(
          'ConflictException',
          409,
          `Client token ${clientToken} was used for another request`,
        );
      }
    }
    if (!LATTICE_RULE_NAME.test(name)) throw invalid(`name ${JSON.stringify(name)} is not a valid rule name`);
    if (
      typeof priority !== 'number' ||
      !Number.isInteger(priority) ||
      priority < 1 ||
      priority > LATTICE_MAX_PRIORITY
    ) {
      throw invalid(
        `priority must be a whole number 1..${LATTICE_MAX_PRIORITY}, not ${JSON.stringify(priority)}`,
      );
    }
    const httpMatch = (input.match as { httpMatch?: { headerMatches?: unknown[] } } | undefined)?.httpMatch;
    if (!httpMatch) throw invalid('match must be an httpMatch');
    if ((httpMatch.headerMatches?.length ?? 0) > LATTICE_MAX_HEADER_MATCHES) {
      throw invalid(`httpMatch.headerMatches must have at most ${LATTICE_MAX_HEADER_MATCHES} members`);
    }
    const action = this.#checkAction(input.action);
    const rules = this.#rulesOn(serviceId, listenerId);
    if (rules.some((r) => r.name === name)) {
      throw new ServiceError(
        'ConflictException',
        409,
        `A rule named ${name} already exists on listener ${listenerId}`,
      );
    }
    if (rules.some((r) => r.priority === priority)) {
      throw new ServiceError(
        'ConflictException',
        409,
        `A rule with priority ${priority} already exists on listener ${listenerId}`,
      );
    }
    this.#nextRule += 1;
    const rule: LatticeCreatedRule = {
      serviceId,
      listenerId,
      id: `rule-${createHash('sha256').update(`${listenerId}/${name}/${this.#nextRule}`).digest('hex').slice(0, 17)}`,
      name,
      priority,
      match: structuredClone(input.match) as Json,
      action,
      ...(clientToken === undefined ? {} : { clientToken }),
      createdAt: at,
    };
    this.#created.push(rule);
    return this.#createdRule(rule, region, epoch);
  }

  /** DeleteRule of a created rule; the world's own rules are the route a rehearsal releases, never deleted. */
  #deleteRule(input: Json): Json {
    const { serviceId, listenerId } = this.#listenerOf(input);
    const id = idOf(input.ruleIdentifier);
    const index = this.#created.findIndex(
      (r) => r.serviceId === serviceId && r.listenerId === listenerId && r.id === id,
    );
    if (index < 0) {
      if (this.#rulesOn(serviceId, listenerId).some((r) => r.id === id)) {
        throw new ServiceError(
          'ValidationException',
          400,
          `The simulated VPC Lattice does not delete the world's rule ${id}`,
        );
      }
      throw new ServiceError(
        'ResourceNotFoundException',
        404,
        `Rule ${String(input.ruleIdentifier)} not found`,
      );
    }
    this.#created.splice(index, 1);
    return {};
  }

  #listRules(input: Json): Json {
    const { serviceId, listenerId } = this.#listenerOf(input);
    return {
      items: this.#rulesOn(serviceId, listenerId).map((r) => ({ ...r, isDefault: false })),
    };
  }

  /** Target group name -> weight of the route a profile names; empty when the world has no such route. */
  weightsOf(key: {
    serviceIdentifier?: string;
    listenerIdentifier?: string;
    ruleIdentifier?: string;
  }): Record<string, number> {
    const route = this.#routes.find(
      (r) =>
        idOf(r.source.serviceIdentifier) === idOf(key.serviceIdentifier) &&
        idOf(r.source.listenerIdentifier) === idOf(key.listenerIdentifier) &&
        (key.ruleIdentifier === undefined
          ? r.source.ruleIdentifier === undefined
          : idOf(r.source.ruleIdentifier) === idOf(key.ruleIdentifier)),
    );
    const groups = (route?.action.forward as { targetGroups?: Json[] } | undefined)?.targetGroups ?? [];
    return Object.fromEntries(
      groups.map((g) => [
        this.#groups.find((t) => latticeTargetGroupId(t.name) === idOf(g.targetGroupIdentifier))?.name ??
          String(g.targetGroupIdentifier),
        // A lone group without a weight gets 100 (WeightedTargetGroup in the API reference).
        Number(g.weight ?? (groups.length === 1 ? 100 : 1)),
      ]),
    );
  }

  /** The world's routes, then any rule created and not deleted (keyed by its name). */
  final(): FinalTargetGroupRoute[] {
    const own = this.#routes.map((r) => ({
      key: r.source.ruleIdentifier ?? r.source.listenerIdentifier,
      fields: {
        ...(r.match === undefined ? {} : { match: structuredClone(r.match) }),
        ...(r.priority === undefined ? {} : { priority: r.priority }),
        action: structuredClone(r.action),
      },
      updates: r.updates,
    }));
    const created = this.#created.map((r) => ({
      key: r.name,
      fields: { match: structuredClone(r.match), priority: r.priority, action: structuredClone(r.action) },
      updates: 0,
    }));
    return [...own, ...created];
  }
}

/** A rule made with CreateRule, with the tags it was made with. */
interface AlbCreatedRule {
  readonly arn: string;
  readonly listenerArn: string;
  readonly priority: number;
  readonly conditions: Json[];
  readonly actions: Json[];
  readonly transforms: Json[];
  readonly tags: Json[];
}

interface AlbRoute {
  readonly source: AlbWorldRoute;
  readonly edits: WeightEdit[];
  actions: Json[];
  conditions: Json[];
  readonly transforms: Json[];
  updates: number;
}

/**
 * Application Load Balancer rules and listeners, served as the world scripts them: DescribeRules,
 * ModifyRule, DescribeListeners, ModifyListener, DescribeTargetGroups and DescribeTargetHealth, with
 * ELB's checks of a forward action (1..5 target groups that exist, weights 0..999).
 */
export class SimulatedAlb {
  readonly #routes: AlbRoute[];
  /** Rules made with CreateRule, kept apart from the world's own. */
  readonly #created: AlbCreatedRule[] = [];
  #nextRule = 0;
  readonly #groups: AlbWorld['targetGroups'];
  readonly #applied = new Set<WeightEdit>();

  constructor(world: AlbWorld) {
    this.#groups = world.targetGroups;
    this.#routes = world.routes.map((r) => ({
      source: r,
      edits: r.edits,
      actions: structuredClone(r.actions).map((a) => this.#normalised(a)),
      conditions: structuredClone(r.conditions),
      transforms: structuredClone(r.transforms),
      updates: 0,
    }));
  }

  /** A target group named instead of given by ARN in the world gets its ARN. */
  #normalised(action: Json): Json {
    const arn = (name: unknown) =>
      this.#groups.some((g) => g.name === name) ? albTargetGroupArn(String(name)) : name;
    if (action.TargetGroupArn !== undefined) action.TargetGroupArn = arn(action.TargetGroupArn);
    const groups = (action.ForwardConfig as { TargetGroups?: Json[] } | undefined)?.TargetGroups;
    for (const g of groups ?? []) g.TargetGroupArn = arn(g.TargetGroupArn);
    return action;
  }

  applyEdits(at: number): void {
    applyDue(this.#routes, this.#applied, at, (route, weights) => {
      const forward = route.actions.find((a) => a.Type === 'forward');
      if (!forward) return;
      delete forward.TargetGroupArn;
      forward.ForwardConfig = {
        ...(forward.ForwardConfig as Json | undefined),
        TargetGroups: Object.entries(weights).map(([name, weight]) => ({
          TargetGroupArn: albTargetGroupArn(name),
          Weight: weight,
        })),
      };
      route.updates += 1;
    });
  }

  #byRule(arn: unknown): AlbRoute {
    const route = this.#routes.find((r) => r.source.ruleArn !== undefined && r.source.ruleArn === arn);
    if (!route) throw new ServiceError('RuleNotFound', 400, 'One or more rules not found');
    return route;
  }

  #byListener(arn: unknown): AlbRoute {
    const route = this.#routes.find((r) => r.source.ruleArn === undefined && r.source.listenerArn === arn);
    if (!route) throw new ServiceError('ListenerNotFound', 400, 'One or more listeners not found');
    return route;
  }

  #rule(route: AlbRoute): Json {
    return {
      RuleArn: route.source.ruleArn,
      Priority: route.source.priority ?? '1',
      Conditions: structuredClone(route.conditions),
      Actions: structuredClone(route.actions),
      ...transformsOf(route.transforms),
      IsDefault: false,
    };
  }

  #listener(route: AlbRoute): Json {
    return {
      ListenerArn: route.source.listenerArn,
      Port: 443,
      Protocol: 'HTTPS',
      DefaultActions: structuredClone(route.actions),
    };
  }

  /** The listener's rules, the world's and created ones, as DescribeRules lists them (no default rule). */
  #rulesOn(listenerArn: unknown): Json[] {
    if (!this.#routes.some((r) => r.source.listenerArn === listenerArn)) {
      throw new ServiceError('ListenerNotFound', 400, 'One or more listeners not found');
    }
    const own = this.#routes
      .filter((r) => r.source.ruleArn !== undefined && r.source.listenerArn === listenerArn)
      .map((r) => this.#rule(r));
    return [
      ...own,
      ...this.#created.filter((r) => r.listenerArn === listenerArn).map((r) => this.#createdRule(r)),
    ];
  }

  #createdRule(rule: AlbCreatedRule): Json {
    return {
      RuleArn: rule.arn,
      Priority: String(rule.priority),
      Conditions: structuredClone(rule.conditions),
      Actions: structuredClone(rule.actions),
      ...transformsOf(rule.transforms),
      IsDefault: false,
    };
  }

  /**
   * CreateRule as ELB checks it where a release can go wrong: a listener that exists, a priority
   * 1..50000 no other rule of the listener has (PriorityInUse), at most 5 condition values, and
   * actions to target groups that exist.
   */
  #createRule(input: Json): Json {
    const listenerArn = String(input.ListenerArn ?? '');
    const rules = this.#rulesOn(listenerArn);
    const priority = Number(input.Priority);
    if (!Number.isInteger(priority) || priority < 1 || priority > ALB_MAX_PRIORITY) {
      throw new ServiceError(
        'ValidationError',
        400,
        `Priority must be 1..${ALB_MAX_PRIORITY}, not ${String(input.Priority)}`,
      );
    }
    if (rules.some((r) => Number(r.Priority) === priority)) {
      throw new ServiceError('PriorityInUse', 400, `Priority '${priority}' is currently in use`);
    }
    const conditions = (input.Conditions as Json[] | undefined) ?? [];
    const values = conditions.reduce((n, c) => {
      const config = Object.entries(c).find(([k]) => k.endsWith('Config'))?.[1] as
        | { Values?: unknown[] }
        | undefined;
      return n + (config?.Values ?? (c.Values as unknown[] | undefined) ?? []).length;
    }, 0);
    if (values > ALB_MAX_CONDITION_VALUES) {
      throw new ServiceError(
        'TooManyConditionValues',
        400,
        `A rule can have at most ${ALB_MAX_CONDITION_VALUES} condition values, not ${values}`,
      );
    }
    const actions = this.#checkActions(input.Actions);
    const refused = createRuleActionsProblem(actions);
    if (refused) throw new ServiceError('ValidationError', 400, refused);
    this.#nextRule += 1;
    const id = createHash('sha256').update(`${listenerArn}/${this.#nextRule}`).digest('hex').slice(0, 16);
    const rule = {
      arn: `${listenerArn.replace(':listener/', ':listener-rule/')}/${id}`,
      listenerArn,
      priority,
      conditions: structuredClone(conditions),
      actions,
      transforms: structuredClone((input.Transforms as Json[] | undefined) ?? []),
      tags: structuredClone((input.Tags as Json[] | undefined) ?? []),
    };
    this.#created.push(rule);
    return { Rules: [this.#createdRule(rule)] };
  }

  /** ELB's checks of the actions ModifyRule or ModifyListener is given. */
  #checkActions(actions: unknown): Json[] {
    const invalid = (message: string) => new ServiceError('ValidationError', 400, message);
    if (!Array.isArray(actions) || actions.length === 0) throw invalid('Actions must not be empty');
    for (const action of actions as Json[]) {
      if (action.Type !== 'forward') continue;
      const groups = (action.ForwardConfig as { TargetGroups?: Json[] } | undefined)?.TargetGroups ?? [];
      if (groups.length > ALB_MAX_GROUPS) {
        throw new ServiceError(
          'TooManyTargetGroups',
          400,
          `A forward action can have at most ${ALB_MAX_GROUPS} target groups, not ${groups.length}`,
        );
      }
      if (groups.length > 1 && action.TargetGroupArn !== undefined) {
        throw invalid('TargetGroupArn cannot be given with a ForwardConfig of more than one target group');
      }
      for (const g of groups) {
        const weight = g.Weight ?? 1;
        if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
          throw invalid(`Weight must be a whole number 0..${MAX_WEIGHT}, not ${JSON.stringify(weight)}`);
        }
        if (!this.#groups.some((t) => albTargetGroupArn(t.name) === g.TargetGroupArn)) {
          throw new ServiceError(
            'TargetGroupNotFound',
            400,
            `Target group '${String(g.TargetGroupArn)}' not found`,
          );
        }
      }
    }
    return structuredClone(actions as Json[]).map((a) => {
      // The secret is never returned, and "keep the existing one" is not stored.
      const oidc = a.AuthenticateOidcConfig as Json | undefined;
      if (oidc) delete oidc.UseExistingClientSecret;
      return a;
    });
  }

  answer(operation: string, input: Json): Json | undefined {
    switch (operation) {
      case 'DescribeRules': {
        if (input.ListenerArn !== undefined) return { Rules: this.#rulesOn(input.ListenerArn) };
        const arns = (input.RuleArns as unknown[] | undefined) ?? [];
        return {
          Rules: arns.map((arn) => {
            const made = this.#created.find((r) => r.arn === arn);
            return made ? this.#createdRule(made) : this.#rule(this.#byRule(arn));
          }),
        };
      }
      case 'CreateRule':
        return this.#createRule(input);
      case 'DeleteRule': {
        const index = this.#created.findIndex((r) => r.arn === input.RuleArn);
        if (index < 0) {
          if (this.#routes.some((r) => r.source.ruleArn === input.RuleArn)) {
            throw new ServiceError(
              'ValidationError',
              400,
              "The simulated ELB does not delete the world's rules",
            );
          }
          throw new ServiceError('RuleNotFound', 400, 'One or more rules not found');
        }
        this.#created.splice(index, 1);
        return {};
      }
      case 'DescribeTags': {
        const arns = (input.ResourceArns as unknown[] | undefined) ?? [];
        if (arns.length > 20)
          throw new ServiceError('ValidationError', 400, 'ResourceArns has more than 20 members');
        return {
          TagDescriptions: arns.map((arn) => {
            const made = this.#created.find((r) => r.arn === arn);
            if (!made && !this.#routes.some((r) => r.source.ruleArn === arn)) {
              throw new ServiceError('RuleNotFound', 400, 'One or more rules not found');
            }
            return { ResourceArn: arn, Tags: structuredClone(made?.tags ?? []) };
          }),
        };
      }
      case 'DescribeListeners': {
        const arns = (input.ListenerArns as unknown[] | undefined) ?? [];
        return { Listeners: arns.map((arn) => this.#listener(this.#byListener(arn))) };
      }
      case 'ModifyRule': {
        const route = this.#byRule(input.RuleArn);
        if (input.Actions !== undefined) route.actions = this.#checkActions(input.Actions);
        if (Array.isArray(input.Conditions)) route.conditions = structuredClone(input.Conditions as Json[]);
        route.updates += 1;
        return { Rules: [this.#rule(route)] };
      }
      case 'ModifyListener': {
        const route = this.#byListener(input.ListenerArn);
        if (input.DefaultActions !== undefined) route.actions = this.#checkActions(input.DefaultActions);
        route.updates += 1;
        return { Listeners: [this.#listener(route)] };
      }
      case 'DescribeTargetGroups': {
        const names = (input.Names as unknown[] | undefined) ?? [];
        const found = this.#groups.filter((g) => names.includes(g.name));
        if (found.length < names.length) {
          throw new ServiceError('TargetGroupNotFound', 400, 'One or more target groups not found');
        }
        return {
          TargetGroups: found.map((g) => ({
            TargetGroupArn: albTargetGroupArn(g.name),
            TargetGroupName: g.name,
          })),
        };
      }
      case 'DescribeTargetHealth': {
        const group = this.#groups.find((g) => albTargetGroupArn(g.name) === input.TargetGroupArn);
        if (!group) throw new ServiceError('TargetGroupNotFound', 400, 'One or more target groups not found');
        return {
          TargetHealthDescriptions: group.targets.map((t) => ({
            Target: { Id: t.id, ...(t.port === undefined ? {} : { Port: t.port }) },
            TargetHealth: { State: t.state, ...(t.reason === undefined ? {} : { Reason: t.reason }) },
          })),
        };
      }
      default:
        return undefined;
    }
  }

  /** Target group name -> weight of the route a profile names; empty when the world has no such route. */
  weightsOf(key: { listenerArn?: string; ruleArn?: string }): Record<string, number> {
    const route = this.#routes.find((r) =>
      key.ruleArn === undefined
        ? r.source.ruleArn === undefined && r.source.listenerArn === key.listenerArn
        : r.source.ruleArn === key.ruleArn,
    );
    const forward = route?.actions.find((a) => a.Type === 'forward');
    const groups =
      (forward?.ForwardConfig as { TargetGroups?: Json[] } | undefined)?.TargetGroups ??
      (forward?.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : []);
    return Object.fromEntries(
      groups.map((g) => [
        /:targetgroup\/([^/]+)\//.exec(String(g.TargetGroupArn))?.[1] ?? String(g.TargetGroupArn),
        Number(g.Weight ?? 1),
      ]),
    );
  }

  /** The world's routes, then any rule created and not deleted (keyed by its ARN). */
  final(): FinalTargetGroupRoute[] {
    const own = this.#routes.map((r) => ({
      key: r.source.ruleArn ?? r.source.listenerArn,
      fields: {
        conditions: structuredClone(r.conditions),
        actions: structuredClone(r.actions),
        ...transformsOf(r.transforms),
      },
      updates: r.updates,
    }));
    const created = this.#created.map((r) => ({
      key: r.arn,
      fields: {
        conditions: structuredClone(r.conditions),
        actions: structuredClone(r.actions),
        ...transformsOf(r.transforms),
      },
      updates: 0,
    }));
    return [...own, ...created];
  }
}

/** Lattice's REST paths (restJson1), as the SDK's GetRule, UpdateRule, ... commands build them. */
const LATTICE_PATHS: readonly [string, RegExp, string, readonly string[]][] = [
  [
    'GET',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules\/([^/]+)$/,
    'GetRule',
    ['serviceIdentifier', 'listenerIdentifier', 'ruleIdentifier'],
  ],
  [
    'PATCH',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules\/([^/]+)$/,
    'UpdateRule',
    ['serviceIdentifier', 'listenerIdentifier', 'ruleIdentifier'],
  ],
  [
    'GET',
    /^\/services\/([^/]+)\/listeners\/([^/]+)$/,
    'GetListener',
    ['serviceIdentifier', 'listenerIdentifier'],
  ],
  [
    'PATCH',
    /^\/services\/([^/]+)\/listeners\/([^/]+)$/,
    'UpdateListener',
    ['serviceIdentifier', 'listenerIdentifier'],
  ],
  [
    'POST',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules$/,
    'CreateRule',
    ['serviceIdentifier', 'listenerIdentifier'],
  ],
  [
    'GET',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules$/,
    'ListRules',
    ['serviceIdentifier', 'listenerIdentifier'],
  ],
  [
    'DELETE',
    /^\/services\/([^/]+)\/listeners\/([^/]+)\/rules\/([^/]+)$/,
    'DeleteRule',
    ['serviceIdentifier', 'listenerIdentifier', 'ruleIdentifier'],
  ],
  ['GET', /^\/targetgroups$/, 'ListTargetGroups', []],
  ['POST', /^\/targetgroups\/([^/]+)\/listtargets$/, 'ListTargets', ['targetGroupIdentifier']],
];

/** Operation and input of a Lattice request: path labels and the JSON body together. */
export function latticeCall(request: HttpRequest, body: Json): { operation: string; input: Json } {
  const path = request.path ?? '/';
  const method = (request.method ?? 'GET').toUpperCase();
  for (const [m, pattern, operation, labels] of LATTICE_PATHS) {
    const match = m === method ? pattern.exec(path) : null;
    if (match) {
      const input: Json = { ...body };
      labels.forEach((label, i) => {
        input[label] = decodeURIComponent(match[i + 1] ?? '');
      });
      return { operation, input };
    }
  }
  return { operation: `${method} ${path}`, input: body };
}

/** Members of ELB's query API that are numbers or booleans; every other value stays text. */
const NUMBERS = new Set(['Weight', 'Order', 'DurationSeconds', 'Port', 'PageSize']);
const BOOLEANS = new Set(['Enabled', 'UseExistingClientSecret', 'IsDefault']);

/**
 * An awsQuery form body ("Action=ModifyRule&Actions.member.1.Type=forward&...") as the nested input
 * the SDK command took: "member.N" becomes list items, "entry.N.key/value" map entries.
 */
export function queryCall(body: string): { operation: string; input: Json } {
  const params = new URLSearchParams(body);
  const input: Json = {};
  let operation = '';
  for (const [key, raw] of params) {
    if (key === 'Action') operation = raw;
    if (key === 'Action' || key === 'Version') continue;
    const tokens = key.split('.');
    const name = tokens.filter((t) => !/^[0-9]+$/.test(t) && t !== 'member' && t !== 'entry').pop() ?? key;
    const value = NUMBERS.has(name) ? Number(raw) : BOOLEANS.has(name) ? raw === 'true' : raw;
    let node = input as Record<string | number, unknown>;
    for (let i = 0; i < tokens.length; ) {
      const token = tokens[i] as string;
      const listed = tokens[i + 1] === 'member' || tokens[i + 1] === 'entry';
      if (listed) {
        node[token] ??= [];
        const list = node[token] as unknown[];
        const index = Number(tokens[i + 2]) - 1;
        if (i + 3 >= tokens.length) {
          list[index] = value;
          break;
        }
        list[index] ??= {};
        node = list[index] as Record<string | number, unknown>;
        i += 3;
      } else if (i + 1 >= tokens.length) {
        node[token] = value;
        break;
      } else {
        node[token] ??= {};
        node = node[token] as Record<string | number, unknown>;
        i += 1;
      }
    }
  }
  return { operation, input };
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function toXml(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(value));
}

const ELB_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

/** An awsQuery success response: <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>. */
export function queryResponse(operation: string, requestId: string, body: Json): string {
  return `<${operation}Response xmlns="${ELB_NAMESPACE}"><${operation}Result>${toXml(body)}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

/** An awsQuery error response; the SDK names the error by its Code (or the modelled error with that code). */
export function queryError(requestId: string, code: string, status: number, message: string): string {
  return `<ErrorResponse xmlns="${ELB_NAMESPACE}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
