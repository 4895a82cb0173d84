import * as z from 'zod/mini';
import { regexProblem } from '../regex.ts';
import { requiredString, show, strictObject } from '../validation.ts';

/** ECR's own rule for repository names (CreateRepository: 2..256 characters, this pattern). */
const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * Where new versions of the service come from: an image pushed to this ECR repository with a tag
 * matching tagPattern starts a release of that tag (see docs/triggers.md).
 */
const ecrSourceSchema = strictObject('a source', {
  ecrRepository: requiredString(
    'the ECR repository whose image pushes release this service, such as "orders"',
    256,
  ).check(
    z.minLength(2, {
      error: 'is shorter than 2 characters; ECR repository names have 2..256 characters',
      abort: true,
    }),
    z.regex(ECR_REPOSITORY, {
      error: (iss) =>
        `${show(iss.input)} is not an ECR repository name; use lowercase letters and digits, with ".", "_" or "-" between them and "/" between namespaces, such as "shop/orders"`,
    }),
  ),
  tagPattern: requiredString(
    'a regular expression every image tag to release must match as a whole, such as "^v[0-9]+$"',
    256,
  ).check(
    z.superRefine((pattern, ctx) => {
      const problem = regexProblem(pattern);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          input: pattern,
          message: `${show(pattern)} is not a regular expression stepshift can evaluate (${problem}); write one such as "^v[0-9]+$"`,
        });
      }
    }),
  ),
});

/** A Lambda function's name as UpdateFunctionCode and PublishVersion name it (1..64 of these characters). */
const LAMBDA_FUNCTION = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A Lambda function every published version of which is released: the CloudTrail event of its
 * PublishVersion call starts a release of the version it made (see docs/triggers.md).
 */
const lambdaSourceSchema = strictObject('a Lambda source', {
  lambdaFunction: requiredString(
    'the function whose published versions release this service, such as "orders-api"',
    64,
  ).check(
    z.regex(LAMBDA_FUNCTION, {
      error: (iss) =>
        `${show(iss.input)} is not a Lambda function name; give the function's name alone (1..64 letters, digits, "-" and "_"), such as "orders-api"`,
    }),
  ),
});

type Source = z.output<typeof ecrSourceSchema> | z.output<typeof lambdaSourceSchema>;

/** An ECR source, or a Lambda one when the block names a lambdaFunction; each told in its own words. */
export const sourceSchema = z.pipe(
  z.unknown(),
  z.transform((input, ctx): Source => {
    const lambda = typeof input === 'object' && input !== null && 'lambdaFunction' in input;
    const parsed = (lambda ? lambdaSourceSchema : ecrSourceSchema).safeParse(input);
    if (parsed.success) return parsed.data;
    // zod/mini's transform has no addIssue: its issues go on the payload as they are.
    for (const issue of parsed.error.issues)
      ctx.issues.push({ code: 'custom', input, message: issue.message, path: issue.path });
    return z.NEVER;
  }),
);
