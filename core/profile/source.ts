import { regexProblem } from '../regex.ts';
import { requiredString, show, strictObject } from '../validation.ts';

/** ECR's own rule for repository names (CreateRepository: 2..256 characters, this pattern). */
const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * Where new versions of the service come from: an image pushed to this ECR repository with a tag
 * matching tagPattern starts a release of that tag (see docs/triggers.md).
 */
export const sourceSchema = strictObject('a source', {
  ecrRepository: requiredString(
    'the ECR repository whose image pushes release this service, such as "orders"',
    256,
  )
    .min(2, {
      error: 'is shorter than 2 characters; ECR repository names have 2..256 characters',
      abort: true,
    })
    .regex(ECR_REPOSITORY, {
      error: (iss) =>
        `${show(iss.input)} is not an ECR repository name; use lowercase letters and digits, with ".", "_" or "-" between them and "/" between namespaces, such as "shop/orders"`,
    }),
  tagPattern: requiredString(
    'a regular expression every image tag to release must match as a whole, such as "^v[0-9]+$"',
    256,
  ).superRefine((pattern, ctx) => {
    const problem = regexProblem(pattern);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        input: pattern,
        message: `${show(pattern)} is not a regular expression stepshift can evaluate (${problem}); write one such as "^v[0-9]+$"`,
      });
    }
  }),
});
