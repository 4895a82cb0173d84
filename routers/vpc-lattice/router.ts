import {
  CreateRuleCommand,
  DeleteRuleCommand,
  GetListenerCommand,
  GetRuleCommand,
  ListRulesCommand,
  ListTargetGroupsCommand,
  ListTargetsCommand,
  type RuleAction,
  type TargetStatus,
  UpdateListenerCommand,
  UpdateRuleCommand,
  VPCLatticeClient,
  type WeightedTargetGroup,
} from '@aws-sdk/client-vpc-lattice';
import { awsErrorName, errorMessage, unavailableAs } from '#adapters/aws/aws-errors.ts';
import type { AwsClientSource } from '#adapters/aws/client-source.ts';
import {
  InvalidTargetsError,
  RouteDriftedError,
  RouteNotFoundError,
  RouterUnavailableError,
  UnsupportedRouteError,
} from '#core/errors.ts';
import type { RouteReading, Router } from '#core/ports.ts';
import type { Target } from '#core/shapes.ts';
import { clientTokenFor } from '../client-token.ts';
import { routeCalls, unlessAbsent } from '../route-calls.ts';
import { SIDE_ROUTE_TAG } from '../target-groups/side-rules.ts';
import {
  assertWritable,
  digestOf,
  fromWireWeight,
  startingPoint,
  toWireWeight,
} from '../target-groups/weights.ts';
import { LATTICE_MAX_TARGET_GROUPS, type LatticeRouterConfig, latticeKind } from './kind.ts';
import { type LatticeRuleShape, latticeSideRule, latticeSideRuleProblem } from './side-route.ts';

/**
 * Target statuses that make a canary ready. A group no listener forwards to yet is not health
 * checked: its targets report UNUSED ("not used in a service") until the first step sends it
 * traffic. UNAVAILABLE means health checks are off for the group: nothing will ever say healthy, so
 * it counts too. A group with no targets, or only unhealthy, draining or still-initial ones, does not.
 */
const READY: ReadonlySet<TargetStatus | string> = new Set(['HEALTHY', 'UNUSED', 'UNAVAILABLE']);

/**
 * The weight of a group given none. The API reference's WeightedTargetGroup says 100 when it is the
 * only group; its ForwardAction page says 1. Either way a lone group gets all traffic; 100 reads as the
 * percentage it is. With several groups a weight is required.
 */
function defaultWeight(groups: number): number {
  return groups === 1 ? 100 : 1;
}

/** The rule (or listener) as read: its ARN, the action as Lattice returned it, and a revision. */
interface Raw {
  readonly arn?: string;
  readonly action: RuleAction;
  readonly revision: string;
}

/** Target group names by id and by ARN, and ids by name, per client (so per account and region). */
interface TargetGroupNames {
  readonly nameOf: Map<string, string>;
  readonly idOf: Map<string, string>;
}
const knownNames = new WeakMap<VPCLatticeClient, TargetGroupNames>();

/**
 * A target group's name and id never change and an id is never reused, so what one router learnt
 * serves every router on the same client: a warm function lists target groups once, not at each read.
 */
function namesFor(client: VPCLatticeClient): TargetGroupNames {
  let names = knownNames.get(client);
  if (!names) {
    names = { nameOf: new Map(), idOf: new Map() };
    knownNames.set(client, names);
  }
  return names;
}

/**
 * A Router over a VPC Lattice listener rule's forward action, or the listener's default action when
 * the profile names no rule. Targets are target groups by name: the profile's template names the
 * canary, and names stay the same across a group's id and ARN. Only the action is sent back
 * (UpdateRule and UpdateListener change only the fields a request carries), so the rule's match,
 * priority and name stay as they are; groups the release does not own keep their weights.
 */
export function createVpcLatticeRouter(client: VPCLatticeClient, config: LatticeRouterConfig): Router {
  const { serviceIdentifier, listenerIdentifier, ruleIdentifier } = config;
  const routeId = latticeKind.routeLabel(config);
  const kept = new WeakMap<RouteReading, Raw>();
  const { nameOf, idOf } = namesFor(client);

  const call = routeCalls({
    routeId,
    notFound: ['ResourceNotFoundException'],
    missing: `VPC Lattice has no ${ruleIdentifier === undefined ? '' : `rule "${ruleIdentifier}" on `}listener "${listenerIdentifier}" of service "${serviceIdentifier}"`,
    conflicts: ['ConflictException'],
  });

  /** Reads every target group's name, id and ARN once (ListTargetGroups has no filter by name). */
  async function learnTargetGroups(): Promise<void> {
    let nextToken: string | undefined;
    do {
      const page = await call('ListTargetGroups', () =>
        client.send(new ListTargetGroupsCommand(nextToken === undefined ? {} : { nextToken })),
      );
      for (const group of page.items ?? []) {
        if (!group.name || !group.id) continue;
        nameOf.set(group.id, group.name);
        if (group.arn) nameOf.set(group.arn, group.name);
        idOf.set(group.name, group.id);
      }
      nextToken = page.nextToken ?? undefined;
    } while (nextToken);
  }

  async function learnNamesOf(identifiers: readonly string[]): Promise<void> {
    if (identifiers.some((id) => !nameOf.has(id))) await learnTargetGroups();
  }

  async function fetch(): Promise<Raw> {
    if (ruleIdentifier === undefined) {
      const out = await call('GetListener', () =>
        client.send(new GetListenerCommand({ serviceIdentifier, listenerIdentifier })),
      );
      if (!out.defaultAction)
        throw new UnsupportedRouteError(`GetListener for ${routeId} returned no default action`);
      return {
        ...(out.arn ? { arn: out.arn } : {}),
        action: out.defaultAction,
        revision: out.lastUpdatedAt?.toISOString() ?? digestOf(out.defaultAction),
      };
    }
    const out = await call('GetRule', () =>
      client.send(new GetRuleCommand({ serviceIdentifier, listenerIdentifier, ruleIdentifier })),
    );
    if (!out.action) throw new UnsupportedRouteError(`GetRule for ${routeId} returned no action`);
    if (out.isDefault) {
      // "You can't modify a default listener rule" (UpdateRule): its action is the listener's.
      throw new UnsupportedRouteError(
        `${routeId} is the listener's default rule, which UpdateRule cannot change; leave out ruleIdentifier to shift the listener's default action`,
      );
    }
    return {
      ...(out.arn ? { arn: out.arn } : {}),
      action: out.action,
      revision: out.lastUpdatedAt?.toISOString() ?? digestOf(out.action),
    };
  }

  function groupsOf(raw: Raw): WeightedTargetGroup[] {
    const groups = raw.action.forward?.targetGroups;
    if (!Array.isArray(groups)) {
      throw new UnsupportedRouteError(
        `${routeId} has a ${raw.action.fixedResponse ? 'fixed-response' : 'non-forward'} action; stepshift shifts the weights of a forward action`,
      );
    }
    return groups;
  }

  async function readingOf(raw: Raw): Promise<RouteReading> {
    const groups = groupsOf(raw);
    await learnNamesOf(groups.map((g) => g.targetGroupIdentifier ?? ''));
    const targets: Target[] = groups.map((g) => {
      const name = nameOf.get(g.targetGroupIdentifier ?? '');
      if (name === undefined) {
        throw new UnsupportedRouteError(
          `${routeId} forwards to target group "${g.targetGroupIdentifier}", which ListTargetGroups does not list`,
        );
      }
      return { name, weight: fromWireWeight(g.weight ?? defaultWeight(groups.length)) };
    });
    return { routeId, ...(raw.arn ? { arn: raw.arn } : {}), targets, revision: raw.revision };
  }

  async function read(): Promise<{ reading: RouteReading; raw: Raw }> {
    const raw = await fetch();
    const reading = await readingOf(raw);
    kept.set(reading, raw);
    return { reading, raw };
  }

  /** Drops what was learnt of a target group's name, so the next look lists the groups again. */
  function forget(name: string): void {
    const id = idOf.get(name);
    idOf.delete(name);
    for (const [key, value] of nameOf) if (value === name || key === id) nameOf.delete(key);
  }

  /** Whether the group has a ready target; undefined when Lattice does not know the id. */
  async function readyTargets(id: string): Promise<boolean | undefined> {
    try {
      const statuses: (string | undefined)[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new ListTargetsCommand({
            targetGroupIdentifier: id,
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        );
        statuses.push(...(page.items ?? []).map((t) => t.status));
        nextToken = page.nextToken ?? undefined;
      } while (nextToken);
      return statuses.some((s) => s !== undefined && READY.has(s));
    } catch (error) {
      unlessAbsent('ListTargets', error, ['ResourceNotFoundException']);
      return undefined;
    }
  }

  /** Sends the action back: the rule's, or the listener's default. */
  async function update(action: RuleAction): Promise<void> {
    if (ruleIdentifier === undefined) {
      await call('UpdateListener', () =>
        client.send(
          new UpdateListenerCommand({ serviceIdentifier, listenerIdentifier, defaultAction: action }),
        ),
      );
    } else {
      await call('UpdateRule', () =>
        client.send(new UpdateRuleCommand({ serviceIdentifier, listenerIdentifier, ruleIdentifier, action })),
      );
    }
  }

  /** The release rule's match, priority and whether it is the default: what a side rule copies. */
  async function ruleShape(): Promise<LatticeRuleShape | undefined> {
    if (ruleIdentifier === undefined) return undefined;
    const out = await call('GetRule', () =>
      client.send(new GetRuleCommand({ serviceIdentifier, listenerIdentifier, ruleIdentifier })),
    );
    return { isDefault: out.isDefault, priority: out.priority, match: out.match };
  }

  /** The listener's rule of this name (names are unique on a listener), as ListRules lists it. */
  async function ruleNamed(name: string): Promise<{ id: string; priority?: number } | undefined> {
    let nextToken: string | undefined;
    do {
      const page = await call('ListRules', () =>
        client.send(
          new ListRulesCommand({
            serviceIdentifier,
            listenerIdentifier,
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        ),
      );
      const found = (page.items ?? []).find((r) => r.name === name && r.id);
      if (found)
        return {
          id: found.id as string,
          ...(found.priority === undefined ? {} : { priority: found.priority }),
        };
      nextToken = page.nextToken ?? undefined;
    } while (nextToken);
    return undefined;
  }

  async function groupIdOf(name: string): Promise<string> {
    if (!idOf.has(name)) await learnTargetGroups();
    const id = idOf.get(name);
    if (id === undefined) {
      throw new InvalidTargetsError(
        `Refusing to open a side rule on ${routeId}: VPC Lattice has no target group named "${name}"`,
      );
    }
    return id;
  }

  return {
    routeId,
    maxTargets: LATTICE_MAX_TARGET_GROUPS,

    async read() {
      return (await read()).reading;
    },

    async sideRouteProblem(side) {
      const problem = latticeSideRuleProblem(routeId, await ruleShape(), side);
      if (problem) return problem;
      if (await ruleNamed(side.name)) {
        return `a rule named "${side.name}" is already on listener "${listenerIdentifier}", left by a release that did not end cleanly; delete it (aws vpc-lattice delete-rule --service-identifier ${serviceIdentifier} --listener-identifier ${listenerIdentifier} --rule-identifier <its id>) and start the release again`;
      }
      return undefined;
    },

    async openSideRoute(side, idempotencyKey) {
      const rule = latticeSideRule(routeId, await ruleShape(), side, await groupIdOf(side.target.name));
      try {
        // The client token makes a retry with the same key and request return the rule it created.
        await client.send(
          new CreateRuleCommand({
            serviceIdentifier,
            listenerIdentifier,
            name: side.name,
            ...rule,
            clientToken: clientTokenFor(idempotencyKey),
            // IAM lets stepshift create and delete only rules that carry this tag (routers/vpc-lattice/iam.ts).
            tags: { [SIDE_ROUTE_TAG]: side.name },
          }),
        );
      } catch (error) {
        if (awsErrorName(error) !== 'ConflictException')
          throw unavailableAs('CreateRule', error, RouterUnavailableError);
        // A rule of that name at that priority is ours from an attempt whose answer was lost; any other
        // conflict (the priority taken by another rule, the name by another priority) is not.
        const found = await ruleNamed(side.name);
        if (found?.priority === rule.priority) return;
        throw new RouteDriftedError(
          `CreateRule ${side.name}: listener "${listenerIdentifier}" already has ${found ? `a rule of that name at priority ${found.priority}` : `a rule at priority ${rule.priority}`} (${errorMessage(error)}); stepshift leaves it and does not release through it`,
        );
      }
    },

    async closeSideRoute(name) {
      const found = await ruleNamed(name);
      if (!found) return false;
      try {
        await client.send(
          new DeleteRuleCommand({ serviceIdentifier, listenerIdentifier, ruleIdentifier: found.id }),
        );
        return true;
      } catch (error) {
        unlessAbsent('DeleteRule', error, ['ResourceNotFoundException']);
        return false;
      }
    },

    async write(targets, _idempotencyKey, basedOn) {
      // Neither UpdateRule nor UpdateListener takes a client token; a retry writes the same weights
      // again, which leaves the action as the first write did.
      assertWritable(routeId, targets, LATTICE_MAX_TARGET_GROUPS, 'VPC Lattice');
      const raw = await startingPoint(routeId, basedOn, kept, read);
      // Groups keep the identifier the action already uses for them (id or ARN); new ones get the id.
      const current = new Map(
        groupsOf(raw).map((g) => [nameOf.get(g.targetGroupIdentifier ?? ''), g.targetGroupIdentifier]),
      );
      const fresh = targets.filter((t) => !current.has(t.name)).map((t) => t.name);
      for (let attempt = 0; ; attempt++) {
        if (fresh.some((name) => !idOf.has(name))) await learnTargetGroups();
        const targetGroups = targets.map((t): WeightedTargetGroup => {
          const identifier = current.get(t.name) ?? idOf.get(t.name);
          if (identifier === undefined) {
            throw new InvalidTargetsError(
              `Refusing to write ${routeId}: VPC Lattice has no target group named "${t.name}"`,
            );
          }
          return { targetGroupIdentifier: identifier, weight: toWireWeight(t.weight) };
        });
        try {
          await update({ forward: { targetGroups } });
          break;
        } catch (error) {
          // A new group's cached id may be stale (the group deleted and created again): learn the
          // ids again and write once more. The rule itself being gone fails the same way again.
          if (!(error instanceof RouteNotFoundError) || attempt > 0 || fresh.length === 0) throw error;
          for (const name of fresh) forget(name);
        }
      }
      return (await read()).reading;
    },

    async targetExists(name) {
      // A group deleted and created again under its name has a new id: a cached id that Lattice no
      // longer knows is dropped and the groups listed again, once.
      for (let attempt = 0; attempt < 2; attempt++) {
        if (!idOf.has(name)) await learnTargetGroups();
        const id = idOf.get(name);
        if (id === undefined) return false;
        const ready = await readyTargets(id);
        if (ready !== undefined) return ready;
        forget(name);
      }
      return false;
    },

    async targetNames() {
      await learnTargetGroups();
      return [...idOf.keys()];
    },
  };
}

/** The VPC Lattice router over the functions' SDK clients; routers/adapters.ts imports this module on first use. */
export function vpcLatticeRouterOver(aws: AwsClientSource, config: LatticeRouterConfig): Router {
  return createVpcLatticeRouter(aws.client(VPCLatticeClient), config);
}
