import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { parseDuration } from '#core/duration.ts';
import type { CalledHook, HookCall, HookResult, HookRunner } from '#core/hooks.ts';
import { awsErrorName, errorMessage } from './aws-errors.ts';

/** What a Lambda hook answers (its return value) and a webhook may answer in its body. */
const answerSchema = z.looseObject({
  result: z.enum(['pass', 'fail']),
  reason: z.string().optional(),
});

/** How a webhook is called: POST the call as JSON; the answer's status and body. */
export type WebhookTransport = (
  hook: Extract<CalledHook, { type: 'webhook' }>,
  body: string,
  timeoutSeconds: number,
) => Promise<{ readonly status: number; readonly body: string }>;

/** Node's fetch, with the hook's timeout. */
export const fetchWebhook: WebhookTransport = async (hook, body, timeoutSeconds) => {
  const response = await fetch(hook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'stepshift' },
    body,
    signal: AbortSignal.timeout(timeoutSeconds * 1000),
  });
  return { status: response.status, body: (await response.text()).slice(0, 1000) };
};

const brief = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}...` : text);

/**
 * Runs hooks: a Lambda function invoked synchronously (RequestResponse) with the call, answering
 * `{"result": "pass" | "fail", "reason": "..."}`; or an HTTPS webhook POSTed the call, where any 2xx
 * passes. A hook that cannot be reached, times out, throws or answers otherwise fails, with the reason
 * in words: a hook never decides by being broken that a release may go on.
 */
export function createHookRunner(lambda: LambdaClient, webhook: WebhookTransport = fetchWebhook): HookRunner {
  async function invoke(hook: Extract<CalledHook, { type: 'lambda' }>, call: HookCall): Promise<HookResult> {
    try {
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: hook.functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(call)),
        }),
      );
      const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
      if (out.FunctionError) {
        return {
          result: 'fail',
          reason: `${hook.functionName} failed (${out.FunctionError}): ${brief(text)}`,
        };
      }
      const answer = answerSchema.safeParse(safeJson(text));
      if (!answer.success) {
        return {
          result: 'fail',
          reason: `${hook.functionName} answered ${brief(text) || 'nothing'}; a hook answers {"result": "pass" | "fail", "reason": "..."}`,
        };
      }
      return {
        result: answer.data.result,
        reason: answer.data.reason ?? `${hook.functionName} answered ${answer.data.result}`,
      };
    } catch (error) {
      return {
        result: 'fail',
        reason: `invoking ${hook.functionName} failed with ${awsErrorName(error)}: ${errorMessage(error)}`,
      };
    }
  }

  async function post(hook: Extract<CalledHook, { type: 'webhook' }>, call: HookCall): Promise<HookResult> {
    const timeout = parseDuration(hook.timeout) ?? 10;
    let last = '';
    for (let attempt = 0; attempt <= hook.retries; attempt++) {
      try {
        const answer = await webhook(hook, JSON.stringify(call), timeout);
        if (answer.status >= 200 && answer.status < 300) {
          const reason = answerSchema.partial().safeParse(safeJson(answer.body)).data?.reason;
          return { result: 'pass', reason: reason ?? `${hook.url} answered ${answer.status}` };
        }
        const said = answerSchema.partial().safeParse(safeJson(answer.body)).data?.reason ?? answer.body;
        last = `${hook.url} answered ${answer.status}${said ? `: ${brief(said)}` : ''}`;
        // A 4xx is the endpoint's answer; only a 5xx may be worth asking again.
        if (answer.status < 500) break;
      } catch (error) {
        last =
          (error as Error).name === 'TimeoutError'
            ? `${hook.url} did not answer within ${hook.timeout}`
            : `${hook.url} could not be reached: ${errorMessage(error)}`;
      }
    }
    return { result: 'fail', reason: last };
  }

  return {
    run: (hook, call) => (hook.type === 'lambda' ? invoke(hook, call) : post(hook, call)),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
