import { createHash } from 'node:crypto';
import { SIMULATED_ACCOUNT } from '../../sim/account.ts';
import { type Json, ServiceError } from '../../sim/service.ts';
import { applyDue, MAX_WEIGHT, type WeightEdit } from '../../target-groups/sim/edits.ts';
import { type FinalTargetGroupRoute, idOf } from '../../target-groups/sim/route.ts';
import { type LatticeWorld, type LatticeWorldRoute, latticeTargetGroupId } from './world.ts';

const LATTICE_MAX_GROUPS = 10;

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
    return Object.fromEntries(this.targetsIn(route?.action ?? {}).map((t) => [t.name, t.weight]));
  }

  /** The weighted target groups of a forward action, in order, by name where the world declares them. */
  targetsIn(action: Json): { name: string; weight: number }[] {
    const groups = (action.forward as { targetGroups?: Json[] } | undefined)?.targetGroups ?? [];
    return groups.map((g) => ({
      name:
        this.#groups.find((t) => latticeTargetGroupId(t.name) === idOf(g.targetGroupIdentifier))?.name ??
        String(g.targetGroupIdentifier),
      // A lone group without a weight gets 100 (WeightedTargetGroup in the API reference).
      weight: Number(g.weight ?? (groups.length === 1 ? 100 : 1)),
    }));
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
