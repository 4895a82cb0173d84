import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod/mini';
import { formatDuration } from '#core/duration.ts';
import { excerpt } from '#core/excerpt.ts';
import type { HookCall, HookResult, HookRunner } from '#core/ports.ts';
import type { CalledHook, WebhookHook } from '#core/shapes.ts';

import { secretHeaders, secretStrings, WebhookSecretError } from '#core/webhook-auth.ts';
import { redactUrl, redactUrls, urlSecrets } from '#core/webhook-url.ts';
import { createHttpsTransport } from '../webhook/https-transport.ts';
import { WebhookAddressRefusedError } from '../webhook/public-addresses.ts';
import { MAX_ANSWER_BYTES, type WebhookAnswer, type WebhookTransport } from '../webhook/transport.ts';
import { awsErrorName, errorMessage } from './aws-errors.ts';
import { SecretUnavailableError, type SecretValues } from './secrets-manager.ts';

/** What a Lambda hook answers (its return value) and a webhook may answer in its body. */
const answerSchema = z.looseObject({
  result: z.enum(['pass', 'fail']),
  reason: z.optional(z.string()),
});

export interface HookRunnerOptions {
  /** How webhooks are called: Node's https with the address policy, unless the rehearsal scripts them. */
  readonly webhook?: WebhookTransport;
  /** Where a webhook's secret is read; a hook naming a secret fails without one. */
  readonly secrets?: SecretValues;
  /** The time a signature carries. */
  readonly now?: () => Date;
}

/**
 * Runs hooks: a Lambda function invoked synchronously (RequestResponse) with the call, answering
 * `{"result": "pass" | "fail", "reason": "..."}`; or an HTTPS webhook POSTed the call, where any 2xx
 * passes. A hook that cannot be reached, times out, throws or answers otherwise fails, with the reason
 * in words: a hook never decides by being broken that a release may go on. What the other side
 * answers reaches a reason only as a short, printable excerpt, and a webhook's URL only redacted.
 */
export function createHookRunner(lambda: LambdaClient, options: HookRunnerOptions = {}): HookRunner {
  const webhook = options.webhook ?? createHttpsTransport();
  const now = options.now ?? (() => new Date());

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
          reason: `${hook.functionName} failed (${out.FunctionError}): ${excerpt(text)}`,
        };
      }
      const answer = answerSchema.safeParse(safeJson(text));
      if (!answer.success) {
        return {
          result: 'fail',
          reason: `${hook.functionName} answered ${excerpt(text) || 'nothing'}; a hook answers {"result": "pass" | "fail", "reason": "..."}`,
        };
      }
      return {
        result: answer.data.result,
        reason:
          answer.data.reason === undefined
            ? `${hook.functionName} answered ${answer.data.result}`
            : excerpt(answer.data.reason),
      };
    } catch (error) {
      return {
        result: 'fail',
        reason: `invoking ${hook.functionName} failed with ${awsErrorName(error)}: ${excerpt(errorMessage(error))}`,
      };
    }
  }

  /** The value of the hook's secret, or undefined for a hook without one. */
  async function secretFor(hook: WebhookHook): Promise<string | undefined> {
    if (!hook.secret) return undefined;
    if (!options.secrets)
      throw new SecretUnavailableError(`secret ${hook.secret.secretId} cannot be read here`);
    return options.secrets.value(hook.secret.secretId);
  }

  async function post(hook: WebhookHook, call: HookCall): Promise<HookResult> {
    const where = redactUrl(hook.url);
    const timeout = hook.timeout;
    const body = JSON.stringify(call);
    let last = '';
    try {
      const secret = await secretFor(hook);
      // What the receiver says may echo the URL or a header: its token and the secret stay out.
      const hidden = [...urlSecrets(hook.url), ...(secret === undefined ? [] : secretStrings(secret))];
      const words = (text: string) => excerpt(redactUrls(text), undefined, hidden);
      for (let attempt = 0; attempt <= hook.retries; attempt++) {
        const headers =
          hook.secret && secret !== undefined
            ? secretHeaders(hook.secret, secret, now().getTime() / 1000, body)
            : {};
        let answer: WebhookAnswer;
        try {
          answer = await webhook({ hook: hook.name, url: hook.url, headers, body, timeoutSeconds: timeout });
        } catch (error) {
          if (error instanceof WebhookAddressRefusedError) throw error;
          last =
            (error as Error).name === 'TimeoutError'
              ? `${where} did not answer within ${formatDuration(hook.timeout)}`
              : `${where} could not be reached: ${words(errorMessage(error))}`;
          continue;
        }
        const judged = judge(where, answer, words);
        if (judged.result === 'pass') return judged;
        last = judged.reason;
        // A 4xx, a redirect or an oversized answer is the endpoint's answer; only a 5xx may be worth asking again.
        if (answer.status < 500) break;
      }
    } catch (error) {
      if (
        error instanceof WebhookAddressRefusedError ||
        error instanceof SecretUnavailableError ||
        error instanceof WebhookSecretError
      ) {
        return { result: 'fail', reason: `${where} was not called: ${error.message}` };
      }
      throw error;
    }
    return { result: 'fail', reason: last };
  }

  return {
    run: (hook, call) => (hook.type === 'lambda' ? invoke(hook, call) : post(hook, call)),
  };
}

/** A webhook's answer as a result: any 2xx passes, with the reason its body gives. */
function judge(where: string, answer: WebhookAnswer, words: (text: string) => string): HookResult {
  const { status } = answer;
  if (status >= 300 && status < 400) {
    return {
      result: 'fail',
      reason: `${where} answered ${status}, a redirect; stepshift follows no redirects, so give the hook's final URL`,
    };
  }
  if (answer.truncated) {
    return {
      result: 'fail',
      reason: `${where} answered ${status} with more than ${MAX_ANSWER_BYTES / 1024} KiB; a hook's answer may be at most ${MAX_ANSWER_BYTES / 1024} KiB`,
    };
  }
  const said = z.partial(answerSchema).safeParse(safeJson(answer.body)).data?.reason;
  if (status >= 200 && status < 300) {
    return { result: 'pass', reason: said === undefined ? `${where} answered ${status}` : words(said) };
  }
  const quoted = words(said ?? answer.body);
  return { result: 'fail', reason: `${where} answered ${status}${quoted ? `: ${quoted}` : ''}` };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
