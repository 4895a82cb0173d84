import * as z from 'zod/mini';
import { InvalidRequestError } from '../errors.ts';
import type { ProfileSource, RouterKinds } from '../ports.ts';
import { profileSchemaFor } from '../profile/profile.ts';
import { describeIssues, fieldPath, show } from '../validation.ts';
import { isJsonObject, type RequestCandidate, serviceOf } from './candidate.ts';
import { type Envelope, LAMBDA_PUBLISH_VERSION } from './eventbridge-envelope.ts';

/**
 * The detail of the "AWS API Call via CloudTrail" event of Lambda's PublishVersion: the CloudTrail
 * record (eventSource, eventName, errorCode when the call failed), the request's functionName (a name
 * or an ARN) and the response's version, the number Lambda assigned. Other fields are read past.
 */
const FUNCTION_NAME =
  /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([A-Za-z0-9_-]{1,64})$/;

const detailSchema = z.object(
  {
    eventSource: z.literal(LAMBDA_PUBLISH_VERSION.eventSource, {
      error: (iss) =>
        `${iss.input === undefined ? 'is missing' : `${show(iss.input)} is not Lambda`}; stepshift releases versions from Lambda's own calls ("lambda.amazonaws.com")`,
    }),
    eventName: z
      .string({ error: 'is missing; the CloudTrail record names the call, such as "PublishVersion20150331"' })
      .check(
        z.refine((name) => /^PublishVersion(\d{8})?$/.test(name), {
          error: (iss) =>
            `${show(iss.input)} is not PublishVersion; stepshift releases only versions a PublishVersion call published`,
        }),
      ),
    errorCode: z.optional(
      z.undefined({
        error: (iss) =>
          `is ${show(iss.input)}: the PublishVersion call failed and published no version; nothing is released`,
      }),
    ),
    requestParameters: z.object(
      {
        functionName: z.string({ error: 'is missing; the PublishVersion request names the function' }).check(
          z.regex(FUNCTION_NAME, {
            error: (iss) => `${show(iss.input)} is not a Lambda function name or ARN`,
          }),
        ),
      },
      {
        error: (iss) =>
          `is ${show(iss.input)}; the request of a PublishVersion call is a JSON object with functionName`,
      },
    ),
    responseElements: z.object(
      {
        version: z
          .string({ error: 'is missing; the PublishVersion response names the version it published' })
          .check(
            z.regex(/^[0-9]{1,10}$/, {
              error: (iss) =>
                `${show(iss.input)} is not a published version number; PublishVersion answers with one such as "7"`,
            }),
          ),
      },
      {
        error: (iss) =>
          `is ${show(iss.input)}; the response of a successful PublishVersion call is a JSON object with version`,
      },
    ),
  },
  {
    error: (iss) =>
      `is ${show(iss.input)}; the detail of an "AWS API Call via CloudTrail" event is a JSON object with eventSource, eventName, requestParameters and responseElements`,
  },
);

function lambdaFunctionOf(profile: unknown): string | undefined {
  const source = isJsonObject(profile) ? profile.source : undefined;
  return isJsonObject(source) && typeof source.lambdaFunction === 'string'
    ? source.lambdaFunction
    : undefined;
}

/**
 * A version published of a function releases the service whose profile names the function in
 * `source.lambdaFunction`, at the version PublishVersion answered with. A failed call, another call,
 * or a function no profile (or several) claims is refused, never released. The release id is
 * `lambda-<event id>`: a redelivered event is the same release.
 */
export async function fromLambdaPublish(
  event: Envelope<'AWS API Call via CloudTrail'>,
  profiles: ProfileSource,
  kinds: RouterKinds,
): Promise<RequestCandidate> {
  const parsed = detailSchema.safeParse(event.detail);
  if (!parsed.success) {
    throw new InvalidRequestError(
      parsed.error.issues.map((issue) => `${fieldPath(['event.detail', ...issue.path])}: ${issue.message}`),
    );
  }
  const name = FUNCTION_NAME.exec(parsed.data.requestParameters.functionName)?.[1] as string;
  const version = parsed.data.responseElements.version;
  const all = await profiles.all();
  const claims = all.filter((p) => lambdaFunctionOf(p) === name);
  if (claims.length !== 1) {
    const known = [...new Set(all.map(lambdaFunctionOf).filter((f): f is string => f !== undefined))];
    throw new InvalidRequestError([
      claims.length === 0
        ? `event.detail.requestParameters.functionName: no release profile has source.lambdaFunction "${name}"; ${
            known.length
              ? `profiles name these functions: ${known.join(', ')}`
              : 'no profile names a function yet: add "source": {"lambdaFunction": "<name>"} to the profile of the service it runs'
          }`
        : `event.detail.requestParameters.functionName: "${name}" is the source.lambdaFunction of ${claims.length} profiles (${claims.map(serviceOf).join(', ')}); a function releases one service: name it in one profile only`,
    ]);
  }
  const checked = profileSchemaFor(kinds).safeParse(claims[0]);
  if (!checked.success) throw new InvalidRequestError(describeIssues(checked.error, 'profile'));
  const profile = checked.data;
  return {
    trigger: 'lambda',
    request: { service: profile.service, version, releaseId: `lambda-${event.id}` },
    root: 'event.detail',
    from: {
      service: 'event.detail.requestParameters.functionName',
      version: 'event.detail.responseElements.version',
      releaseId: 'event.id',
    },
    profile,
  };
}
