import type { HookResult } from './ports.ts';
import type { WebhookHook } from './shapes.ts';

/**
 * The ports the CLI's read-only commands ask the account through: doctor's webhook ping and function
 * lookup, and the executions and events that list, history, status and watch read. They are
 * apart from core/ports.ts, which holds the release's own.
 */

/** For `stepshift doctor`: a webhook hook's signed test call (HookCall.ping), and whether a function exists. */
export interface WebhookPing {
  ping(hook: WebhookHook, service: string): Promise<HookResult>;
}
export interface LambdaFunctions {
  exists(functionName: string): Promise<boolean>;
}

/** A moment of a release read back from its execution's history: when (ms), a ReleaseEvent type, its detail. */
export type ObservedEvent = Readonly<{ at: number; type: string; detail: Readonly<Record<string, unknown>> }>;
/** A release's execution as ListExecutions tells it; its name is the release id. */
export type ObservedExecution = Readonly<{
  name: string;
  executionArn: string;
  status: string;
  startedAt: Date;
  stoppedAt?: Date;
}>;
/**
 * What list, history, status and watch read: executions, newest first; events, oldest first (undefined:
 * no such execution). Given the service a command looks for, an execution whose first events show it to
 * be another service's release is read no further and answers undefined too; any other answers as
 * without.
 */
export interface ReleaseObserver {
  executions(query: { running?: boolean; since?: Date; limit: number }): Promise<ObservedExecution[]>;
  events(executionArn: string, service?: string): Promise<ObservedEvent[] | undefined>;
}
