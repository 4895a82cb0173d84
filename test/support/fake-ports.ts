import { createStaticProfileSource } from '#adapters/config/static-profile-source.ts';
import { FencedOutError, RouteDriftedError } from '#core/errors.ts';
import { FIRST_FENCE } from '#core/locks.ts';
import type {
  AlarmChange,
  AlarmReading,
  CallbackResult,
  ControlChange,
  DeploymentConfigLookup,
  DeploymentConfigs,
  Fence,
  HeldLock,
  OpenedControl,
  ReleaseControl,
  ReleaseControls,
  ReleaseDeps,
  ReleaseLedger,
  ReleaseProfiles,
  ReleaseRecord,
  ReleaseSnapshot,
  ReleaseSnapshots,
  RouteLock,
  RouteLocks,
  RouteReading,
  Router,
  StoredProfile,
  TaskCallbacks,
} from '#core/ports.ts';
import type { ReleaseEvent, Target } from '#core/shapes.ts';
import { sameWeights } from '#core/targets.ts';
import { routerKinds } from '#routers/registry.ts';

/** An in-memory router that records writes; `edit` plays a person changing the route by hand. */
export class FakeRouter implements Router {
  readonly routeId = 'appmesh:shop/orders-router/orders-route';
  readonly maxTargets = 10;
  /** Runs inside write(), after the release's own read: someone editing the route in between. */
  beforeWrite: (() => void) | undefined;
  readonly writes: { targets: Target[]; key: string }[] = [];
  revision = 1;
  nodes = new Set(['orders-v1', 'orders-v2']);
  /** When set, a write stores these instead (a router that silently ignores writes). */
  ignoreWrites = false;

  constructor(public targets: Target[]) {}

  async read(): Promise<RouteReading> {
    return {
      routeId: this.routeId,
      targets: this.targets.map((t) => ({ ...t })),
      revision: String(this.revision),
    };
  }

  async write(targets: readonly Target[], key: string, basedOn?: RouteReading): Promise<RouteReading> {
    this.beforeWrite?.();
    // The port's contract for a router that reads again before writing.
    if (basedOn !== undefined && !sameWeights(this.targets, basedOn.targets)) {
      throw new RouteDriftedError(`${this.routeId} changed between the check and the write`);
    }
    this.writes.push({ targets: targets.map((t) => ({ ...t })), key });
    if (!this.ignoreWrites) {
      this.targets = targets.map((t) => ({ ...t }));
      this.revision++;
    }
    return this.read();
  }

  async targetExists(name: string): Promise<boolean> {
    return this.nodes.has(name);
  }

  edit(targets: Target[]): void {
    this.targets = targets;
    this.revision++;
  }
}

/** Release ids claimed in memory: first claim wins, as the DynamoDB ledger's conditional write. */
export class FakeLedger implements ReleaseLedger {
  readonly records = new Map<string, ReleaseRecord>();

  async claim(record: ReleaseRecord): Promise<ReleaseRecord> {
    const key = `${record.service}#${record.releaseId}`;
    const holder = this.records.get(key) ?? record;
    this.records.set(key, holder);
    return holder;
  }
}

/** Snapshot records in memory; Prepare writes them with the lock (FakeLocks), as the table adapter does. */
export class FakeSnapshots implements ReleaseSnapshots {
  readonly stored = new Map<string, ReleaseSnapshot>();

  async get(executionId: string): Promise<ReleaseSnapshot | undefined> {
    return this.stored.get(executionId);
  }
}

/** Route locks in memory, with the DynamoDB adapter's conditions: the lock and its snapshot written together. */
export class FakeLocks implements RouteLocks {
  readonly held = new Map<string, HeldLock>();

  constructor(readonly snapshots: FakeSnapshots = new FakeSnapshots()) {}

  async acquire(lock: RouteLock, snapshot: ReleaseSnapshot): Promise<HeldLock> {
    const holder = this.held.get(lock.routeKey);
    if (holder && (holder.executionId !== lock.executionId || this.guarded.has(lock.routeKey))) {
      if (holder.executionId === lock.executionId) throw new FencedOutError('the guard took it over');
      return holder;
    }
    return this.#take(lock, snapshot);
  }

  #take(lock: RouteLock, snapshot: ReleaseSnapshot): HeldLock {
    const held = { ...lock, fence: FIRST_FENCE };
    this.held.set(lock.routeKey, held);
    this.snapshots.stored.set(snapshot.executionId, snapshot);
    return held;
  }

  /** Route key -> until when the guard is at work on it (ISO 8601). */
  readonly guarded = new Map<string, string>();

  async takeOver(lock: RouteLock, from: string, snapshot: ReleaseSnapshot): Promise<boolean> {
    if (this.held.get(lock.routeKey)?.executionId !== from) return false;
    const until = this.guarded.get(lock.routeKey);
    if (until !== undefined && until >= lock.acquiredAt) return false;
    this.guarded.delete(lock.routeKey);
    this.#take(lock, snapshot);
    return true;
  }

  async guard(routeKey: string, executionId: string, until: string): Promise<number | undefined> {
    const holder = this.held.get(routeKey);
    if (holder?.executionId !== executionId) return undefined;
    this.guarded.set(routeKey, until);
    const fence = holder.fence + 1;
    this.held.set(routeKey, { ...holder, fence, guardedUntil: until });
    return fence;
  }

  async holds(fence: Fence): Promise<boolean> {
    const holder = this.held.get(fence.routeKey);
    return holder?.executionId === fence.executionId && holder.fence === fence.fence;
  }

  async release(fence: Fence): Promise<void> {
    if (!(await this.holds(fence))) return;
    this.held.delete(fence.routeKey);
    this.guarded.delete(fence.routeKey);
  }

  async holder(routeKey: string): Promise<HeldLock | undefined> {
    return this.held.get(routeKey);
  }
}

/** The profiles releases run with, in memory, by execution (the table's execution#<arn> / profile). */
export class FakeReleaseProfiles implements ReleaseProfiles {
  readonly stored = new Map<string, StoredProfile>();

  async put(stored: StoredProfile): Promise<void> {
    this.stored.set(stored.executionId, stored);
  }

  async get(executionId: string): Promise<StoredProfile | undefined> {
    return this.stored.get(executionId);
  }
}

/** Release controls in memory, with the DynamoDB adapter's conditions. */
export class FakeControls implements ReleaseControls {
  readonly stored = new Map<string, ReleaseControl>();
  /** Service -> the release that runs it, and its execution. */
  readonly running = new Map<string, { releaseId: string; executionId: string }>();

  async open(control: OpenedControl, replacing?: string) {
    const current = this.stored.get(control.releaseId);
    if (current && current.executionId !== control.executionId && current.executionId !== replacing)
      return current;
    this.stored.set(control.releaseId, { ...control });
    this.running.set(control.service, { releaseId: control.releaseId, executionId: control.executionId });
    return control;
  }

  async waiting(releaseId: string, executionId: string, taskToken: string, since: string) {
    const current = this.stored.get(releaseId);
    if (current?.executionId !== executionId) return undefined;
    const next = { ...current, taskToken, waitingSince: since };
    this.stored.set(releaseId, next);
    return next;
  }

  async get(releaseId: string) {
    return this.stored.get(releaseId);
  }

  async forService(service: string) {
    const running = this.running.get(service);
    const control = running && this.stored.get(running.releaseId);
    return control?.service === service && control.executionId === running?.executionId ? control : undefined;
  }

  async request(releaseId: string, change: ControlChange) {
    const current = this.stored.get(releaseId);
    if (!current) return undefined;
    const next = Object.fromEntries(
      Object.entries({ ...current, ...change }).filter(([, v]) => v !== null),
    ) as unknown as ReleaseControl;
    this.stored.set(releaseId, next);
    return next;
  }

  async close(releaseId: string, service: string, executionId: string) {
    if (this.stored.get(releaseId)?.executionId === executionId) this.stored.delete(releaseId);
    if (this.running.get(service)?.executionId === executionId) this.running.delete(service);
  }
}

/** Callbacks recorded in memory; tokens in `expired` answer as Step Functions does for a finished task. */
export class FakeCallbacks implements TaskCallbacks {
  readonly sent: { token: string; output?: unknown; error?: string; cause?: string }[] = [];
  readonly expired = new Set<string>();

  async succeed(token: string, output: unknown): Promise<CallbackResult> {
    if (this.expired.has(token)) return 'expired';
    this.sent.push({ token, output });
    return 'delivered';
  }

  async fail(token: string, error: string, cause: string): Promise<CallbackResult> {
    if (this.expired.has(token)) return 'expired';
    this.sent.push({ token, error, cause });
    return 'delivered';
  }
}

/** CodeDeploy's configurations as a test declares them; names it does not declare do not exist. */
export class FakeDeploymentConfigs implements DeploymentConfigs {
  readonly known = new Map<string, DeploymentConfigLookup>();
  readonly asked: string[] = [];
  async trafficRouting(name: string): Promise<DeploymentConfigLookup> {
    this.asked.push(name);
    return this.known.get(name) ?? { found: 'nothing' };
  }
}

/**
 * Ports for core tests. `profile` is the service's profile; `otherProfiles` are the rest of the team's
 * (an ECR push is matched against all of them).
 */
export function fakeDeps(
  router: FakeRouter,
  profile: unknown,
  alarms: AlarmReading[] = [],
  changes: Record<string, AlarmChange[]> = {},
  otherProfiles: unknown[] = [],
) {
  const events: ReleaseEvent[] = [];
  const locks = new FakeLocks();
  const deps: ReleaseDeps = {
    routerFor: () => router,
    routerKinds,
    health: {
      readAlarms: async (names) => alarms.filter((a) => names.includes(a.name)),
      changesSince: async (name, since) => (changes[name] ?? []).filter((c) => c.at > since),
      readMetrics: async () => [],
    },
    events: { emit: (e) => void events.push(e) },
    clock: { now: () => new Date(0) },
    profiles: createStaticProfileSource([profile, ...otherProfiles]),
    ledger: new FakeLedger(),
    locks,
    snapshots: locks.snapshots,
    releaseProfiles: new FakeReleaseProfiles(),
    executions: { isRunning: async () => true, ending: async () => undefined },
    controls: new FakeControls(),
    callbacks: new FakeCallbacks(),
    ecs: { describe: async () => undefined },
    hooks: { run: async () => ({ result: 'pass' as const, reason: 'no hooks in this test' }) },
    deploymentConfigs: new FakeDeploymentConfigs(),
  };
  return { deps, events, alarms };
}

export const execution = { Id: 'arn:aws:states:us-east-1:123456789012:execution:stepshift:r1', Name: 'r1' };

/** The events of these types, in order. */
export const ofType = <E extends { readonly type: string }>(events: readonly E[], ...types: string[]): E[] =>
  events.filter((e) => types.includes(e.type));
