import { expect } from 'vitest';
import type { RehearsalReport } from '#rehearsal/run.ts';
import type { Scenario } from '#rehearsal/scenario.ts';

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
 * DESIGN.md's invariant, checked on a finished rehearsal: every route the world started with ends
 * with its weights either as they were (the snapshot) or fully promoted (the canary at 100, the old
 * stable gone, other targets untouched), every other field of it unchanged, and no route locked.
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
  for (const start of routes) {
    const end = report.finalRoutes.find(
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
