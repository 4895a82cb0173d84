import * as z from 'zod';
import { parseDuration } from '#core/duration.ts';
import { objectError, requiredString, show } from '#core/validation.ts';
import { ROUTER_PERSON_ACTIONS } from '#routers/simulators.ts';
import { OPERATIONS, type Operation } from './faults.ts';
import { chooseSchema, isObject } from './schedule.ts';

const MILLISECONDS = /^(0|[1-9][0-9]*)ms$/;

/** "50ms" (and "0ms") in seconds; undefined for anything else. */
export function parseMilliseconds(text: string): number | undefined {
  const match = MILLISECONDS.exec(text);
  return match ? Number(match[1]) / 1000 : undefined;
}

/**
 * What a person does during a rehearsal, at a virtual time: Step Functions' StopExecution, an edit of
 * the route by hand, a second release, or one of stepshift's own commands (abort, promote, pause,
 * resume), run as the CLI runs them.
 */
const OPERATOR_ACTIONS = [
  'stop-execution',
  ...ROUTER_PERSON_ACTIONS.map((a) => a.name),
  'start-release',
  'abort',
  'promote',
  'pause',
  'resume',
  'approve',
  'reject',
];

/** When a person acts: whole seconds like the other times, or milliseconds ("10250ms") to land inside a task. */
function actedAt() {
  const problem = (input: unknown) =>
    `${show(input)} is not a duration; write when the person acts as whole seconds, minutes or hours, like "0s", "30s", "5m" or "1h"`;
  return z.string({ error: (iss) => problem(iss.input) }).transform((text, ctx) => {
    const seconds = parseMilliseconds(text) ?? parseDuration(text);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: problem(text) });
      return z.NEVER;
    }
    return seconds;
  });
}

const STOP_FIELDS = ['at', 'action'] as const;
const stopExecutionSchema = z.strictObject(
  { at: actedAt(), action: z.literal('stop-execution') },
  { error: objectError('a stop-execution action', STOP_FIELDS) },
);

/**
 * A person's action on a router may wait, from its "at", for the next call of an operation and land
 * just before it is served ("beforeCall": "UpdateAlias"): between a release's read and its write,
 * whatever the calls before it took, where a time to the millisecond would depend on them.
 */
const beforeCall = z
  .enum(OPERATIONS, {
    error: (iss) =>
      `${show(iss.input)} is not an operation the simulated AWS serves; name the call the person's action lands just before, such as "UpdateAlias"`,
  })
  .optional();

/** The actions a person takes on a router by hand (App Mesh's edit-route), each as its router's simulator writes it. */
const PERSON_SCHEMAS = Object.fromEntries(
  ROUTER_PERSON_ACTIONS.map(({ name, action }) => [
    name,
    z
      .strictObject(
        { at: actedAt(), beforeCall, action: z.literal(name), ...action.fields },
        { error: objectError(action.what, ['at', 'beforeCall', 'action', ...Object.keys(action.fields)]) },
      )
      .superRefine((written, ctx) => {
        for (const { path, message } of action.problems(written)) {
          ctx.addIssue({ code: 'custom', path: [...path], message });
        }
      }),
  ]),
);

const START_FIELDS = ['at', 'action', 'request'] as const;
const startReleaseSchema = z.strictObject(
  {
    at: actedAt(),
    action: z.literal('start-release'),
    // Any JSON: Prepare validates it in the second execution, as it would on AWS.
    request: z.custom<unknown>((value) => value !== undefined, {
      error:
        'is missing; give the input the second execution starts with, as a trigger would send it, e.g. {"service": "orders", "version": "v3"}',
    }),
  },
  { error: objectError('a start-release action', START_FIELDS) },
);

const COMMAND_FIELDS = {
  abort: ['at', 'action', 'releaseId', 'reason'],
  promote: ['at', 'action', 'releaseId', 'full'],
  pause: ['at', 'action', 'releaseId'],
  resume: ['at', 'action', 'releaseId'],
  approve: ['at', 'action', 'releaseId'],
  reject: ['at', 'action', 'releaseId', 'reason'],
} as const;

/** `stepshift <command> <releaseId>`; the release id defaults to the scenario's own release. */
function commandSchema<C extends keyof typeof COMMAND_FIELDS>(command: C) {
  return z.strictObject(
    {
      at: actedAt(),
      action: z.literal(command),
      releaseId: z.optional(requiredString("the release to act on (default: the scenario's release)", 64)),
      ...(command === 'abort' || command === 'reject'
        ? { reason: z.optional(requiredString('why, in the words the rollback reports', 1000)) }
        : {}),
      ...(command === 'promote'
        ? {
            full: z
              .boolean({
                error: (iss) =>
                  `${show(iss.input)} is not true or false; "full": true skips every remaining step`,
              })
              .optional(),
          }
        : {}),
    },
    { error: objectError(`${command === 'abort' ? 'an' : 'a'} ${command} action`, COMMAND_FIELDS[command]) },
  );
}

const abortSchema = commandSchema('abort');
const promoteSchema = commandSchema('promote');
const pauseSchema = commandSchema('pause');
const resumeSchema = commandSchema('resume');
const approveSchema = commandSchema('approve');
const rejectSchema = commandSchema('reject');

/** One of stepshift's operator commands, as a scenario scripts it. */
export interface CommandAction {
  readonly at: number;
  readonly action: 'abort' | 'promote' | 'pause' | 'resume' | 'approve' | 'reject';
  readonly releaseId?: string | undefined;
  readonly reason?: string | undefined;
  readonly full?: boolean | undefined;
}

export type StopExecutionAction = z.output<typeof stopExecutionSchema>;
/** A person's action on a router by hand: its router's simulator reads its own fields. */
export interface PersonRouterAction extends Record<string, unknown> {
  readonly at: number;
  /** The call the action lands just before, the first to arrive from "at" on; else it lands at "at". */
  readonly beforeCall?: Operation | undefined;
  readonly action: string;
}
export type StartReleaseAction = z.output<typeof startReleaseSchema>;
export type OperatorAction = StopExecutionAction | PersonRouterAction | StartReleaseAction | CommandAction;

const ACTION_SCHEMAS = {
  'stop-execution': stopExecutionSchema,
  ...PERSON_SCHEMAS,
  'start-release': startReleaseSchema,
  abort: abortSchema,
  promote: promoteSchema,
  pause: pauseSchema,
  resume: resumeSchema,
  approve: approveSchema,
  reject: rejectSchema,
} as const;

export const operatorActionSchema = chooseSchema<
  OperatorAction,
  | z.input<typeof stopExecutionSchema>
  | Record<string, unknown>
  | z.input<typeof startReleaseSchema>
  | z.input<typeof abortSchema>
  | z.input<typeof promoteSchema>
  | z.input<typeof pauseSchema>
  | z.input<typeof resumeSchema>
  | z.input<typeof approveSchema>
  | z.input<typeof rejectSchema>
>((input) => {
  if (!isObject(input)) {
    return `is ${show(input)}; an operator action is a JSON object with "at", "action" and the action's own fields, e.g. {"at": "7m", "action": "stop-execution"}`;
  }
  const action = input.action;
  if (typeof action === 'string' && Object.hasOwn(ACTION_SCHEMAS, action)) {
    return ACTION_SCHEMAS[action as keyof typeof ACTION_SCHEMAS] as z.ZodType;
  }
  return z.unknown().superRefine((_, ctx) =>
    ctx.addIssue({
      code: 'custom',
      path: ['action'],
      message: `${action === undefined ? 'is missing' : `${show(action)} is not an operator action`}; use one of: ${OPERATOR_ACTIONS.join(', ')}`,
    }),
  );
});

/** The router and its person action an operator action is, if it is one. */
export function personActionOf(action: { readonly action: string }) {
  return ROUTER_PERSON_ACTIONS.find((a) => a.name === action.action);
}
