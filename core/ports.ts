import type { DeploymentConfigLookup } from './codedeploy-configs.ts';
import type { ReleaseControls, TaskCallbacks } from './controls.ts';
import type { ReleaseEvent } from './events.ts';
import type { HookRunner } from './hooks.ts';
import type { ReleaseLedger } from './ledger.ts';
import type { ExecutionStatus, ReleaseSnapshots, RouteLocks } from './locks.ts';
import type { MetricQuery } from './metric-query.ts';
import type { RouterConfig } from './profile.ts';
import type { EcsServices } from './readiness.ts';
import type { SideRoute } from './side-route.ts';
import type { Target } from './targets.ts';

/** What a router read: the route's identity, its weighted targets, and a revision that rises on writes. */
export interface RouteReading {
  readonly routeId: string;
  /** The route's ARN, where the router has one: what the route lock is keyed by. */
  readonly arn?: string;
  readonly targets: readonly Target[];
  readonly revision: string;
}

/**
 * Where the weights live. Every backend (App Mesh, VPC Lattice, ALB) implements these
 * few methods; policy (what to write, when, and what counts as drift) stays in core.
 */
export interface Router {
  /** A human-readable id for logs and errors, e.g. "appmesh:shop/orders/orders". */
  readonly routeId: string;
  read(): Promise<RouteReading>;
  /** How many weighted targets one route may hold (App Mesh and Lattice: 10, ALB: 5). */
  readonly maxTargets: number;
  /**
   * Writes these targets and weights, keeping every other part of the route as it is, then reads the
   * route back and returns what it holds. A router whose API takes a client token (App Mesh) sends the
   * idempotencyKey, so a retried write is a no-op; the others (Lattice, ALB) take none and write
   * absolute weights, so a retry writes the same weights again.
   * `basedOn` is the reading the release checked: a router writes the rest of the route as that
   * reading found it, without reading again. Given a reading it did not make, it reads the route and
   * refuses (RouteDrifted) if the weights differ from the reading's.
   */
  write(targets: readonly Target[], idempotencyKey: string, basedOn?: RouteReading): Promise<RouteReading>;
  /**
   * Whether a target of this name is there to receive traffic: an App Mesh virtual node in the mesh; a
   * Lattice or ELB target group with a healthy (or not yet health-checked) target.
   */
  targetExists(name: string): Promise<boolean>;
  /**
   * Side routes (blue/green's test route, A/B's cohort route): a route of stepshift's own beside the
   * release's route, matching what it matches plus some headers, sending all of that to the new
   * version. A router that cannot have one leaves these three out, and Prepare refuses the strategy.
   * Why this router cannot open this side route (no room above the route, no headers to match), or
   * undefined when it can.
   */
  sideRouteProblem?(side: SideRoute): Promise<string | undefined>;
  /** Creates the side route; safe to retry: a route it already created under this key is left as it is. */
  openSideRoute?(side: SideRoute, idempotencyKey: string): Promise<void>;
  /** Deletes the side route of this name; false when there was none (already removed, or never made). */
  closeSideRoute?(name: string): Promise<boolean>;
}

export type RouterFactory = (config: RouterConfig) => Router;

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmReading {
  readonly name: string;
  readonly type: 'metric' | 'composite';
  readonly state: AlarmState;
  /** CloudWatch's StateReason: for metric alarms it carries the datapoint and the threshold. */
  readonly reason?: string;
  /** When the alarm last changed state (CloudWatch's StateTransitionedTimestamp). */
  readonly changedAt?: Date;
  /** For metric alarms with a static threshold: the latest datapoint evaluated, against the threshold. */
  readonly measurement?: {
    readonly value?: number;
    readonly threshold: number;
    readonly comparison: string;
  };
}

export interface AlarmChange {
  readonly at: Date;
  readonly state: AlarmState;
}

/** What to read from CloudWatch in one GetMetricData call: the queries, over [start, end). */
export interface MetricRead {
  readonly queries: readonly MetricQuery[];
  readonly start: Date;
  readonly end: Date;
}

/** One returned query's datapoints, oldest first. */
export interface MetricSeries {
  readonly id: string;
  readonly timestamps: readonly Date[];
  readonly values: readonly number[];
}

export interface HealthSource {
  /** The named alarms, metric and composite alike; alarms that do not exist are left out. */
  readAlarms(names: readonly string[]): Promise<AlarmReading[]>;
  /** The states an alarm entered after `since`, oldest first (its state history). */
  changesSince(name: string, since: Date): Promise<AlarmChange[]>;
  /** The datapoints of every query that returns data, all pages of one GetMetricData request. */
  readMetrics(read: MetricRead): Promise<MetricSeries[]>;
}

export interface EventSink {
  emit(event: ReleaseEvent): void | Promise<void>;
}

export interface Clock {
  now(): Date;
}

/**
 * Where a service's release profile comes from (the profiles deployed with the functions); core
 * validates what it returns. Only Prepare and the alarm function read it.
 */
export interface ProfileSource {
  profileFor(service: string): Promise<unknown | undefined>;
  /** Names of the services that have a profile, for error messages. */
  services(): Promise<string[]>;
  /**
   * Every profile, unvalidated: an ECR push names a repository, not a service, so finding the service
   * means reading each profile's source.
   */
  all(): Promise<unknown[]>;
}

/**
 * The profile one release runs with, as Prepare stored it beside the release's snapshot: the states
 * after Prepare load it from here by execution, never from the deployed profiles.
 */
export interface StoredProfile {
  readonly executionId: string;
  /** sha256 of `json`, in hex: what the release state carries instead of the profile. */
  readonly digest: string;
  /** The profile's canonical JSON (RFC 8785). */
  readonly json: string;
}

/** The profiles of running releases, one per execution. */
export interface ReleaseProfiles {
  put(stored: StoredProfile): Promise<void>;
  /** As stored, unchecked (core/release/wire.ts checks it); undefined when there is none. */
  get(executionId: string): Promise<StoredProfile | undefined>;
}

/** CodeDeploy's deployment configurations, read by name (GetDeploymentConfig). */
export interface DeploymentConfigs {
  /** The configuration's traffic routing; "nothing" when no configuration has that name. */
  trafficRouting(name: string): Promise<DeploymentConfigLookup>;
}

/** Everything the release core needs from the outside world. */
export interface ReleaseDeps {
  readonly ledger: ReleaseLedger;
  readonly locks: RouteLocks;
  readonly snapshots: ReleaseSnapshots;
  /** The profile each release runs with, by execution: written by Prepare, read by every later state. */
  readonly releaseProfiles: ReleaseProfiles;
  readonly executions: ExecutionStatus;
  readonly routerFor: RouterFactory;
  readonly health: HealthSource;
  readonly events: EventSink;
  readonly clock: Clock;
  readonly profiles: ProfileSource;
  /** Where a running release keeps its bake's task token and hears operator requests. */
  readonly controls: ReleaseControls;
  /** Ends a waiting bake early (an alarm, an operator). */
  readonly callbacks: TaskCallbacks;
  /** Runs the profile's Lambda and webhook hooks. */
  readonly hooks: HookRunner;
  /** The new version's ECS service, for readiness (profile.targets.ecsService). */
  readonly ecs: EcsServices;
  /** Where Prepare reads a custom CodeDeploy configuration a strategy names. */
  readonly deploymentConfigs: DeploymentConfigs;
}
