/**
 * The plain records core, its ports and its events carry: types only, importing nothing, so that any
 * module of core, any adapter and the simulator's readers can name them without a cycle. Schemas that
 * produce one of these shapes say so with `satisfies` where they are defined.
 */

/**
 * A weighted target as every router sees it: a name (App Mesh virtual node, Lattice or ALB target
 * group), a weight in percent, and the port some routers pin a target to.
 */
export interface Target {
  readonly name: string;
  readonly weight: number;
  readonly port?: number;
}

/** Who carries traffic when a release starts, and who it is moving to. */
export interface Cast {
  readonly stable: string;
  readonly canary: string;
}

/**
 * A router's block of a profile, as core sees it: its type, and fields only the router of that type
 * reads (routers/<name>/kind.ts narrows it with its own schema).
 */
export interface RouterConfig {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** One way to match a header's value: exactly one of these is set (App Mesh's HeaderMatchMethod). */
export interface HeaderMatchMethod {
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly regex?: string;
  readonly range?: { readonly start: number; readonly end: number };
}

/** One header a request must carry (or, with invert, must not): App Mesh's HttpRouteHeader. */
export interface HeaderMatch {
  readonly name: string;
  readonly match: HeaderMatchMethod;
  readonly invert?: boolean;
}

/**
 * A route of stepshift's own beside the release's route: the route's match plus `headers`, ahead of it,
 * sending every matching request to `target` (the new version). Blue/green's test route and A/B's
 * cohort route are both one.
 */
export interface SideRoute {
  /** stepshift-<service>-test or stepshift-<service>-cohort: named by stepshift, so IAM can be scoped to it. */
  readonly name: string;
  readonly headers: readonly HeaderMatch[];
  readonly target: Target;
}
/** What started a release. The console, the CLI and a CodePipeline Step Functions action all hand over
 * the request itself (CodePipeline passes its Input verbatim), so they cannot be told apart: "request".
 */
export type TriggerKind = 'request' | 'eventbridge' | 'ecr' | 'lambda';

/** The operator commands: `stepshift abort|promote|pause|resume|approve|reject <releaseId>`. */
export type OperatorCommand = 'abort' | 'promote' | 'pause' | 'resume' | 'approve' | 'reject';

/** When hooks run, by the names teams know from Flagger and CodeDeploy. */
export type HookPhase =
  | 'preRollout'
  | 'rollout'
  | 'confirmTrafficIncrease'
  | 'confirmPromotion'
  | 'postRollout'
  | 'rollback';

/** A Lambda function a hook invokes (its name or full ARN, as core/aws-names.ts allows). */
export interface LambdaHook {
  readonly name: string;
  readonly phase: HookPhase;
  readonly type: 'lambda';
  readonly functionName: string;
}

/** The Secrets Manager secret a webhook's requests carry: a signature, a header, or both. */
export interface WebhookSecret {
  readonly secretId: string;
  readonly sign: boolean;
  readonly header?: string;
}

/** An https:// endpoint a hook POSTs to. */
export interface WebhookHook {
  readonly name: string;
  readonly phase: HookPhase;
  readonly type: 'webhook';
  readonly url: string;
  /** How long one call may take, in seconds. */
  readonly timeout: number;
  readonly retries: number;
  readonly secret?: WebhookSecret;
}

/** A person's approval of the promotion (stepshift approve or reject). */
export interface ManualHook {
  readonly name: string;
  readonly phase: 'confirmPromotion';
  readonly type: 'manual';
  /** How long to wait for the person, in seconds. */
  readonly deadline: number;
  readonly onExpiry: 'rollback' | 'promote';
}

export type Hook = LambdaHook | WebhookHook | ManualHook;
/** A hook stepshift calls, rather than one a person answers. */
export type CalledHook = LambdaHook | WebhookHook;

/** A comparison's verdict, with "marginal" between a pass and a fail (core/health/judge.ts). */
export type ComparisonVerdict = 'pass' | 'marginal' | 'fail' | 'inconclusive';

/** One health signal's reading in one check, with the verdict and the words to show an operator. */
export interface Signal {
  readonly name: string;
  /** An alarm, a metric check with bounds, or a metric check comparing the canary with the stable. */
  readonly kind: 'alarm' | 'metric' | 'comparison' | 'hook';
  readonly value: string;
  /** Inconclusive: a metric check that neither passes nor fails this time (core/health/metric-verdicts.ts). */
  readonly verdict: 'pass' | 'fail' | 'ignored' | 'inconclusive';
  readonly detail: string;
  /** Set when the alarm fired after the last check and recovered before this one. */
  readonly betweenChecks?: true;
  /** Metric checks: how many samples were judged (the canary's, for a comparison). */
  readonly samples?: number;
  /** Comparisons: the judge's own verdict (marginal included) and its score, 0..100. */
  readonly judgement?: {
    readonly verdict: ComparisonVerdict;
    readonly score: number | null;
    readonly pValue: number | null;
  };
  /**
   * Metric checks: the numbers judged, for a chart or a report to draw rather than parse. A bound
   * check: the mean of its side's samples and its bounds. A comparison: both sides' medians, and the
   * bound the tolerance puts on the canary's (the stable's median moved by the tolerance, in the bad
   * direction); absent when a side has no values.
   */
  readonly measured?: {
    readonly canary?: number;
    readonly stable?: number;
    readonly min?: number;
    readonly max?: number;
  };
}

/**
 * One MetricDataQuery, as CloudWatch's GetMetricData takes it (core/profile/metric-query.ts holds a
 * profile's queries to the API reference's fields and limits).
 */
export interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: {
    readonly Metric: {
      readonly Namespace: string;
      readonly MetricName: string;
      readonly Dimensions?: readonly { readonly Name: string; readonly Value: string }[];
    };
    readonly Period: number;
    readonly Stat: string;
    readonly Unit?: string;
  };
  readonly Label?: string;
  readonly ReturnData?: boolean;
  readonly Period?: number;
  readonly AccountId?: string;
}

interface Base {
  readonly releaseId: string;
  readonly service: string;
}

/** Every event after Prepare knows the version being released. */
interface Known extends Base {
  readonly version: string;
}

/**
 * What a release tells the world as it goes: logged as JSON lines on AWS, printed as the rehearsal's
 * timeline. Every event that carries weights carries all of them.
 */
export type ReleaseEvent =
  | (Known & {
      readonly type: 'release.planned';
      /** What started the release: the request itself (console, CLI, CodePipeline), an EventBridge event, an ECR push. */
      readonly trigger: TriggerKind;
      readonly routeId: string;
      readonly stable: string;
      readonly canary: string;
      readonly snapshot: readonly Target[];
      readonly steps: readonly number[];
      /** The alarms every check reads; none means the release promotes on time alone. */
      readonly alarms: readonly string[];
      /** The metric checks every analysis judges, by name; absent when the profile has none. */
      readonly metrics?: readonly string[];
      readonly totalSeconds: number;
      readonly stateTransitions: number;
      readonly historyEvents: number;
      readonly priceUsd: number;
    })
  | (Known & {
      readonly type: 'traffic.shifted';
      readonly step: number;
      readonly steps: number;
      readonly targets: readonly Target[];
      /** The route already held these weights (a retried step), so nothing was written. */
      readonly unchanged: boolean;
    })
  | (Known & {
      readonly type: 'bake.started';
      readonly step: number;
      readonly check: number;
      readonly seconds: number;
    })
  | (Known & {
      readonly type: 'analysis.completed';
      readonly step: number;
      readonly check: number;
      readonly signals: readonly Signal[];
      readonly passed: boolean;
      readonly failedChecks: number;
      readonly failureThreshold: number;
    })
  | (Known & {
      readonly type: 'release.halted';
      readonly error: string;
      readonly reason: string;
      /** The failed signals in brief ("orders-5xx 4.7 > 1"), when signals halted it. */
      readonly signals?: readonly string[];
      /** How many failed signals `signals` left out; absent when none were. */
      readonly signalsOmitted?: number;
    })
  | (Known & { readonly type: 'rollback.started'; readonly error: string; readonly reason: string })
  | (Known & { readonly type: 'release.promoted'; readonly targets: readonly Target[] })
  | (Known & {
      readonly type: 'release.rolled_back';
      readonly targets: readonly Target[];
      readonly error: string;
      readonly reason: string;
      /** The step it rolled back from (from 0) and the new version's share there; the guard knows neither. */
      readonly step?: number;
      readonly weight?: number;
      /** The failed signals in brief ("orders-5xx 4.7 > 1"), when signals halted it. */
      readonly signals?: readonly string[];
      /** How many failed signals `signals` left out; absent when none were. */
      readonly signalsOmitted?: number;
    })
  | (Known & {
      readonly type: 'release.finished';
      readonly outcome: 'promoted';
      readonly targets: readonly Target[];
    })
  | (Known & {
      readonly type: 'release.failed';
      readonly error: string;
      readonly reason: string;
      /**
       * The weights the route was left with; absent when the guard could not trust the record that
       * names the route (CorruptRecord), so it did not read it.
       */
      readonly targets?: readonly Target[];
    })
  | (Known & {
      readonly type: 'lock.taken_over';
      readonly routeId: string;
      /** The release whose execution held the route but no longer runs. */
      readonly from: { readonly releaseId: string; readonly executionId: string; readonly since: string };
    })
  | (Base & { readonly type: 'release.rejected'; readonly problems: readonly string[] })
  | (Known & {
      readonly type: 'release.retreating';
      readonly error: string;
      readonly reason: string;
      /** The failed signals in brief, and how many that left out, when signals made it step back. */
      readonly signals?: readonly string[];
      readonly signalsOmitted?: number;
      /** The weight the release steps back to next. */
      readonly weight: number;
    })
  | (Known & {
      readonly type: 'release.held';
      /**
       * "paused": an operator asked; "frozen": analysis failed and onFailure is "freeze"; "approval": a
       * manual confirmPromotion hook waits for stepshift approve or reject.
       */
      readonly why: 'paused' | 'frozen' | 'approval';
      readonly reason: string;
      readonly targets: readonly Target[];
    })
  | (Known & {
      readonly type: 'release.resumed';
      readonly by?: string;
      readonly after: 'paused' | 'frozen' | 'approval';
    })
  | (Known & {
      readonly type: 'operator.promoted';
      readonly full: boolean;
      readonly by?: string;
      readonly step: number;
    })
  | (Known & {
      readonly type: 'canary.waiting';
      /** Why the new version may not take traffic yet. */
      readonly reason: string;
      readonly waitedSeconds: number;
      readonly timeoutSeconds: number;
    })
  | (Known & { readonly type: 'release.not_ready'; readonly reason: string })
  | (Known & {
      readonly type: 'hook.finished';
      readonly hook: string;
      readonly phase: HookPhase;
      readonly result: 'pass' | 'fail';
      readonly reason: string;
      /** Whether a failure stops the release (pre-rollout, rollout, confirm) or is only reported. */
      readonly blocking: boolean;
    })
  | (Known & {
      readonly type: 'side_route.opened';
      /** The side route's name; it matches the release's route plus these headers. */
      readonly route: string;
      readonly headers: readonly string[];
      readonly target: string;
    })
  | (Known & {
      readonly type: 'side_route.closed';
      readonly route: string;
      /** False when it was already gone: an earlier attempt removed it, or it was never created. */
      readonly removed: boolean;
    })
  | (Base & {
      readonly type: 'alarm.triggered';
      readonly alarm: string;
      /** When the alarm went into ALARM, as CloudWatch's event says. */
      readonly at: string;
      /** Whether a waiting bake was ended at once, or the release was between bakes. */
      readonly delivered: boolean;
    })
  | (Base & {
      readonly type: 'operator.requested';
      readonly command: OperatorCommand;
      readonly by?: string;
      /** Whether a waiting bake was ended at once; otherwise the release acts at its next check. */
      readonly delivered: boolean;
    });
