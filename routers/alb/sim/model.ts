import { createHash } from 'node:crypto';
import { type Json, ServiceError } from '../../sim/service.ts';
import { applyDue, MAX_WEIGHT, type WeightEdit } from '../../target-groups/sim/edits.ts';
import { type FinalTargetGroupRoute, transformsOf } from '../../target-groups/sim/route.ts';
import { createRuleActionsProblem } from './rule-actions.ts';
import { type AlbWorld, type AlbWorldRoute, albTargetGroupArn } from './world.ts';

const ALB_MAX_GROUPS = 5;
/** ELB's CreateRule limits: priorities 1..50000, at most 5 condition values a rule. */
const ALB_MAX_PRIORITY = 50000;
const ALB_MAX_CONDITION_VALUES = 5;

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
        // Without names: every group, on one page.
        const names = (input.Names as unknown[] | undefined) ?? [];
        const found = names.length ? this.#groups.filter((g) => names.includes(g.name)) : this.#groups;
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
    return Object.fromEntries(targetsInActions(route?.actions ?? []).map((t) => [t.name, t.weight]));
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

/** The weighted target groups of a rule's forward action, in order, by target group name. */
export function targetsInActions(actions: readonly Json[]): { name: string; weight: number }[] {
  const forward = actions.find((a) => a.Type === 'forward');
  const groups =
    (forward?.ForwardConfig as { TargetGroups?: Json[] } | undefined)?.TargetGroups ??
    (forward?.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : []);
  return groups.map((g) => ({
    name: /:targetgroup\/([^/]+)\//.exec(String(g.TargetGroupArn))?.[1] ?? String(g.TargetGroupArn),
    weight: Number(g.Weight ?? 1),
  }));
}
