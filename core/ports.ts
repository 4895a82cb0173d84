import type * as z from 'zod/mini';
import type {
  CalledHook,
  Cast,
  HookPhase,
  MetricQuery,
  ReleaseEvent,
  RouterConfig,
  SideRoute,
  Target,
} from './shapes.ts';

/**
 * Every port of core: what the release needs of the world, as interfaces the adapters (adapters/,
 * routers/) implement and the rehearsal wires to a simulated AWS. This module is a leaf: it imports
 * only the plain records of ./shapes.ts, so no module that core's ports name can form a cycle with it.
 */

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
   * What this router's service would refuse, or could not hold, in releasing the new version through
   * the route as read (a Lambda alias on $LATEST, versions with different execution roles), each as a
   * sentence; a router whose every such limit core checks leaves it out.
   */
  releaseProblems?(reading: RouteReading, canary: string): Promise<string[]>;
  /**
   * Every target this router could send the route's traffic to, by name (App Mesh: the mesh's virtual
   * nodes; Lattice, ALB: target groups; Lambda: published versions), for `stepshift doctor`.
   */
  targetNames?(): Promise<string[]>;
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

/**
 * The Router of a profile's router block. On AWS it loads that router's code on first use, so it may
 * answer with a promise.
 */
export type RouterFactory = (config: RouterConfig) => Router | Promise<Router>;

/**
 * What core needs to know of a router type, without any of its code: the schema of its profile block,
 * how logs name its route, what its target names may be, and whether it can open side routes. The
 * router kinds reach core from routers/registry.ts through the composition roots (ReleaseDeps.routerKinds,
 * parseProfile's kinds), so core never imports a router.
 */
export interface RouterKind {
  /** The profile's router.type, such as "appmesh". */
  readonly type: string;
  /** The product, for sentences: "App Mesh". */
  readonly title: string;
  /**
   * The router block's schema: a strict object whose "type" is this kind's literal, so that the
   * profile's router union can tell the kinds apart by it (profileSchemaFor).
   */
  readonly configSchema: z.ZodMiniType<RouterConfig>;
  /** How logs, errors and the CLI name the route, e.g. "appmesh:shop/orders-router/orders-route". */
  routeLabel(config: RouterConfig): string;
  /**
   * Why the profile's targets.canary template cannot name this router's targets, or undefined. The
   * profile holds every template to App Mesh's name rule, the widest; a router with narrower names
   * says here, and says nothing of a template that rule refuses (that is told once).
   */
  targetTemplateProblem(template: string): string | undefined;
  /** Whether this router opens blue/green's and A/B's side routes (its Router has the three methods). */
  readonly sideRoutes: boolean;
}

/** The router kinds a deployment knows, in the order sentences list them. */
export type RouterKinds = readonly RouterKind[];

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

/** Who holds a route: one release at a time may move its weights. */
export interface RouteLock {
  /** The route's ARN (its id when the router has none): the lock's key. */
  readonly routeKey: string;
  /** The execution that holds the route. */
  readonly executionId: string;
  readonly releaseId: string;
  readonly service: string;
  readonly version: string;
  /** ISO 8601. */
  readonly acquiredAt: string;
}

/** A lock as the table holds it: the holder and its fence. */
export interface HeldLock extends RouteLock {
  /**
   * The epoch of this holding. An execution writes to its route only while the lock names it at the
   * fence it took the route with; the guard raises the fence when it takes over, so a task still
   * running after its execution was stopped finds itself fenced out.
   */
  readonly fence: number;
  /** Set while the guard holds the route for an ended execution (ISO 8601): until when, at the latest. */
  readonly guardedUntil?: string;
}

/** What a writer must still hold, right before and after it writes: its route, as this execution, at this fence. */
export interface Fence {
  readonly routeKey: string;
  readonly executionId: string;
  readonly fence: number;
}

/** Route locks, one per route, kept outside any one execution so that two executions see each other. */
export interface RouteLocks {
  /**
   * Takes the route for this lock's execution unless another execution holds it (or the guard is at
   * work on it), writing the lock and the execution's snapshot record in one transaction: either both
   * are written or neither. Returns the holder: this lock at FIRST_FENCE, or the one who holds it.
   */
  acquire(lock: RouteLock, snapshot: ReleaseSnapshot): Promise<HeldLock>;
  /**
   * Takes the route from `from`, an execution that no longer runs, with this execution's snapshot
   * record, in one transaction; false when someone else was quicker or the guard is at work on the
   * route (see `guard`).
   */
  takeOver(lock: RouteLock, from: string, snapshot: ReleaseSnapshot): Promise<boolean>;
  /**
   * Takes the route over for the guard after this execution ended: the lock stays with the execution,
   * marked as the guard's until `until` (ISO 8601) so no new release takes it meanwhile, and its fence
   * rises. Returns the guard's fence; undefined when this execution no longer holds the route.
   */
  guard(routeKey: string, executionId: string, until: string): Promise<number | undefined>;
  /** Whether the route is still held as this fence says (a strongly consistent read). */
  holds(fence: Fence): Promise<boolean>;
  /** Frees the route if it is held as this fence says; does nothing otherwise. */
  release(fence: Fence): Promise<void>;
  /** Who holds the route now, if anyone. */
  holder(routeKey: string): Promise<HeldLock | undefined>;
}

/**
 * What the guard needs to put a route back after an execution ended without doing so (stopped by a
 * person, timed out, or failed to roll back): written by Prepare with the lock, in one transaction.
 */
export interface ReleaseSnapshot {
  readonly executionId: string;
  readonly releaseId: string;
  readonly service: string;
  readonly version: string;
  readonly routeKey: string;
  readonly router: RouterConfig;
  readonly snapshot: readonly Target[];
  readonly cast: Cast;
  /** The weights of the plan's steps, to tell this release's weights from anyone else's. */
  readonly steps: readonly number[];
  /**
   * The side route's name, for blue/green and A/B: written before the route is created, so the guard
   * can remove it whatever moment the execution ended at.
   */
  readonly sideRoute?: string;
}

export interface ReleaseSnapshots {
  /**
   * The execution's snapshot record, checked to be one stepshift wrote; undefined when there is none.
   * @throws CorruptRecordError when the record fails the check: nothing in it may be written anywhere.
   */
  get(executionId: string): Promise<ReleaseSnapshot | undefined>;
}

/** How a Step Functions execution ended: its status, and for a failed one the error and cause. */
export interface ExecutionEnding {
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
}

/** Step Functions' word on an execution: still running (a lock held by one that is not is stale), how it ended. */
export interface ExecutionStatus {
  isRunning(executionId: string): Promise<boolean>;
  /** Undefined for an execution Step Functions does not know. */
  ending(executionId: string): Promise<ExecutionEnding | undefined>;
}

/** A request a person made of a release, with when they made it (ISO 8601). */
export interface Requested {
  readonly at: string;
  readonly by?: string;
}

/** One running release's controls: who runs it, the bake it waits in, and what people asked of it. */
export interface ReleaseControl {
  readonly releaseId: string;
  readonly service: string;
  /** The execution that runs the release: requests reach only it. */
  readonly executionId: string;
  /** The alarms this release reads (its profile's, or its request's overrides): only they end its bakes. */
  readonly alarms?: readonly string[];
  /** The task token of the bake the release waits in now; absent between bakes. */
  readonly taskToken?: string;
  /** When the release began to wait with that token (ISO 8601). */
  readonly waitingSince?: string;
  /** Roll back now. Sticky: once asked, the release rolls back at its next chance. */
  readonly abort?: Requested & { readonly reason?: string };
  /** Skip the rest of this step (or, with `full`, every remaining step). */
  readonly promote?: Requested & { readonly full: boolean };
  /** Hold at the current weight; analysis keeps running. Cleared by resume. */
  readonly paused?: Requested;
  readonly resumed?: Requested;
  /** A manual confirmPromotion hook's answer: stepshift approve, or reject with a reason. */
  readonly approved?: Requested;
  readonly rejected?: Requested & { readonly reason?: string };
}

/** What Prepare opens a release's controls with. */
export type OpenedControl = Pick<ReleaseControl, 'releaseId' | 'service' | 'executionId' | 'alarms'>;

/** A change a command writes; the field it names replaces the stored one, `paused: null` clears it. */
export type ControlChange =
  | { readonly abort: NonNullable<ReleaseControl['abort']> }
  | { readonly promote: NonNullable<ReleaseControl['promote']> }
  | { readonly paused: Requested }
  | { readonly paused: null; readonly resumed: Requested }
  | { readonly approved: Requested }
  | { readonly rejected: NonNullable<ReleaseControl['rejected']> };

/** The controls of running releases, one per release, found by release id or by service. */
export interface ReleaseControls {
  /**
   * Opens the controls of a release as it starts and returns the controls under its release id: these,
   * or those of another execution that opened them first (commands address a release by its id alone).
   * `replacing` names an execution that no longer runs, whose controls may be replaced.
   */
  open(control: OpenedControl, replacing?: string): Promise<OpenedControl>;
  /**
   * Records the bake this execution waits in; returns the controls, with whatever was asked meanwhile,
   * or undefined when the release's controls are not this execution's.
   */
  waiting(
    releaseId: string,
    executionId: string,
    taskToken: string,
    since: string,
  ): Promise<ReleaseControl | undefined>;
  /** The controls of a release, if it runs (or ran recently and did not close them). */
  get(releaseId: string): Promise<ReleaseControl | undefined>;
  /** The controls of the release of this service that runs now, if any. */
  forService(service: string): Promise<ReleaseControl | undefined>;
  /** Records a request; undefined when the release has no controls (not running). */
  request(releaseId: string, change: ControlChange): Promise<ReleaseControl | undefined>;
  /** Closes the controls of a release as it ends; does nothing when another execution owns them. */
  close(releaseId: string, service: string, executionId: string): Promise<void>;
}

/** How a callback reached the task it was meant for. */
export type CallbackResult = 'delivered' | 'expired';

/** Step Functions' callback API: ends a waiting task early. */
export interface TaskCallbacks {
  /** SendTaskSuccess; "expired" when the task no longer waits (it timed out or the execution ended). */
  succeed(taskToken: string, output: unknown): Promise<CallbackResult>;
  /** SendTaskFailure with an error name a Catch matches and a cause a person reads. */
  fail(taskToken: string, error: string, cause: string): Promise<CallbackResult>;
}

/** A release as the ledger remembers it: who started it, as which execution, and when. */
export interface ReleaseRecord {
  readonly releaseId: string;
  readonly service: string;
  readonly version: string;
  /** The Step Functions execution that runs the release. */
  readonly executionId: string;
  readonly routeId: string;
  /** ISO 8601. */
  readonly startedAt: string;
}

/**
 * Release ids that have been started. Triggers deliver at least once (EventBridge may repeat an event,
 * a person may press start twice), and an EventBridge rule cannot name the execution it starts, so
 * the release id itself is claimed: the first execution to claim it runs the release.
 */
export interface ReleaseLedger {
  /**
   * Claims the release id for this record's execution, and returns the record that holds it: this one,
   * or that of the execution that claimed it first. Claiming again from the same execution (a retried
   * Prepare) succeeds.
   */
  claim(record: ReleaseRecord): Promise<ReleaseRecord>;
}

/** An ECS service as DescribeServices reports it, reduced to what readiness needs. */
export interface EcsServiceReading {
  /** ACTIVE, DRAINING or INACTIVE. */
  readonly status: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  /** How many deployments the service has: more than one while a rollout runs. */
  readonly deployments: number;
}

/** Where the new version's ECS service is read from; undefined when ECS does not know it (MISSING). */
export interface EcsServices {
  describe(cluster: string, service: string): Promise<EcsServiceReading | undefined>;
}

/** What a hook is told: the release, the phase, and the route's weights. */
export interface HookCall {
  readonly releaseId: string;
  readonly service: string;
  readonly version: string;
  readonly phase: HookPhase;
  readonly step: number;
  readonly targets: readonly Target[];
  /** Only on `stepshift doctor --ping-webhooks`'s test call: answer 2xx, do nothing (docs/webhooks.md). */
  readonly ping?: true;
}

/** A hook's answer: pass or fail, with its reason in words. */
export interface HookResult {
  readonly result: 'pass' | 'fail';
  readonly reason: string;
}

/** Runs a Lambda or webhook hook; never throws for the hook's own failure, only returns "fail". */
export interface HookRunner {
  run(hook: CalledHook, call: HookCall): Promise<HookResult>;
}

/** A configuration's traffic routing, intervals in minutes as CodeDeploy gives them. */
export type TrafficRouting =
  | { readonly type: 'AllAtOnce' }
  | { readonly type: 'TimeBasedCanary'; readonly percentage: number; readonly intervalMinutes: number }
  | { readonly type: 'TimeBasedLinear'; readonly percentage: number; readonly intervalMinutes: number };

/** What GetDeploymentConfig told about a name: its routing, or why it has none. */
export type DeploymentConfigLookup =
  | { readonly found: 'traffic-routing'; readonly routing: TrafficRouting }
  | { readonly found: 'no-traffic-routing'; readonly computePlatform: string }
  | { readonly found: 'nothing' };

/** Everything the release core needs from the outside world. */
export interface ReleaseDeps {
  readonly ledger: ReleaseLedger;
  readonly locks: RouteLocks;
  readonly snapshots: ReleaseSnapshots;
  /** The profile each release runs with, by execution: written by Prepare, read by every later state. */
  readonly releaseProfiles: ReleaseProfiles;
  readonly executions: ExecutionStatus;
  readonly routerFor: RouterFactory;
  /** The router kinds profiles are parsed with (routers/registry.ts). */
  readonly routerKinds: RouterKinds;
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
