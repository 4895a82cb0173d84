import {
  type Action,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type TargetGroupTuple,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsErrorName, errorMessage, unavailableAs } from '#adapters/aws/aws-errors.ts';
import type { AwsClientSource } from '#adapters/aws/client-source.ts';
import {
  InvalidTargetsError,
  RouteDriftedError,
  RouterUnavailableError,
  UnsupportedRouteError,
} from '#core/errors.ts';
import type { RouteReading, Router } from '#core/ports.ts';
import type { Target } from '#core/shapes.ts';
import { routeCalls, unlessAbsent } from '../route-calls.ts';
import { SIDE_ROUTE_TAG } from '../target-groups/side-rules.ts';
import {
  assertWritable,
  digestOf,
  fromWireWeight,
  startingPoint,
  toWireWeight,
} from '../target-groups/weights.ts';
import { ALB_MAX_TARGET_GROUPS, type AlbRouterConfig, albKind } from './kind.ts';
import { type AlbRuleShape, albSideRule, albSideRuleProblem } from './side-route.ts';

/** The rule's (or the listener's default) actions as read, and the listener or rule ARN. */
interface Raw {
  readonly arn: string;
  readonly actions: Action[];
  readonly revision: string;
}

/** A target group's name, from its ARN (arn:...:targetgroup/<name>/<id>). */
function targetGroupName(arn: string): string | undefined {
  return /:targetgroup\/([^/]+)\/[^/]+$/.exec(arn)?.[1];
}

/**
 * A Router over an Application Load Balancer listener rule's forward action, or the listener's default
 * actions when the profile names no rule. Targets are target groups by name (ELB names are unique per
 * account and region, and are part of the ARN). ModifyRule is sent the rule's actions only, so its
 * conditions, priority and transforms stay as they are; every action but the forward one, and the
 * forward action's stickiness and order, go back exactly as read.
 */
export function createAlbRouter(client: ElasticLoadBalancingV2Client, config: AlbRouterConfig): Router {
  const { listenerArn, ruleArn } = config;
  const routeId = albKind.routeLabel(config);
  const kept = new WeakMap<RouteReading, Raw>();
  /** Target group ARNs by name, learnt from actions and DescribeTargetGroups. */
  const arnOf = new Map<string, string>();

  const call = routeCalls({
    routeId,
    notFound: ['RuleNotFoundException', 'ListenerNotFoundException'],
    missing: `ELB has no ${ruleArn === undefined ? `listener ${listenerArn}` : `rule ${ruleArn}`}`,
  });

  async function fetch(): Promise<Raw> {
    if (ruleArn === undefined) {
      const out = await call('DescribeListeners', () =>
        client.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })),
      );
      const listener = out.Listeners?.[0];
      if (!listener?.DefaultActions) {
        throw new UnsupportedRouteError(`DescribeListeners for ${routeId} returned no default actions`);
      }
      return {
        arn: listener.ListenerArn ?? listenerArn,
        actions: listener.DefaultActions,
        revision: digestOf(listener),
      };
    }
    const out = await call('DescribeRules', () =>
      client.send(new DescribeRulesCommand({ RuleArns: [ruleArn] })),
    );
    const rule = out.Rules?.[0];
    if (!rule?.Actions) throw new UnsupportedRouteError(`DescribeRules for ${routeId} returned no actions`);
    return { arn: rule.RuleArn ?? ruleArn, actions: rule.Actions, revision: digestOf(rule) };
  }

  /** The one forward action and its target groups (a bare TargetGroupArn is one group of weight 1). */
  function forwardOf(raw: Raw): { index: number; groups: TargetGroupTuple[] } {
    const forwards = raw.actions.map((a, index) => ({ a, index })).filter(({ a }) => a.Type === 'forward');
    if (forwards.length !== 1) {
      throw new UnsupportedRouteError(
        `${routeId} has ${forwards.length} forward actions; stepshift shifts the weights of exactly one`,
      );
    }
    const { a, index } = forwards[0]!;
    const groups =
      a.ForwardConfig?.TargetGroups ??
      (a.TargetGroupArn ? [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }] : []);
    return { index, groups };
  }

  function readingOf(raw: Raw): RouteReading {
    const targets: Target[] = forwardOf(raw).groups.map((g) => {
      const name = targetGroupName(g.TargetGroupArn ?? '');
      if (name === undefined) {
        throw new UnsupportedRouteError(
          `${routeId} forwards to "${g.TargetGroupArn}", which is not a target group ARN`,
        );
      }
      arnOf.set(name, g.TargetGroupArn as string);
      // ELB reports a weight for every group of a ForwardConfig; 1 is its default when none was given.
      return { name, weight: fromWireWeight(g.Weight ?? 1) };
    });
    return { routeId, arn: raw.arn, targets, revision: raw.revision };
  }

  async function read(): Promise<{ reading: RouteReading; raw: Raw }> {
    const raw = await fetch();
    const reading = readingOf(raw);
    kept.set(reading, raw);
    return { reading, raw };
  }

  /** The target group's ARN, or undefined when ELB has no group of that name. */
  async function resolve(name: string): Promise<string | undefined> {
    const known = arnOf.get(name);
    if (known) return known;
    try {
      const out = await client.send(new DescribeTargetGroupsCommand({ Names: [name] }));
      const arn = out.TargetGroups?.[0]?.TargetGroupArn;
      if (arn) arnOf.set(name, arn);
      return arn;
    } catch (error) {
      unlessAbsent('DescribeTargetGroups', error, ['TargetGroupNotFoundException']);
      return undefined;
    }
  }

  /** The release rule's priority, conditions, actions, transforms and whether it is the default: what a side rule copies. */
  async function ruleShape(): Promise<AlbRuleShape | undefined> {
    if (ruleArn === undefined) return undefined;
    const out = await call('DescribeRules', () =>
      client.send(new DescribeRulesCommand({ RuleArns: [ruleArn] })),
    );
    const rule = out.Rules?.[0];
    return {
      isDefault: rule?.IsDefault,
      priority: rule?.Priority,
      conditions: rule?.Conditions,
      actions: rule?.Actions,
      transforms: rule?.Transforms,
    };
  }

  /**
   * The listener's rule tagged as this side route's. ALB rules have no names and CreateRule takes no
   * client token, so stepshift tags the rule it creates and finds it by the tag: a tag says whose rule
   * it is even after a person changes the release rule's priority or conditions, which looking for a
   * rule of the same priority and conditions would not.
   */
  async function sideRuleNamed(name: string): Promise<{ arn: string; priority?: string } | undefined> {
    const rules: { arn: string; priority?: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await call('DescribeRules', () =>
        client.send(
          new DescribeRulesCommand({
            ListenerArn: listenerArn,
            ...(marker === undefined ? {} : { Marker: marker }),
          }),
        ),
      );
      for (const r of page.Rules ?? []) {
        if (r.RuleArn && !r.IsDefault && r.RuleArn !== ruleArn) {
          rules.push({ arn: r.RuleArn, ...(r.Priority === undefined ? {} : { priority: r.Priority }) });
        }
      }
      marker = page.NextMarker ?? undefined;
    } while (marker);
    // DescribeTags takes at most 20 resources a call.
    for (let i = 0; i < rules.length; i += 20) {
      const batch = rules.slice(i, i + 20);
      const out = await call('DescribeTags', () =>
        client.send(new DescribeTagsCommand({ ResourceArns: batch.map((r) => r.arn) })),
      );
      const tagged = (out.TagDescriptions ?? []).find((d) =>
        (d.Tags ?? []).some((t) => t.Key === SIDE_ROUTE_TAG && t.Value === name),
      );
      if (tagged) return batch.find((r) => r.arn === tagged.ResourceArn);
    }
    return undefined;
  }

  return {
    routeId,
    maxTargets: ALB_MAX_TARGET_GROUPS,

    async read() {
      return (await read()).reading;
    },

    async sideRouteProblem(side) {
      const problem = albSideRuleProblem(routeId, await ruleShape(), side);
      if (problem) return problem;
      const left = await sideRuleNamed(side.name);
      if (left) {
        return `a rule tagged ${SIDE_ROUTE_TAG}=${side.name} is already on listener ${listenerArn}, left by a release that did not end cleanly; delete it (aws elbv2 delete-rule --rule-arn ${left.arn}) and start the release again`;
      }
      return undefined;
    },

    async openSideRoute(side) {
      const arn = await resolve(side.target.name);
      if (arn === undefined) {
        throw new InvalidTargetsError(
          `Refusing to open a side rule on ${routeId}: ELB has no target group named "${side.target.name}"`,
        );
      }
      const rule = albSideRule(routeId, await ruleShape(), side, arn);
      // No client token: a retry first looks for the rule its earlier attempt may have made.
      const made = await sideRuleNamed(side.name);
      if (made && Number(made.priority) === rule.Priority) return;
      if (made) {
        // Prepare found none, so this execution made it, with the release rule at another priority.
        throw new RouteDriftedError(
          `${side.name} is on listener ${listenerArn} at priority ${made.priority}, not ${rule.Priority}: the release rule moved since; stepshift leaves both and does not release through them`,
        );
      }
      try {
        await client.send(
          new CreateRuleCommand({
            ListenerArn: listenerArn,
            ...rule,
            Tags: [{ Key: SIDE_ROUTE_TAG, Value: side.name }],
          }),
        );
      } catch (error) {
        if (!['PriorityInUse', 'PriorityInUseException'].includes(awsErrorName(error) ?? ''))
          throw unavailableAs('CreateRule', error, RouterUnavailableError);
        // Our rule, made by an attempt whose answer was lost after the look above; any other rule at
        // that priority is not ours.
        const found = await sideRuleNamed(side.name);
        if (found && Number(found.priority) === rule.Priority) return;
        throw new RouteDriftedError(
          `CreateRule ${side.name}: listener ${listenerArn} already has a rule at priority ${rule.Priority} (${errorMessage(error)}); stepshift leaves it and does not release through it`,
        );
      }
    },
    async closeSideRoute(name) {
      const found = await sideRuleNamed(name);
      if (!found) return false;
      try {
        await client.send(new DeleteRuleCommand({ RuleArn: found.arn }));
        return true;
      } catch (error) {
        unlessAbsent('DeleteRule', error, ['RuleNotFoundException', 'RuleNotFound']);
        return false;
      }
    },

    async write(targets, _idempotencyKey, basedOn) {
      // ModifyRule and ModifyListener take no client token; a retry writes the same weights again,
      // which leaves the rule as the first write did.
      assertWritable(routeId, targets, ALB_MAX_TARGET_GROUPS, 'ALB');
      const raw = await startingPoint(routeId, basedOn, kept, read);
      const { index } = forwardOf(raw);
      const TargetGroups: TargetGroupTuple[] = [];
      for (const t of targets) {
        const arn = await resolve(t.name);
        if (arn === undefined) {
          throw new InvalidTargetsError(
            `Refusing to write ${routeId}: ELB has no target group named "${t.name}"`,
          );
        }
        TargetGroups.push({ TargetGroupArn: arn, Weight: toWireWeight(t.weight) });
      }
      const actions = raw.actions.map((action, i): Action => {
        if (i !== index) return keepAction(action);
        // TargetGroupArn may stand only for a single group; the ForwardConfig says it all, with the
        // action's stickiness and order as read.
        const { TargetGroupArn: _single, ...rest } = action;
        return { ...rest, ForwardConfig: { ...action.ForwardConfig, TargetGroups } };
      });
      if (ruleArn === undefined) {
        await call('ModifyListener', () =>
          client.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: actions })),
        );
      } else {
        await call('ModifyRule', () =>
          client.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: actions })),
        );
      }
      return (await read()).reading;
    },

    async targetExists(name) {
      const arn = await resolve(name);
      if (arn === undefined) return false;
      try {
        const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
        // A group no listener forwards to yet is not health checked: its targets are "unused" with
        // Target.NotInUse until the first step sends it traffic, so that counts as ready too. The same
        // reason also covers a target in an Availability Zone the load balancer does not enable, which
        // this cannot tell apart: the first step's checks then find the canary unhealthy.
        return (out.TargetHealthDescriptions ?? []).some(
          (d) =>
            d.TargetHealth?.State === 'healthy' ||
            (d.TargetHealth?.State === 'unused' && d.TargetHealth.Reason === 'Target.NotInUse'),
        );
      } catch (error) {
        unlessAbsent('DescribeTargetHealth', error, ['TargetGroupNotFoundException']);
        return false;
      }
    },

    async targetNames() {
      // Every group, not only the load balancer's: the new version's group is attached by its first
      // step. DescribeTargetGroups without names pages by Marker (ELB API reference).
      const names: string[] = [];
      let Marker: string | undefined;
      do {
        const page = await call('DescribeTargetGroups', () =>
          client.send(new DescribeTargetGroupsCommand(Marker ? { Marker } : {})),
        );
        for (const group of page.TargetGroups ?? []) {
          if (!group.TargetGroupName) continue;
          names.push(group.TargetGroupName);
          if (group.TargetGroupArn) arnOf.set(group.TargetGroupName, group.TargetGroupArn);
        }
        Marker = page.NextMarker ?? undefined;
      } while (Marker);
      return names;
    },
  };
}

/**
 * An action sent back as read. DescribeRules never returns an OIDC client secret, and ModifyRule
 * refuses an authenticate-oidc action without one unless told to keep the existing secret.
 */
function keepAction(action: Action): Action {
  if (
    action.Type === 'authenticate-oidc' &&
    action.AuthenticateOidcConfig &&
    !action.AuthenticateOidcConfig.ClientSecret
  ) {
    return {
      ...action,
      AuthenticateOidcConfig: { ...action.AuthenticateOidcConfig, UseExistingClientSecret: true },
    };
  }
  return action;
}

/** The ALB router over the functions' SDK clients; routers/adapters.ts imports this module on first use. */
export function albRouterOver(aws: AwsClientSource, config: AlbRouterConfig): Router {
  return createAlbRouter(aws.client(ElasticLoadBalancingV2Client), config);
}
